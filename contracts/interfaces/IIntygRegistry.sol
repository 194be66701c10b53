// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @dev Types, events and errors of the Intyg credential registry.
 *
 * The registry stores no personal data: only commitments (salted Merkle roots), ids, addresses,
 * timestamps and reason codes.
 */
interface IIntygRegistry {
    /// @dev What governance says of an organisation.
    enum OrganisationStatus {
        None,
        Active,
        Suspended
    }

    /// @dev An event (attendance) or a course (training).
    enum EventKind {
        None,
        Event,
        Course
    }

    /**
     * @dev A request to anchor a commitment, signed (EIP-712) by an authorised signing key and relayed by anyone.
     * `batchSize` is 0 for a single credential and the number of leaves for a batch root. A non-zero `holder`
     * (single credentials only) receives a soulbound token whose id is the commitment.
     */
    struct IssueRequest {
        bytes32 commitment;
        uint64 eventId;
        uint64 validUntil;
        uint32 batchSize;
        address holder;
        uint64 deadline;
    }

    /// @dev A voucher, signed by an authorised key, that lets `holder` receive the token of one leaf of a batch.
    struct ClaimRequest {
        bytes32 root;
        bytes32 leaf;
        address holder;
        uint64 deadline;
    }

    /// @dev The on-chain state of an organisation.
    struct Organisation {
        bytes32 profileHash;
        address admin;
        OrganisationStatus status;
        uint32 eventCount;
        uint40 suspendedAt;
    }

    /// @dev The on-chain state of a signing key. The key may sign in `[validFrom, validUntil)`.
    struct SigningKey {
        uint32 organisationId;
        uint40 validFrom;
        uint40 validUntil;
        bool suspended;
    }

    /// @dev The on-chain state of an event or a course.
    struct EventInfo {
        bytes32 metadataHash;
        uint64 parentId;
        uint40 createdAt;
        EventKind kind;
    }

    /// @dev The on-chain record of an anchored commitment (a single credential or a batch root). One slot.
    struct Record {
        uint64 eventId;
        uint40 issuedAt;
        uint40 validUntil;
        uint40 revokedAt;
        uint8 revocationReason;
        uint32 batchSize;
    }

    /// @dev The revocation of one leaf of a batch.
    struct LeafRevocation {
        uint40 revokedAt;
        uint8 reason;
    }

    event OrganisationAccredited(uint32 indexed organisationId, address indexed admin, bytes32 profileHash);
    event OrganisationProfileUpdated(uint32 indexed organisationId, bytes32 profileHash);
    event OrganisationAdminChanged(uint32 indexed organisationId, address indexed admin);
    event OrganisationSuspended(uint32 indexed organisationId);
    event OrganisationReinstated(uint32 indexed organisationId);
    event SigningKeyAuthorised(uint32 indexed organisationId, address indexed key, uint40 validFrom, uint40 validUntil);
    event SigningKeyRemoved(uint32 indexed organisationId, address indexed key, uint40 removedAt);
    event EventCreated(
        uint32 indexed organisationId,
        uint64 indexed eventId,
        uint64 indexed parentId,
        EventKind kind,
        bytes32 metadataHash
    );
    event EventMetadataUpdated(uint64 indexed eventId, bytes32 metadataHash);
    /// @dev `batchSize` is 0 for a single credential; `validUntil` 0 means no expiry.
    event CredentialAnchored(bytes32 indexed commitment, uint64 eventId, uint40 validUntil, uint32 batchSize);
    event CredentialRevoked(bytes32 indexed commitment, uint8 reason);
    event BatchLeafRevoked(bytes32 indexed root, bytes32 leaf, uint8 reason);
    event CredentialSuperseded(bytes32 indexed root, bytes32 indexed leaf, bytes32 indexed replacement);

    error IntygRegistryUnknownOrganisation(uint32 organisationId);
    error IntygRegistryOrganisationSuspended(uint32 organisationId);
    error IntygRegistryOrganisationNotSuspended(uint32 organisationId);
    error IntygRegistryInvalidAdmin(address admin);
    error IntygRegistryUnauthorised(address account);
    error IntygRegistryKeyAlreadyRegistered(address key);
    error IntygRegistryInvalidKeyWindow(uint40 validFrom, uint40 validUntil);
    error IntygRegistryTooManyKeys(uint32 organisationId);
    error IntygRegistryKeyNotAuthorised(address key);
    error IntygRegistryUnknownEvent(uint64 eventId);
    error IntygRegistryInvalidParent(uint64 parentId);
    error IntygRegistryInvalidEventKind();
    error IntygRegistryWrongOrganisation(uint64 eventId, uint32 organisationId);
    error IntygRegistryInvalidCommitment();
    error IntygRegistryAlreadyAnchored(bytes32 commitment);
    error IntygRegistryNotAnchored(bytes32 commitment);
    error IntygRegistryAlreadyRevoked(bytes32 commitment);
    error IntygRegistryInvalidReason();
    error IntygRegistryInvalidValidity(uint64 validUntil);
    error IntygRegistryExpiredRequest(uint64 deadline);
    error IntygRegistryInvalidSignature(address signer);
    error IntygRegistryHolderOnBatch();
    error IntygRegistryInvalidProof(bytes32 root, bytes32 leaf);
    error IntygRegistrySoulbound(uint256 tokenId);

