// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IIntygRegistry} from "./interfaces/IIntygRegistry.sol";
import {IntygOrganisations} from "./IntygOrganisations.sol";
import {IntygSoulbound} from "./IntygSoulbound.sol";

/**
 * @title IntygRegistry
 * @notice Anchors credentials of accredited organisations, each in its own namespace, and records their revocation.
 * @dev The Intyg credential registry: anchors commitments of single credentials and Merkle roots of batches,
 * records revocations and supersessions, and mints soulbound tokens ({IntygSoulbound}) to holders who ask for one.
 *
 * Every organisation has its own namespace: records, leaf revocations, supersessions and token ids are keyed by
 * the organisation and the commitment, so nothing one organisation does can occupy another's slot.
 *
 * A single issuance writes exactly one fresh slot (the {Record}); the anchored commitment itself is the replay
 * guard of signed requests, as a commitment can be anchored once in its organisation's namespace.
 */
contract IntygRegistry is IntygOrganisations {
    /// @notice The EIP-712 type of {IssueRequest}. Mirrors `packages/credential/src/eip712.ts`.
    bytes32 public constant ISSUE_TYPEHASH = keccak256(
        "IssueRequest(bytes32 commitment,uint64 eventId,uint64 validUntil,uint32 batchSize,address holder,uint64 deadline)"
    );

    /// @notice The EIP-712 type of {ClaimRequest}. Mirrors `packages/credential/src/eip712.ts`.
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "ClaimRequest(bytes32 root,bytes32 leaf,address holder,uint64 deadline)"
    );

    /// @notice The reason code recorded by {supersede}.
    uint8 public constant REASON_SUPERSEDED = 2;

    // Records and leaf revocations are packed by hand so that each write is a single SSTORE:
    // record = eventId | issuedAt << 64 | validUntil << 104 | revokedAt << 144 | reason << 184 | batchSize << 192
    //          | anchoredBy << 224;
    // leaf revocation = revokedAt | reason << 40.
    uint256 private constant _ISSUED_AT_SHIFT = 64;
    uint256 private constant _VALID_UNTIL_SHIFT = 104;
    uint256 private constant _REVOKED_AT_SHIFT = 144;
    uint256 private constant _REASON_SHIFT = 184;
    uint256 private constant _BATCH_SIZE_SHIFT = 192;
    uint256 private constant _ANCHORED_BY_SHIFT = 224;

    // What {_anchor} found wrong, as bits of one word (checked once on the hot path).
    uint256 private constant _BAD_COMMITMENT = 1;
    uint256 private constant _BAD_VALIDITY = 2;
    uint256 private constant _BAD_KEY = 8;

    // An organisation's records form a mapping of their own, based at `organisationId << 64 | _records.slot`: the
    // record of a commitment is at `keccak256(abi.encode(commitment, organisationId << 64 | _records.slot))`, one
    // hash instead of a nested mapping's two. No declared variable sits at such a base (organisation ids start at 1),
    // and no other mapping's or array's slot equals one short of a keccak256 collision.
    uint256 private constant _RECORDS_ORGANISATION_SHIFT = 64;

    /// @dev The base of the records' mappings (see {_recordSlot}); organisation 0 has none, so it stays empty.
    mapping(bytes32 commitment => uint256 packedRecord) private _records;
    mapping(uint32 organisationId => mapping(bytes32 rootAndLeaf => uint256 packedRevocation)) private _leafRevocations;
    mapping(uint32 organisationId => mapping(bytes32 rootAndLeaf => bytes32 replacement)) private _supersededBy;

    /// @notice The soulbound token contract, deployed by this registry, which alone mints on it.
    IntygSoulbound public immutable soulbound;

    constructor(
        uint48 initialDelay,
        address initialAdmin
    ) IntygOrganisations(initialDelay, initialAdmin) EIP712("Intyg", "1") {
        soulbound = new IntygSoulbound();
    }

    /// @inheritdoc IIntygRegistry
    function issue(bytes32 commitment, uint64 eventId, uint64 validUntil) external {
        _anchorBy(msg.sender, commitment, eventId, validUntil, 0);
    }

    /// @inheritdoc IIntygRegistry
    function anchorBatch(bytes32 root, uint64 eventId, uint64 validUntil, uint32 batchSize) external {
        if (batchSize == 0) revert IntygRegistryInvalidBatchSize();
        _anchorBy(msg.sender, root, eventId, validUntil, batchSize);
    }

    /// @inheritdoc IIntygRegistry
    function issueSigned(IssueRequest calldata request, bytes32 r, bytes32 vs) external {
        address signer = _recoverCompact(_hashIssueRequest(request), r, vs);
        if (signer == address(0)) revert IntygRegistryInvalidSignature(signer);
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
        (uint32 organisationId, ) = _requireAnyValidKey(signer);
        uint256 batch = _anchoredRecord(organisationId, request.root);
        if (_batchSize(batch) == 0) revert IntygRegistryNotABatch(request.root);
        if (_revokedAt(batch) != 0 || _leafRevocations[organisationId][_leafKey(request.root, request.leaf)] != 0) {
            revert IntygRegistryAlreadyRevoked(request.leaf);
        }
        uint40 validUntil = _validUntil(batch);
        if (validUntil != 0 && validUntil <= block.timestamp) revert IntygRegistryInvalidValidity(validUntil);
        if (!MerkleProof.verifyCalldata(proof, request.root, request.leaf)) {
            revert IntygRegistryInvalidProof(request.root, request.leaf);
        }
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashClaimRequest(request), signature)) {
            revert IntygRegistryInvalidSignature(signer);
        }
        _mint(request.holder, organisationId, request.leaf);
    }

    /// @inheritdoc IIntygRegistry
    function revoke(
        uint32 organisationId,
        bytes32 commitment,
        uint8 reason
    ) external revokesRecord(organisationId, commitment, reason) {}

    /// @inheritdoc IIntygRegistry
    function revokeLeaf(uint32 organisationId, bytes32 root, bytes32 leaf, uint8 reason) external {
        if (reason == 0) revert IntygRegistryInvalidReason();
        _revokeLeaf(organisationId, root, leaf, reason);
    }

    /// @inheritdoc IIntygRegistry
    function supersede(uint32 organisationId, bytes32 root, bytes32 leaf, bytes32 replacement) external {
        if (leaf == bytes32(0)) _revokeRecord(organisationId, root, REASON_SUPERSEDED);
        else _revokeLeaf(organisationId, root, leaf, REASON_SUPERSEDED);
        // Read after the revocation, so that a credential cannot replace itself: a replacement must be in force,
        // which keeps chains of supersession free of cycles. The namespace keeps it in the same organisation.
        uint256 replacementRecord = _anchoredRecord(organisationId, replacement);
        if (_revokedAt(replacementRecord) != 0) revert IntygRegistryAlreadyRevoked(replacement);
        _supersededBy[organisationId][_leafKey(root, leaf)] = replacement;
        emit CredentialSuperseded(organisationId, root, leaf, replacement);
    }

    /// @inheritdoc IIntygRegistry
    function record(uint32 organisationId, bytes32 commitment) external view returns (Record memory) {
        uint256 packed = _recordAt(_recordSlot(organisationId, commitment));
        return
            Record({
                eventId: _eventId(packed),
                issuedAt: uint40(packed >> _ISSUED_AT_SHIFT),
                validUntil: _validUntil(packed),
                revokedAt: _revokedAt(packed),
                revocationReason: uint8(packed >> _REASON_SHIFT),
                batchSize: _batchSize(packed),
                anchoredBy: uint8(packed >> _ANCHORED_BY_SHIFT)
            });
    }

    /// @inheritdoc IIntygRegistry
    function leafRevocation(
        uint32 organisationId,
        bytes32 root,
        bytes32 leaf
    ) external view returns (LeafRevocation memory) {
        uint256 packed = _leafRevocations[organisationId][_leafKey(root, leaf)];
        return LeafRevocation({revokedAt: uint40(packed), reason: uint8(packed >> 40)});
    }

    /// @inheritdoc IIntygRegistry
    function supersededBy(uint32 organisationId, bytes32 root, bytes32 leaf) external view returns (bytes32) {
        return _supersededBy[organisationId][_leafKey(root, leaf)];
    }

    /// @inheritdoc IIntygRegistry
    function isBatchMember(
        uint32 organisationId,
        bytes32 root,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return
            _batchSize(_recordAt(_recordSlot(organisationId, root))) != 0 &&
            MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IIntygRegistry
    function tokenIdOf(uint32 organisationId, bytes32 commitment) external pure returns (uint256) {
        return _tokenId(organisationId, commitment);
    }

    /// @inheritdoc IIntygRegistry
    function hashIssueRequest(IssueRequest calldata request) external view returns (bytes32) {
        return _hashIssueRequest(request);
    }

    /// @inheritdoc IIntygRegistry
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32) {
        return _hashClaimRequest(request);
    }

    /**
     * @dev Anchors a signed request for `signer`, after checking its deadline and the signer's key. The request's
     * members are read from calldata once; out-of-range members are refused with an empty revert, as the ABI
     * decoder would (their digest was never signed anyway).
     */
    function _issueSigned(IssueRequest calldata request, address signer) private {
        bytes32 commitment;
        uint64 eventId;
        uint64 validUntil;
        uint32 batchSize;
        address holder;
        bool late;
        assembly ("memory-safe") {
            commitment := calldataload(request)
            eventId := calldataload(add(request, 0x20))
            validUntil := calldataload(add(request, 0x40))
            batchSize := calldataload(add(request, 0x60))
            holder := calldataload(add(request, 0x80))
            let deadline := calldataload(add(request, 0xa0))
            if or(
                or(shr(64, eventId), shr(64, validUntil)),
                or(or(shr(32, batchSize), shr(160, holder)), shr(64, deadline))
            ) {
                revert(0, 0)
            }
            late := gt(timestamp(), deadline)
        }
        if (late) revert IntygRegistryExpiredRequest(request.deadline);
        if (holder == address(0)) {
            _anchorBy(signer, commitment, eventId, validUntil, batchSize);
        } else {
            if (batchSize != 0) revert IntygRegistryHolderOnBatch();
            _mint(holder, _anchorBy(signer, commitment, eventId, validUntil, 0), commitment);
        }
    }

    /**
     * @dev Mints the token of `commitment` of the organisation (its id as {_tokenId}) to `holder` on {soulbound},
     * which this registry deployed (so it has code: the call skips the compiler's code-size check and bubbles up the
     * token's revert).
     */
    function _mint(address holder, uint32 organisationId, bytes32 commitment) private {
        address token = address(soulbound);
        bytes4 selector = IntygSoulbound.mint.selector;
        assembly ("memory-safe") {
            mstore(0x00, organisationId)
            mstore(0x20, commitment)
            let tokenId := keccak256(0x00, 0x40)
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), holder)
            mstore(add(ptr, 0x24), tokenId)
            if iszero(call(gas(), token, 0, ptr, 0x44, 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    /**
     * @dev The signer of `digest` by an ERC-2098 compact ECDSA signature (`r`, and `vs`: the parity of `v` in the top
     * bit over `s`), or the zero address when `s` is high (malleable) or the point is unrecoverable — OpenZeppelin's
     * `tryRecover(hash, r, vs)` rules. Calls ecrecover directly: the compiler's wrapper costs more than the check.
     */
    function _recoverCompact(bytes32 digest, bytes32 r, bytes32 vs) private view returns (address signer) {
        assembly ("memory-safe") {
            let s := and(vs, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF)
            if iszero(gt(s, 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0)) {
                let ptr := mload(0x40)
                mstore(ptr, digest)
                mstore(add(ptr, 0x20), add(shr(255, vs), 27))
                mstore(add(ptr, 0x40), r)
                mstore(add(ptr, 0x60), s)
                mstore(0x00, 0)
                // An unrecoverable point: ecrecover returns nothing and 0x00 stays zero.
                pop(staticcall(gas(), 0x01, ptr, 0x80, 0x00, 0x20))
                signer := mload(0x00)
            }
        }
    }

    /**
     * @dev Anchors `commitment` for `key` in the namespace of the organisation that owns `eventId` and returns that
     * organisation: one read of the key's slot, one fresh slot (the record), one lean log. The key must be a valid
     * key of the event's organisation now, not suspended, and the event's sequence non-zero (as
     * {_revertKeyForEvent}); the commitment non-zero, the validity 0 or in (now, 2^40), the slot not yet taken.
     * All of it is computed in one block without branches; the reason for a refusal is found only when one fails,
     * the key's first.
     */
    function _anchorBy(
        address key,
        bytes32 commitment,
        uint64 eventId,
        uint64 validUntil,
        uint32 batchSize
    ) private returns (uint32 organisationId) {
        bytes32 topic = CredentialAnchored.selector;
        uint256 state;
        uint256 faults;
        assembly ("memory-safe") {
            let now_ := timestamp()
            mstore(0x00, key)
            mstore(0x20, _keys.slot)
            state := sload(keccak256(0x00, 0x40))
            organisationId := shr(32, eventId)
            mstore(0x00, commitment)
            mstore(0x20, or(shl(_RECORDS_ORGANISATION_SHIFT, organisationId), _records.slot))
            let slot := keccak256(0x00, 0x40)
            // The key: of the event's organisation, both it and the event's sequence non-zero (32-bit each, so their
            // product is zero if either is), not suspended, and validFrom <= now < validUntil.
            let keyFault := or(
                or(xor(and(state, 0xffffffff), organisationId), iszero(mul(organisationId, and(eventId, 0xffffffff)))),
                or(
                    and(shr(_KEY_SUSPENDED_SHIFT, state), 0xff),
                    or(
                        lt(now_, and(shr(_KEY_VALID_FROM_SHIFT, state), _MASK_40)),
                        iszero(lt(now_, and(shr(_KEY_VALID_UNTIL_SHIFT, state), _MASK_40)))
                    )
                )
            )
            // A validity of 0 (no expiry) or in (now, 2^40): validUntil - 1 wraps to the maximum for 0.
            let validityFault := or(gt(validUntil, _MASK_40), lt(sub(validUntil, 1), now_))
            faults := or(
                or(iszero(commitment), shl(1, validityFault)),
                or(shl(2, gt(sload(slot), 0)), shl(3, keyFault))
            )
            if iszero(faults) {
                // anchoredBy: the key's index in its organisation plus one.
                let anchoredBy := add(shr(_KEY_INDEX_SHIFT, state), 1)
                let record := or(or(eventId, shl(_ISSUED_AT_SHIFT, now_)), shl(_VALID_UNTIL_SHIFT, validUntil))
                sstore(slot, or(record, or(shl(_BATCH_SIZE_SHIFT, batchSize), shl(_ANCHORED_BY_SHIFT, anchoredBy))))
                mstore(0x00, commitment)
                mstore(0x20, eventId)
                log1(0x00, 0x40, topic)
            }
        }
        if (faults != 0) _revertAnchor(key, commitment, eventId, validUntil, state, faults);
    }

    /**
     * @dev Reverts with the first of `faults` found by {_anchorBy} (bits 8, 1, 2, 4: key, commitment, validity,
     * slot taken), for `key` with slot `state`.
     */
    function _revertAnchor(
        address key,
        bytes32 commitment,
        uint64 eventId,
        uint64 validUntil,
        uint256 state,
        uint256 faults
    ) private pure {
        if (faults & _BAD_KEY != 0) _revertKeyForEvent(key, eventId, state);
        if (faults & _BAD_COMMITMENT != 0) revert IntygRegistryInvalidCommitment();
        if (faults & _BAD_VALIDITY != 0) revert IntygRegistryInvalidValidity(validUntil);
        revert IntygRegistryAlreadyAnchored(_organisationOf(eventId), commitment);
    }

    /**
     * @dev Revokes a record (a single credential or a whole batch) of the organisation with a non-zero `reason`, if
     * the sender may (as {_requireRevoker}: the admin always, a key only what it anchored itself while valid). One
     * block reads the record's slot and the sender's key slot and computes the checks without branches; the reason
     * for a refusal is found only when one fails, in the order: reason, record, revocation, sender.
     * A modifier, so that {revoke} runs it inline (no internal call on its hot path) and {_revokeRecord} shares it.
     */
    modifier revokesRecord(uint32 organisationId, bytes32 commitment, uint8 reason) {
        uint256 slot;
        uint256 packed;
        uint256 faults;
        address forwarder = _forwarder;
        assembly ("memory-safe") {
            mstore(0x00, commitment)
            mstore(0x20, or(shl(_RECORDS_ORGANISATION_SHIFT, organisationId), _records.slot))
            slot := keccak256(0x00, 0x40)
            packed := sload(slot)
            faults := or(
                or(iszero(reason), shl(1, iszero(packed))),
                shl(2, gt(and(shr(_REVOKED_AT_SHIFT, packed), _MASK_40), 0))
            )
            // The sender as {_msgSender} reads it, inline: the signer of a request the forwarder relays.
            let sender := caller()
            if and(eq(sender, forwarder), gt(calldatasize(), 19)) {
                sender := shr(96, calldataload(sub(calldatasize(), 20)))
            }
            mstore(0x00, sender)
            mstore(0x20, _keys.slot)
            let state := sload(keccak256(0x00, 0x40))
            let now_ := timestamp()
            // The sender is the key that anchored the record (its organisation, and index + 1 == anchoredBy, with
            // the suspension byte 0), and validFrom <= now < validUntil.
            let ownKey := and(
                and(
                    eq(and(state, 0xffffffff), organisationId),
                    eq(shr(_KEY_SUSPENDED_SHIFT, state), shl(8, sub(shr(_ANCHORED_BY_SHIFT, packed), 1)))
                ),
                and(
                    iszero(lt(now_, and(shr(_KEY_VALID_FROM_SHIFT, state), _MASK_40))),
                    lt(now_, and(shr(_KEY_VALID_UNTIL_SHIFT, state), _MASK_40))
                )
            )
            faults := or(faults, shl(3, iszero(ownKey)))
        }
        // One branch on the hot path: a fault, or (bit 8) a sender that is not the anchoring key, which must then be
        // the organisation's admin.
        if (faults != 0) _checkRevocation(organisationId, commitment, faults);
        bytes32 topic = CredentialRevoked.selector;
        assembly ("memory-safe") {
            sstore(slot, or(packed, or(shl(_REVOKED_AT_SHIFT, timestamp()), shl(_REASON_SHIFT, reason))))
            mstore(0x00, commitment)
            log1(0x00, 0x20, topic)
        }
        _;
    }

    /// @dev Revokes a record of the organisation with `reason`, as {revoke} does (used by {supersede}).
    function _revokeRecord(
        uint32 organisationId,
        bytes32 commitment,
        uint8 reason
    ) private revokesRecord(organisationId, commitment, reason) {}

    /**
     * @dev Reverts with the first of `faults` found by {_revokeRecord} (bits 1, 2, 4: reason, record, revocation);
     * with only bit 8 (the sender is not the anchoring key), reverts unless the sender is the organisation's admin.
     */
    function _checkRevocation(uint32 organisationId, bytes32 commitment, uint256 faults) private view {
        if (faults & 1 != 0) revert IntygRegistryInvalidReason();
        if (faults & 2 != 0) revert IntygRegistryNotAnchored(organisationId, commitment);
        if (faults & 4 != 0) revert IntygRegistryAlreadyRevoked(commitment);
        _requireAdmin(organisationId);
    }

    /// @dev Revokes one leaf of a batch of the organisation, if the sender may revoke the batch.
    function _revokeLeaf(uint32 organisationId, bytes32 root, bytes32 leaf, uint8 reason) private {
        if (leaf == bytes32(0)) revert IntygRegistryInvalidLeaf();
        uint256 batch = _anchoredRecord(organisationId, root);
        if (_batchSize(batch) == 0) revert IntygRegistryNotABatch(root);
        if (_revokedAt(batch) != 0) revert IntygRegistryAlreadyRevoked(root);
        _requireRevoker(organisationId, _anchoredBy(batch));
        bytes32 key = _leafKey(root, leaf);
        mapping(bytes32 => uint256) storage revocations = _leafRevocations[organisationId];
        if (revocations[key] != 0) revert IntygRegistryAlreadyRevoked(leaf);
        revocations[key] = block.timestamp | (uint256(reason) << 40);
        emit BatchLeafRevoked(root, organisationId, leaf);
    }

    /// @dev The storage slot of the record of `commitment` in the organisation's namespace (see `_records`).
    function _recordSlot(uint32 organisationId, bytes32 commitment) private pure returns (uint256 slot) {
        assembly ("memory-safe") {
            mstore(0x00, commitment)
            mstore(0x20, or(shl(_RECORDS_ORGANISATION_SHIFT, organisationId), _records.slot))
            slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev The packed record stored at `slot` (0: none).
    function _recordAt(uint256 slot) private view returns (uint256 packed) {
        assembly ("memory-safe") {
            packed := sload(slot)
        }
    }

    /// @dev The packed record of `commitment` in the organisation's namespace; reverts if it is not anchored.
    function _anchoredRecord(uint32 organisationId, bytes32 commitment) private view returns (uint256 packed) {
        packed = _recordAt(_recordSlot(organisationId, commitment));
        if (packed == 0) revert IntygRegistryNotAnchored(organisationId, commitment);
    }

    /// @dev The event id of a packed record.
    function _eventId(uint256 packed) private pure returns (uint64) {
        return uint64(packed);
    }

    /// @dev The end of validity of a packed record (0: no expiry).
    function _validUntil(uint256 packed) private pure returns (uint40) {
        return uint40(packed >> _VALID_UNTIL_SHIFT);
    }

    /// @dev The revocation time of a packed record (0: not revoked).
    function _revokedAt(uint256 packed) private pure returns (uint40) {
        return uint40(packed >> _REVOKED_AT_SHIFT);
    }

    /// @dev The batch size of a packed record (0: a single credential).
    function _batchSize(uint256 packed) private pure returns (uint32) {
        return uint32(packed >> _BATCH_SIZE_SHIFT);
    }

    /// @dev The anchoring key's index plus one, of a packed record.
    function _anchoredBy(uint256 packed) private pure returns (uint256) {
        return packed >> _ANCHORED_BY_SHIFT;
    }

    /**
     * @dev The EIP-712 digest of an issue request, hashed straight from calldata in one block: the struct hash and
     * then `keccak256("\x19\x01" || domainSeparator || structHash)`, as `_hashTypedDataV4` does.
     */
    function _hashIssueRequest(IssueRequest calldata request) private view returns (bytes32 digest) {
        // Equal to keccak256(abi.encode(ISSUE_TYPEHASH, request)) for a well-formed request: every member of
        // IssueRequest is a static type, so the calldata struct is already its ABI encoding. Out-of-range
        // members (dirty high bits) give a digest no key signed.
        bytes32 typeHash = ISSUE_TYPEHASH;
        bytes32 domainSeparator = _domainSeparatorV4();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), request, 0xc0)
            let structHash := keccak256(ptr, 0xe0)
            mstore(ptr, hex"19_01")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @dev The EIP-712 digest of a claim voucher.
    function _hashClaimRequest(ClaimRequest calldata request) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, request)));
    }

    /// @dev The token id of a commitment or leaf of the organisation: `keccak256(abi.encode(organisationId, c))`.
    function _tokenId(uint32 organisationId, bytes32 commitment) private pure returns (uint256 id) {
        assembly ("memory-safe") {
            mstore(0x00, organisationId)
            mstore(0x20, commitment)
            id := keccak256(0x00, 0x40)
        }
    }

    /// @dev The key of a leaf of a batch (or of a single credential, with leaf 0) in the per-leaf mappings.
    function _leafKey(bytes32 root, bytes32 leaf) private pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, root)
            mstore(0x20, leaf)
            key := keccak256(0x00, 0x40)
        }
    }
}
