// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IIntygRegistry} from "./interfaces/IIntygRegistry.sol";
import {IntygOrganisations} from "./IntygOrganisations.sol";
import {IntygSoulbound} from "./IntygSoulbound.sol";

/**
 * @title IntygRegistry
 * @dev The Intyg credential registry: anchors commitments of single credentials and Merkle roots of batches,
 * records revocations and supersessions, and mints soulbound tokens to holders who ask for one.
 *
 * A single issuance writes exactly one fresh slot (the {Record}); the anchored commitment itself is the replay
 * guard of signed requests, as a commitment can be anchored once.
 */
contract IntygRegistry is IntygOrganisations, IntygSoulbound, EIP712 {
    /// @dev The EIP-712 type of {IssueRequest}. Mirrors `packages/credential/src/eip712.ts`.
    bytes32 public constant ISSUE_TYPEHASH = keccak256(
        "IssueRequest(bytes32 commitment,uint64 eventId,uint64 validUntil,uint32 batchSize,address holder,uint64 deadline)"
    );

    /// @dev The EIP-712 type of {ClaimRequest}. Mirrors `packages/credential/src/eip712.ts`.
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "ClaimRequest(bytes32 root,bytes32 leaf,address holder,uint64 deadline)"
    );

    /// @dev The reason code recorded by {supersede}.
    uint8 public constant REASON_SUPERSEDED = 2;

    // Records and leaf revocations are packed by hand so that each write is a single SSTORE:
    // record = eventId | issuedAt << 64 | validUntil << 104 | revokedAt << 144 | reason << 184 | batchSize << 192;
    // leaf revocation = revokedAt | reason << 40.
    uint256 private constant _ISSUED_AT_SHIFT = 64;
    uint256 private constant _VALID_UNTIL_SHIFT = 104;
    uint256 private constant _REVOKED_AT_SHIFT = 144;
    uint256 private constant _REASON_SHIFT = 184;
    uint256 private constant _BATCH_SIZE_SHIFT = 192;
    uint256 private constant _MASK_40 = (1 << 40) - 1;

    mapping(bytes32 commitment => uint256 packedRecord) private _records;
    mapping(bytes32 rootAndLeaf => uint256 packedRevocation) private _leafRevocations;
    mapping(bytes32 rootAndLeaf => bytes32 replacement) private _supersededBy;

    constructor(
        uint48 initialDelay,
        address initialAdmin
    ) IntygOrganisations(initialDelay, initialAdmin) ERC721("Intyg credential", "INTYG") EIP712("Intyg", "1") {}

    /// @inheritdoc IIntygRegistry
    function issue(bytes32 commitment, uint64 eventId, uint64 validUntil) external {
        _requireKeyForEvent(msg.sender, eventId);
        _anchor(commitment, eventId, validUntil, 0);
    }

    /// @inheritdoc IIntygRegistry
    function anchorBatch(bytes32 root, uint64 eventId, uint64 validUntil, uint32 batchSize) external {
        if (batchSize == 0) revert IntygRegistryInvalidCommitment();
        _requireKeyForEvent(msg.sender, eventId);
        _anchor(root, eventId, validUntil, batchSize);
    }

    /// @inheritdoc IIntygRegistry
    function issueSigned(IssueRequest calldata request, bytes calldata signature) external {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(_hashIssueRequest(request), signature);
        if (err != ECDSA.RecoverError.NoError) revert IntygRegistryInvalidSignature(signer);
        _issueSigned(request, signer);
    }

    /// @inheritdoc IIntygRegistry
    function issueSignedBy(IssueRequest calldata request, address signer, bytes calldata signature) external {
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashIssueRequest(request), signature)) {
            revert IntygRegistryInvalidSignature(signer);
        }
        _issueSigned(request, signer);
    }

    /// @inheritdoc IIntygRegistry
    function claimToken(
        ClaimRequest calldata request,
        bytes32[] calldata proof,
        address signer,
        bytes calldata signature
    ) external {
        if (block.timestamp > request.deadline) revert IntygRegistryExpiredRequest(request.deadline);
        uint256 batch = _anchoredRecord(request.root);
        if (_batchSize(batch) == 0) revert IntygRegistryNotAnchored(request.root);
        if (_revokedAt(batch) != 0 || _leafRevocations[_leafKey(request.root, request.leaf)] != 0) {
            revert IntygRegistryAlreadyRevoked(request.leaf);
        }
        uint40 validUntil = _validUntil(batch);
        if (validUntil != 0 && validUntil <= block.timestamp) revert IntygRegistryInvalidValidity(validUntil);
        if (!MerkleProof.verifyCalldata(proof, request.root, request.leaf)) {
            revert IntygRegistryInvalidProof(request.root, request.leaf);
        }
        _requireKeyForEvent(signer, _eventId(batch));
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashClaimRequest(request), signature)) {
            revert IntygRegistryInvalidSignature(signer);
        }
        _mintLocked(request.holder, uint256(request.leaf));
    }

    /// @inheritdoc IIntygRegistry
    function revoke(bytes32 commitment, uint8 reason) external {
        if (reason == 0) revert IntygRegistryInvalidReason();
        _revokeRecord(commitment, reason);
    }

    /// @inheritdoc IIntygRegistry
    function revokeLeaf(bytes32 root, bytes32 leaf, uint8 reason) external {
        if (reason == 0) revert IntygRegistryInvalidReason();
        _revokeLeaf(root, leaf, reason);
    }

    /// @inheritdoc IIntygRegistry
    function supersede(bytes32 root, bytes32 leaf, bytes32 replacement) external {
        uint64 eventId =
            leaf == bytes32(0) ? _revokeRecord(root, REASON_SUPERSEDED) : _revokeLeaf(root, leaf, REASON_SUPERSEDED);
        // Read after the revocation, so that a credential cannot replace itself: a replacement must be in force,
        // which keeps chains of supersession free of cycles.
        uint256 replacementRecord = _anchoredRecord(replacement);
        if (_revokedAt(replacementRecord) != 0) revert IntygRegistryAlreadyRevoked(replacement);
        uint32 replacementOrganisation = _organisationOf(_eventId(replacementRecord));
        if (replacementOrganisation != _organisationOf(eventId)) {
            revert IntygRegistryWrongOrganisation(eventId, replacementOrganisation);
        }
        _supersededBy[_leafKey(root, leaf)] = replacement;
        emit CredentialSuperseded(root, leaf, replacement);
    }

    /// @inheritdoc IIntygRegistry
    function record(bytes32 commitment) external view returns (Record memory) {
        uint256 packed = _records[commitment];
        return
            Record({
                eventId: _eventId(packed),
                issuedAt: uint40(packed >> _ISSUED_AT_SHIFT),
                validUntil: _validUntil(packed),
                revokedAt: _revokedAt(packed),
                revocationReason: uint8(packed >> _REASON_SHIFT),
                batchSize: _batchSize(packed)
            });
    }

    /// @inheritdoc IIntygRegistry
    function leafRevocation(bytes32 root, bytes32 leaf) external view returns (LeafRevocation memory) {
        uint256 packed = _leafRevocations[_leafKey(root, leaf)];
        return LeafRevocation({revokedAt: uint40(packed), reason: uint8(packed >> 40)});
    }

    /// @inheritdoc IIntygRegistry
    function supersededBy(bytes32 root, bytes32 leaf) external view returns (bytes32) {
        return _supersededBy[_leafKey(root, leaf)];
    }

    /// @inheritdoc IIntygRegistry
    function isBatchMember(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        return _batchSize(_records[root]) != 0 && MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IIntygRegistry
    function hashIssueRequest(IssueRequest calldata request) external view returns (bytes32) {
        return _hashIssueRequest(request);
    }

    /// @inheritdoc IIntygRegistry
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32) {
        return _hashClaimRequest(request);
    }

    /// @inheritdoc IntygSoulbound
    /// @dev One chain answers for all: IntygSoulbound, ERC721, AccessControlDefaultAdminRules, AccessControl, ERC165.
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControlDefaultAdminRules, IntygSoulbound) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    function _issueSigned(IssueRequest calldata request, address signer) private {
        if (block.timestamp > request.deadline) revert IntygRegistryExpiredRequest(request.deadline);
        _requireKeyForEvent(signer, request.eventId);
        address holder = request.holder;
        if (holder == address(0)) {
            _anchor(request.commitment, request.eventId, request.validUntil, request.batchSize);
        } else {
            if (request.batchSize != 0) revert IntygRegistryHolderOnBatch();
            _anchor(request.commitment, request.eventId, request.validUntil, 0);
            _mintLocked(holder, uint256(request.commitment));
        }
    }

    function _anchor(bytes32 commitment, uint64 eventId, uint64 validUntil, uint32 batchSize) private {
        if (commitment == bytes32(0)) revert IntygRegistryInvalidCommitment();
        if (validUntil > _MASK_40 || (validUntil != 0 && validUntil <= block.timestamp)) {
            revert IntygRegistryInvalidValidity(validUntil);
        }
        if (_records[commitment] != 0) revert IntygRegistryAlreadyAnchored(commitment);
        _records[commitment] =
            uint256(eventId) |
            (block.timestamp << _ISSUED_AT_SHIFT) |
            (uint256(validUntil) << _VALID_UNTIL_SHIFT) |
            (uint256(batchSize) << _BATCH_SIZE_SHIFT);
        emit CredentialAnchored(commitment, eventId, uint40(validUntil), batchSize);
    }

    function _revokeRecord(bytes32 commitment, uint8 reason) private returns (uint64 eventId) {
        uint256 packed = _anchoredRecord(commitment);
        if (_revokedAt(packed) != 0) revert IntygRegistryAlreadyRevoked(commitment);
        eventId = _eventId(packed);
        _requireRevoker(eventId);
        _records[commitment] = packed | (block.timestamp << _REVOKED_AT_SHIFT) | (uint256(reason) << _REASON_SHIFT);
        emit CredentialRevoked(commitment, reason);
    }

    function _revokeLeaf(bytes32 root, bytes32 leaf, uint8 reason) private returns (uint64 eventId) {
        uint256 batch = _anchoredRecord(root);
        if (_batchSize(batch) == 0 || leaf == bytes32(0)) revert IntygRegistryNotAnchored(root);
        if (_revokedAt(batch) != 0) revert IntygRegistryAlreadyRevoked(root);
        eventId = _eventId(batch);
        _requireRevoker(eventId);
        bytes32 key = _leafKey(root, leaf);
        if (_leafRevocations[key] != 0) revert IntygRegistryAlreadyRevoked(leaf);
        _leafRevocations[key] = block.timestamp | (uint256(reason) << 40);
        emit BatchLeafRevoked(root, leaf, reason);
    }

    /// @dev Revocation is open to the organisation's valid keys and to its admin, even while suspended.
    function _requireRevoker(uint64 eventId) private view {
        uint32 organisationId = _organisationOf(eventId);
        if (!_isValidKeyNow(msg.sender, organisationId) && !_isOrganisationAdmin(msg.sender, organisationId)) {
            revert IntygRegistryUnauthorised(msg.sender);
        }
    }

    function _anchoredRecord(bytes32 commitment) private view returns (uint256 packed) {
        packed = _records[commitment];
        if (packed == 0) revert IntygRegistryNotAnchored(commitment);
    }

    function _eventId(uint256 packed) private pure returns (uint64) {
        return uint64(packed);
    }

    function _validUntil(uint256 packed) private pure returns (uint40) {
        return uint40(packed >> _VALID_UNTIL_SHIFT);
    }

    function _revokedAt(uint256 packed) private pure returns (uint40) {
        return uint40(packed >> _REVOKED_AT_SHIFT);
    }

    function _batchSize(uint256 packed) private pure returns (uint32) {
        return uint32(packed >> _BATCH_SIZE_SHIFT);
    }

    function _hashIssueRequest(IssueRequest calldata request) private view returns (bytes32 digest) {
        // Equal to keccak256(abi.encode(ISSUE_TYPEHASH, request)) for a well-formed request: every member of
        // IssueRequest is a static type, so the calldata struct is already its ABI encoding. Out-of-range
        // members (dirty high bits) give a digest no key signed.
        bytes32 typeHash = ISSUE_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), request, 0xc0)
            structHash := keccak256(ptr, 0xe0)
        }
        return _hashTypedDataV4(structHash);
    }

    function _hashClaimRequest(ClaimRequest calldata request) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, request)));
    }

    function _leafKey(bytes32 root, bytes32 leaf) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, root)
            mstore(0x20, leaf)
            key := keccak256(0x00, 0x40)
        }
    }
}