    /**
     * @notice Accredits a new issuer organisation, managed by `admin`, with the hash of its off-chain profile.
     * @return organisationId the id of the new organisation.
     */
    function accreditOrganisation(address admin, bytes32 profileHash) external returns (uint32 organisationId);

    /// @notice Suspends an organisation: none of its keys can sign or anchor until it is reinstated.
    function suspendOrganisation(uint32 organisationId) external;

    /// @notice Lifts the suspension of an organisation.
    function reinstateOrganisation(uint32 organisationId) external;

    /// @notice Replaces the profile hash of an organisation (by its admin or governance).
    function updateOrganisationProfile(uint32 organisationId, bytes32 profileHash) external;

    /// @notice Hands the administration of an organisation to another address (by its admin or governance).
    function changeOrganisationAdmin(uint32 organisationId, address admin) external;

    /// @notice Authorises `key` to sign for the organisation in `[validFrom, validUntil)`. A key is registered once.
    function authoriseKey(uint32 organisationId, address key, uint40 validFrom, uint40 validUntil) external;

    /// @notice Ends the window of `key` now. What it signed while valid stays valid.
    function removeKey(address key) external;

    /**
     * @notice Creates an event (attendance) or a course (training) of the organisation, optionally under a
     * parent event of the same organisation. Callable by the organisation's admin or one of its valid keys.
     * @return eventId the id of the new event: the organisation id in the high 32 bits, a sequence in the low 32.
     */
    function createEvent(
        uint32 organisationId,
        uint64 parentId,
        EventKind kind,
        bytes32 metadataHash
    ) external returns (uint64 eventId);

    /// @notice Replaces the metadata hash of an event or course.
    function updateEventMetadata(uint64 eventId, bytes32 metadataHash) external;

    /// @notice Anchors one credential's commitment; the sender must be a valid key of the event's organisation.
    function issue(bytes32 commitment, uint64 eventId, uint64 validUntil) external;

    /// @notice Anchors the Merkle root of a batch of `batchSize` credentials; the sender must be a valid key.
    function anchorBatch(bytes32 root, uint64 eventId, uint64 validUntil, uint32 batchSize) external;

    /// @notice Anchors a commitment on a request signed (ECDSA) by a valid key; anyone may relay it.
    function issueSigned(IssueRequest calldata request, bytes calldata signature) external;

    /// @notice Like {issueSigned} for a named signer, which may be a contract (ERC-1271) or an EOA.
    function issueSignedBy(IssueRequest calldata request, address signer, bytes calldata signature) external;

    /// @notice Mints the soulbound token of one leaf of an anchored batch to the holder named in a signed voucher.
    function claimToken(
        ClaimRequest calldata request,
        bytes32[] calldata proof,
        address signer,
        bytes calldata signature
    ) external;

    /// @notice Revokes a single credential or a whole batch, with a non-zero reason code.
    function revoke(bytes32 commitment, uint8 reason) external;

    /// @notice Revokes one leaf of an anchored batch, with a non-zero reason code.
    function revokeLeaf(bytes32 root, bytes32 leaf, uint8 reason) external;

    /**
     * @notice Revokes a credential (a single commitment with `leaf` zero, or a leaf of batch `root`) as superseded
     * by `replacement`, an anchored commitment of the same organisation.
     */
    function supersede(bytes32 root, bytes32 leaf, bytes32 replacement) external;

    /// @notice The organisation `organisationId`.
    function organisation(uint32 organisationId) external view returns (Organisation memory);

    /// @notice The number of accredited organisations (ids run from 1).
    function organisationCount() external view returns (uint32);

    /// @notice The state of signing key `key`.
    function signingKey(address key) external view returns (SigningKey memory);

    /// @notice The keys ever registered for an organisation.
    function organisationKeys(uint32 organisationId) external view returns (address[] memory);

    /// @notice Whether `key` may sign for `organisationId` at `timestamp` (ignores suspension).
    function isKeyValidAt(address key, uint32 organisationId, uint40 timestamp) external view returns (bool);

    /// @notice The event or course `eventId`.
    function eventInfo(uint64 eventId) external view returns (EventInfo memory);

    /// @notice The record of an anchored commitment; `issuedAt` is zero when it is not anchored.
    function record(bytes32 commitment) external view returns (Record memory);

    /// @notice The revocation of a leaf of a batch; `revokedAt` is zero when it is not revoked.
    function leafRevocation(bytes32 root, bytes32 leaf) external view returns (LeafRevocation memory);

    /// @notice The commitment that superseded a credential, or zero.
    function supersededBy(bytes32 root, bytes32 leaf) external view returns (bytes32);

    /// @notice Whether `leaf` belongs to the anchored batch `root` by `proof` (OpenZeppelin Merkle tree semantics).
    function isBatchMember(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice The EIP-712 digest of an issue request under this registry's domain.
    function hashIssueRequest(IssueRequest calldata request) external view returns (bytes32);

    /// @notice The EIP-712 digest of a claim voucher under this registry's domain.
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32);
}
