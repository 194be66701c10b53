// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IIntygRegistry
 * @notice The Intyg credential registry: accredited organisations anchor commitments of credentials, each in its
 * own namespace, and revoke them.
 * @dev Types, events and errors of the Intyg credential registry.
 *
 * The registry stores no personal data: only commitments (salted Merkle roots), ids, addresses,
 * timestamps and reason codes.
 *
 * Where a function is reserved to an admin, a key or governance, the caller is the sender, or the signer of a request
 * the trusted forwarder relays (ERC-2771), so that none of them needs ether. {issue} and {anchorBatch} take the sender
 * only: a key without ether signs an {IssueRequest} instead.
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

    /// @dev An organisation's consent, signed (EIP-712) by a key, to be authorised as its signing key in a window.
    struct KeyConsent {
        uint32 organisationId;
        address key;
        uint40 validFrom;
        uint40 validUntil;
    }

    /// @dev The on-chain state of an organisation. `profileHash` is the profile in force (approved by governance).
    struct Organisation {
        bytes32 profileHash;
        address admin;
        OrganisationStatus status;
        uint32 eventCount;
        uint40 suspendedAt;
        bytes32 organisationNumberHash;
    }

    /// @dev A profile hash and the time from which it is in force, until the next one's `since`.
    struct ProfileVersion {
        bytes32 profileHash;
        uint40 since;
    }

    /**
     * @dev The on-chain state of a signing key. The key may sign in `[validFrom, validUntil)`. `index` is its
     * position in the organisation's list of keys; records remember it as the key that anchored them.
     */
    struct SigningKey {
        uint32 organisationId;
        uint40 validFrom;
        uint40 validUntil;
        bool suspended;
        uint8 index;
    }

    /// @dev The on-chain state of an event or a course.
    struct EventInfo {
        bytes32 metadataHash;
        uint64 parentId;
        uint40 createdAt;
        EventKind kind;
    }

    /**
     * @dev The on-chain record of an anchored commitment (a single credential or a batch root) in its organisation's
     * namespace. One slot. `anchoredBy` is the anchoring key's `index` + 1.
     */
    struct Record {
        uint64 eventId;
        uint40 issuedAt;
        uint40 validUntil;
        uint40 revokedAt;
        uint8 revocationReason;
        uint32 batchSize;
        uint8 anchoredBy;
    }

    /// @dev The revocation of one leaf of a batch.
    struct LeafRevocation {
        uint40 revokedAt;
        uint8 reason;
    }

    /// @notice Governance accredited an organisation, managed by `admin`, with its profile and organisation number.
    event OrganisationAccredited(
        uint32 indexed organisationId,
        address indexed admin,
        bytes32 profileHash,
        bytes32 organisationNumberHash
    );
    /// @notice The admin asked for `profileHash` to become the organisation's profile; governance decides.
    event OrganisationProfileProposed(uint32 indexed organisationId, bytes32 profileHash);
    /// @notice Governance approved `profileHash`: it is the organisation's profile from this block on.
    event OrganisationProfileUpdated(uint32 indexed organisationId, bytes32 profileHash);
    /// @notice The organisation's admin handed the organisation to `admin`.
    event OrganisationAdminChanged(uint32 indexed organisationId, address indexed admin);
    /// @notice Governance suspended the organisation: its keys can neither sign nor anchor.
    event OrganisationSuspended(uint32 indexed organisationId);
    /// @notice Governance lifted the organisation's suspension.
    event OrganisationReinstated(uint32 indexed organisationId);
    /// @notice A grant of `role` to `account` may be completed with `grantRole` from `readyAt` on.
    event RoleGrantScheduled(bytes32 indexed role, address indexed account, uint48 readyAt);
    /// @notice The scheduled grant of `role` to `account` was cancelled.
    event RoleGrantCancelled(bytes32 indexed role, address indexed account);
    /// @notice The admin authorised `key`, with its consent, to sign for the organisation in `[validFrom, validUntil)`.
    event SigningKeyAuthorised(uint32 indexed organisationId, address indexed key, uint40 validFrom, uint40 validUntil);
    /// @notice The key's window was cut short at `removedAt`.
    event SigningKeyRemoved(uint32 indexed organisationId, address indexed key, uint40 removedAt);
    /// @notice The organisation created an event or a course, optionally under a parent event.
    event EventCreated(
        uint32 indexed organisationId,
        uint64 indexed eventId,
        uint64 indexed parentId,
        EventKind kind,
        bytes32 metadataHash
    );
    /// @notice The description hash of an event or course was replaced.
    event EventMetadataUpdated(uint64 indexed eventId, bytes32 metadataHash);
    /**
     * @notice A commitment (a credential, or a batch root) was anchored in the namespace of the event's organisation
     * (`eventId >> 32`).
     * @dev Lean on purpose (one topic, two words: 1,262 gas): it names the record, and {record} says the rest
     * (validity, batch size, time, anchoring key). Nothing is indexed, as no reader filters by commitment.
     */
    event CredentialAnchored(bytes32 commitment, uint64 eventId);
    /**
     * @notice A credential or a whole batch was revoked.
     * @dev One topic and one word (1,006 gas). The organisation is in the call (`revoke`'s first argument), and
     * the reason code and time are in the record ({record}); no reader of the registry's logs needs more.
     */
    event CredentialRevoked(bytes32 commitment);
    /**
     * @notice One leaf of a batch of the organisation was revoked.
     * @dev The reason code and time are in {leafRevocation}; readers of the log need only which leaf of which
     * batch of which organisation, so the reason is not logged (256 gas).
     */
    event BatchLeafRevoked(bytes32 indexed root, uint32 organisationId, bytes32 leaf);
    /// @notice A credential of the organisation (`leaf` 0 for a single one) was revoked as superseded by `replacement`.
    event CredentialSuperseded(
        uint32 indexed organisationId,
        bytes32 indexed root,
        bytes32 indexed leaf,
        bytes32 replacement
    );

    /// @dev No organisation has id `organisationId`.
    error IntygRegistryUnknownOrganisation(uint32 organisationId);
    /// @dev The organisation is suspended, or a key of it is used while it is.
    error IntygRegistryOrganisationSuspended(uint32 organisationId);
    /// @dev The organisation is suspended already.
    error IntygRegistryOrganisationAlreadySuspended(uint32 organisationId);
    /// @dev The organisation is not suspended, so it cannot be reinstated.
    error IntygRegistryOrganisationNotSuspended(uint32 organisationId);
    /// @dev The zero address cannot administer an organisation.
    error IntygRegistryInvalidAdmin(address admin);
    /// @dev An accreditation without an organisation number hash.
    error IntygRegistryInvalidOrganisationNumber();
    /// @dev Another organisation is accredited with this organisation number.
    error IntygRegistryOrganisationNumberTaken(bytes32 organisationNumberHash, uint32 organisationId);
    /// @dev A zero profile hash.
    error IntygRegistryInvalidProfile();
    /// @dev Governance approved a profile hash the organisation did not propose.
    error IntygRegistryProfileNotProposed(uint32 organisationId, bytes32 profileHash);
    /// @dev `account` may not do this.
    error IntygRegistryUnauthorised(address account);
    /// @dev The zero address cannot be a key.
    error IntygRegistryInvalidKey(address key);
    /// @dev The key is registered already (keys are registered once, to one organisation).
    error IntygRegistryKeyAlreadyRegistered(address key);
    /// @dev The key did not consent (EIP-712 {KeyConsent}) to this organisation and window.
    error IntygRegistryInvalidKeyConsent(address key);
    /// @dev An empty or inverted key window.
    error IntygRegistryInvalidKeyWindow(uint40 validFrom, uint40 validUntil);
    /// @dev The organisation has registered {MAX_KEYS} keys.
    error IntygRegistryTooManyKeys(uint32 organisationId);
    /// @dev `key` is not a registered key.
    error IntygRegistryUnknownKey(address key);
    /// @dev `key` is registered but may not sign now (outside its window, or removed).
    error IntygRegistryKeyNotAuthorised(address key);
    /// @dev The key's window has ended already, so it cannot be removed.
    error IntygRegistryKeyAlreadyRemoved(address key);
    /// @dev No event or course has id `eventId`.
    error IntygRegistryUnknownEvent(uint64 eventId);
    /// @dev The parent is not an event of the same organisation.
    error IntygRegistryInvalidParent(uint64 parentId);
    /// @dev `EventKind.None`.
    error IntygRegistryInvalidEventKind();
    /// @dev The event does not belong to the key's organisation `organisationId` (or has sequence 0).
    error IntygRegistryWrongOrganisation(uint64 eventId, uint32 organisationId);
    /// @dev A zero commitment.
    error IntygRegistryInvalidCommitment();
    /// @dev A batch of size 0.
    error IntygRegistryInvalidBatchSize();
    /// @dev A zero leaf.
    error IntygRegistryInvalidLeaf();
    /// @dev The commitment is anchored already in the organisation's namespace.
    error IntygRegistryAlreadyAnchored(uint32 organisationId, bytes32 commitment);
    /// @dev The commitment is not anchored in the organisation's namespace.
    error IntygRegistryNotAnchored(uint32 organisationId, bytes32 commitment);
    /// @dev The commitment is anchored, but as a single credential, not a batch root.
    error IntygRegistryNotABatch(bytes32 root);
    /// @dev The credential (commitment, root or leaf) is revoked already.
    error IntygRegistryAlreadyRevoked(bytes32 commitment);
    /// @dev Reason code 0 means "not revoked".
    error IntygRegistryInvalidReason();
    /// @dev `validUntil` is in the past or beyond uint40.
    error IntygRegistryInvalidValidity(uint64 validUntil);
    /// @dev The request's deadline has passed.
    error IntygRegistryExpiredRequest(uint64 deadline);
    /// @dev The signature is not `signer`'s over this request.
    error IntygRegistryInvalidSignature(address signer);
    /// @dev Batches have no holder: a leaf's token is claimed with {claimToken}.
    error IntygRegistryHolderOnBatch();
    /// @dev `proof` does not lead from `leaf` to `root`.
    error IntygRegistryInvalidProof(bytes32 root, bytes32 leaf);
    /// @dev `grantRole` without a grant scheduled {defaultAdminDelay} earlier.
    error IntygRegistryRoleGrantNotReady(bytes32 role, address account, uint48 readyAt);

    /**
     * @notice Accredits a new issuer organisation, managed by `admin`, with the hash of its off-chain profile (which
     * names the id the organisation receives) and the hash of its organisation number, unique in the registry. By
     * governance (`GOVERNOR_ROLE`: the sender, or the signer of a request the trusted forwarder relays), as are
     * {suspendOrganisation}, {reinstateOrganisation} and {approveOrganisationProfile}.
     * @return organisationId the id of the new organisation.
     */
    function accreditOrganisation(
        address admin,
        bytes32 profileHash,
        bytes32 organisationNumberHash
    ) external returns (uint32 organisationId);

    /// @notice Suspends an organisation: none of its keys can sign or anchor until it is reinstated.
    function suspendOrganisation(uint32 organisationId) external;

    /// @notice Lifts the suspension of an organisation.
    function reinstateOrganisation(uint32 organisationId) external;

    /**
     * @notice Proposes a new profile hash for the organisation (by its admin: the sender, or the signer of a request
     * the trusted forwarder relays). It takes effect only when governance approves it with
     * {approveOrganisationProfile}; a new proposal replaces a pending one.
     */
    function proposeOrganisationProfile(uint32 organisationId, bytes32 profileHash) external;

    /// @notice Puts the organisation's pending profile `profileHash` in force from now on (by governance).
    function approveOrganisationProfile(uint32 organisationId, bytes32 profileHash) external;

    /**
     * @notice Hands the administration of an organisation to another address (by its admin only: the sender, or the
     * signer of a request the trusted forwarder relays).
     */
    function changeOrganisationAdmin(uint32 organisationId, address admin) external;

    /**
     * @notice Schedules the grant of `role` to `account`, which {grantRole} may complete after {defaultAdminDelay}.
     * Reserved to the role's admin.
     */
    function scheduleRoleGrant(bytes32 role, address account) external;

    /// @notice Cancels a scheduled role grant. Reserved to the role's admin.
    function cancelRoleGrant(bytes32 role, address account) external;

    /**
     * @notice Authorises `key` to sign for the organisation in `[validFrom, validUntil)` (by its admin: the sender,
     * or the signer of a request the trusted forwarder relays), with the key's own EIP-712 {KeyConsent} to exactly
     * this organisation and window (ECDSA, or ERC-1271 for a contract key). A key is registered once, to one
     * organisation.
     */
    function authoriseKey(
        uint32 organisationId,
        address key,
        uint40 validFrom,
        uint40 validUntil,
        bytes calldata consent
    ) external;

    /**
     * @notice Ends the window of `key` now (by the organisation's admin or the key: the sender, or the signer of a
     * request the trusted forwarder relays). What it signed stays valid.
     */
    function removeKey(address key) external;

    /**
     * @notice Creates an event (attendance) or a course (training) of the organisation, optionally under a
     * parent event of the same organisation. Callable by the organisation's admin or one of its valid keys (the
     * sender, or the signer of a request the trusted forwarder relays).
     * @return eventId the id of the new event: the organisation id in the high 32 bits, a sequence in the low 32.
     */
    function createEvent(
        uint32 organisationId,
        uint64 parentId,
        EventKind kind,
        bytes32 metadataHash
    ) external returns (uint64 eventId);

    /// @notice Replaces the metadata hash of an event or course (same rights as {createEvent}).
    function updateEventMetadata(uint64 eventId, bytes32 metadataHash) external;

    /**
     * @notice Anchors one credential's commitment; the sender must be a valid key of the event's organisation. Not
     * through the trusted forwarder, which is no key: a key that sends no transaction uses {issueSigned}.
     */
    function issue(bytes32 commitment, uint64 eventId, uint64 validUntil) external;

    /**
     * @notice Anchors the Merkle root of a batch of `batchSize` credentials; the sender must be a valid key (as for
     * {issue}, not through the trusted forwarder: {issueSigned} takes a signed batch).
     */
    function anchorBatch(bytes32 root, uint64 eventId, uint64 validUntil, uint32 batchSize) external;

    /**
     * @notice Anchors a commitment on a request signed (ECDSA) by a valid key; anyone may relay it.
     * @dev The signature in ERC-2098's compact form: `r`, and `vs` = `yParity << 255 | s` (64 bytes of calldata
     * instead of 65 bytes, a length and an offset: about 500 gas less per issuance). {issueSignedBy} takes any form.
     */
    function issueSigned(IssueRequest calldata request, bytes32 r, bytes32 vs) external;

    /// @notice Like {issueSigned} for a named signer, which may be a contract (ERC-1271) or an EOA.
    function issueSignedBy(IssueRequest calldata request, address signer, bytes calldata signature) external;

    /**
     * @notice Mints the soulbound token of one leaf of a batch anchored by the signer's organisation to the holder
     * named in a voucher signed by a valid key of that organisation.
     */
    function claimToken(
        ClaimRequest calldata request,
        bytes32[] calldata proof,
        address signer,
        bytes calldata signature
    ) external;

    /**
     * @notice Revokes a single credential or a whole batch of the organisation, with a non-zero reason code. The
     * organisation's admin may revoke any of its records, even while it is suspended; a signing key only the records
     * it anchored itself, while it is valid. Either is the sender, or the signer of a request the trusted forwarder
     * relays.
     */
    function revoke(uint32 organisationId, bytes32 commitment, uint8 reason) external;

    /// @notice Revokes one leaf of an anchored batch, with a non-zero reason code (same rights as {revoke}).
    function revokeLeaf(uint32 organisationId, bytes32 root, bytes32 leaf, uint8 reason) external;

    /**
     * @notice Revokes a credential (a single commitment with `leaf` zero, or a leaf of batch `root`) as superseded
     * by `replacement`, an anchored commitment of the same organisation (same rights as {revoke}).
     */
    function supersede(uint32 organisationId, bytes32 root, bytes32 leaf, bytes32 replacement) external;

    /// @notice The organisation `organisationId`.
    function organisation(uint32 organisationId) external view returns (Organisation memory);

    /// @notice The number of accredited organisations (ids run from 1).
    function organisationCount() external view returns (uint32);

    /// @notice The organisation accredited with this organisation number hash, or 0.
    function organisationByNumber(bytes32 organisationNumberHash) external view returns (uint32);

    /// @notice The profile hash the organisation's admin proposed and governance has not yet approved, or 0.
    function pendingOrganisationProfile(uint32 organisationId) external view returns (bytes32);

    /// @notice Every profile the organisation has had, oldest first, each with the time it came into force.
    function organisationProfiles(uint32 organisationId) external view returns (ProfileVersion[] memory);

    /// @notice The profile hash in force for the organisation at `timestamp` (0 before its accreditation).
    function profileAt(uint32 organisationId, uint40 timestamp) external view returns (bytes32);

    /// @notice The state of signing key `key`.
    function signingKey(address key) external view returns (SigningKey memory);

    /// @notice The keys ever registered for an organisation.
    function organisationKeys(uint32 organisationId) external view returns (address[] memory);

    /// @notice Whether `key` may sign for `organisationId` at `timestamp` (ignores suspension).
    function isKeyValidAt(address key, uint32 organisationId, uint40 timestamp) external view returns (bool);

    /// @notice The time from which a scheduled grant of `role` to `account` may be completed, or 0.
    function roleGrantReadyAt(bytes32 role, address account) external view returns (uint48);

    /// @notice The event or course `eventId`.
    function eventInfo(uint64 eventId) external view returns (EventInfo memory);

    /// @notice The record of a commitment in the organisation's namespace; `issuedAt` is zero when it is not anchored.
    function record(uint32 organisationId, bytes32 commitment) external view returns (Record memory);

    /// @notice The revocation of a leaf of a batch of the organisation; `revokedAt` is zero when it is not revoked.
    function leafRevocation(
        uint32 organisationId,
        bytes32 root,
        bytes32 leaf
    ) external view returns (LeafRevocation memory);

    /// @notice The commitment that superseded a credential of the organisation, or zero.
    function supersededBy(uint32 organisationId, bytes32 root, bytes32 leaf) external view returns (bytes32);

    /// @notice Whether `leaf` belongs to the organisation's anchored batch `root` by `proof` (OpenZeppelin semantics).
    function isBatchMember(
        uint32 organisationId,
        bytes32 root,
        bytes32 leaf,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice The id of the soulbound token of a commitment or batch leaf of the organisation.
    function tokenIdOf(uint32 organisationId, bytes32 commitment) external pure returns (uint256);

    /// @notice The EIP-712 digest of an issue request under this registry's domain.
    function hashIssueRequest(IssueRequest calldata request) external view returns (bytes32);

    /// @notice The EIP-712 digest of a claim voucher under this registry's domain.
    function hashClaimRequest(ClaimRequest calldata request) external view returns (bytes32);

    /// @notice The EIP-712 digest of a key's consent under this registry's domain.
    function hashKeyConsent(KeyConsent calldata consent) external view returns (bytes32);
}
