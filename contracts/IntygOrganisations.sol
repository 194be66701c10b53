// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IIntygRegistry} from "./interfaces/IIntygRegistry.sol";
import {IntygForwarder} from "./IntygForwarder.sol";

/**
 * @title IntygOrganisations
 * @notice Who may issue: accredited organisations, their governance-approved profiles and their consenting keys.
 * @dev The trust model: governance accredits and suspends organisations and approves their profiles; organisations
 * authorise signing keys (with each key's own consent) in validity windows and create events and courses.
 *
 * Governance cannot act in an organisation's name: it cannot change an organisation's admin, authorise a key or
 * anchor anything, and a new governor is granted only {defaultAdminDelay} after the grant was scheduled in public.
 *
 * Suspension is copied onto each key of the organisation so that issuance reads one slot for the key and
 * nothing for the organisation. An organisation has at most {MAX_KEYS} keys in its lifetime, which bounds that loop.
 *
 * Admins, keys and governors may act through {forwarder} (ERC-2771): they sign a request and any account relays
 * it and pays its gas, so none of them needs ether. Direct issuance ({IIntygRegistry-issue},
 * {IIntygRegistry-anchorBatch}) is for a key that sends its own transactions; a relayer uses the signed paths.
 */
abstract contract IntygOrganisations is IIntygRegistry, AccessControlDefaultAdminRules, EIP712, ERC2771Context {
    /// @notice Accredits, suspends and reinstates organisations and approves their profiles.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @notice The EIP-712 type of {KeyConsent}. Mirrors `packages/credential/src/eip712.ts`.
    bytes32 public constant KEY_CONSENT_TYPEHASH = keccak256(
        "KeyConsent(uint32 organisationId,address key,uint40 validFrom,uint40 validUntil)"
    );

    /// @notice The most keys an organisation may ever register.
    uint256 public constant MAX_KEYS = 32;

    uint40 private constant _FOREVER = type(uint40).max;

    // The layout of a {SigningKey} slot, read as one word on the hot paths.
    uint256 internal constant _KEY_VALID_FROM_SHIFT = 32;
    uint256 internal constant _KEY_VALID_UNTIL_SHIFT = 72;
    uint256 internal constant _KEY_SUSPENDED_SHIFT = 112;
    uint256 internal constant _KEY_INDEX_SHIFT = 120;
    /// @dev The mask of a uint40 (a time) in a packed word.
    uint256 internal constant _MASK_40 = (1 << 40) - 1;

    uint32 private _organisationCount;
    mapping(uint32 organisationId => Organisation) private _organisations;
    mapping(uint32 organisationId => ProfileVersion[]) private _profiles;
    mapping(uint32 organisationId => bytes32 profileHash) private _pendingProfiles;
    mapping(bytes32 organisationNumberHash => uint32 organisationId) private _organisationsByNumber;
    mapping(uint32 organisationId => address[]) private _organisationKeys;
    mapping(address key => SigningKey) internal _keys;
    mapping(uint64 eventId => EventInfo) private _events;
    mapping(bytes32 role => mapping(address account => uint48 readyAt)) private _roleGrants;

    /// @dev The one forwarder this registry trusts, deployed with it (see {trustedForwarder}).
    address internal immutable _forwarder;

    constructor(
        uint48 initialDelay,
        address initialAdmin
    ) AccessControlDefaultAdminRules(initialDelay, initialAdmin) ERC2771Context(address(0)) {
        _forwarder = address(new IntygForwarder());
        _grantRole(GOVERNOR_ROLE, initialAdmin);
    }

    /**
     * @notice The forwarder that relays signed requests of admins, keys and governors (deployed with the registry).
     * @return The forwarder's address.
     */
    function trustedForwarder() public view override returns (address) {
        return _forwarder;
    }

    /// @inheritdoc IIntygRegistry
    function accreditOrganisation(
        address admin,
        bytes32 profileHash,
        bytes32 organisationNumberHash
    ) external onlyRole(GOVERNOR_ROLE) returns (uint32 organisationId) {
        if (admin == address(0)) revert IntygRegistryInvalidAdmin(admin);
        if (profileHash == bytes32(0)) revert IntygRegistryInvalidProfile();
        if (organisationNumberHash == bytes32(0)) revert IntygRegistryInvalidOrganisationNumber();
        uint32 holder = _organisationsByNumber[organisationNumberHash];
        if (holder != 0) revert IntygRegistryOrganisationNumberTaken(organisationNumberHash, holder);
        organisationId = ++_organisationCount;
        _organisations[organisationId] = Organisation({
            profileHash: profileHash,
            admin: admin,
            status: OrganisationStatus.Active,
            eventCount: 0,
            suspendedAt: 0,
            organisationNumberHash: organisationNumberHash
        });
        _organisationsByNumber[organisationNumberHash] = organisationId;
        _profiles[organisationId].push(ProfileVersion({profileHash: profileHash, since: uint40(block.timestamp)}));
        emit OrganisationAccredited(organisationId, admin, profileHash, organisationNumberHash);
    }

    /// @inheritdoc IIntygRegistry
    function suspendOrganisation(uint32 organisationId) external onlyRole(GOVERNOR_ROLE) {
        Organisation storage org = _existingOrganisation(organisationId);
        if (org.status == OrganisationStatus.Suspended)
            revert IntygRegistryOrganisationAlreadySuspended(organisationId);
        org.status = OrganisationStatus.Suspended;
        org.suspendedAt = uint40(block.timestamp);
        _setKeysSuspended(organisationId, true);
        emit OrganisationSuspended(organisationId);
    }

    /// @inheritdoc IIntygRegistry
    function reinstateOrganisation(uint32 organisationId) external onlyRole(GOVERNOR_ROLE) {
        Organisation storage org = _existingOrganisation(organisationId);
        if (org.status != OrganisationStatus.Suspended) revert IntygRegistryOrganisationNotSuspended(organisationId);
        org.status = OrganisationStatus.Active;
        org.suspendedAt = 0;
        _setKeysSuspended(organisationId, false);
        emit OrganisationReinstated(organisationId);
    }

    /// @inheritdoc IIntygRegistry
    function proposeOrganisationProfile(uint32 organisationId, bytes32 profileHash) external {
        Organisation storage org = _existingOrganisation(organisationId);
        address sender = _msgSender();
        if (sender != org.admin) revert IntygRegistryUnauthorised(sender);
        if (profileHash == bytes32(0)) revert IntygRegistryInvalidProfile();
        _pendingProfiles[organisationId] = profileHash;
        emit OrganisationProfileProposed(organisationId, profileHash);
    }

    /// @inheritdoc IIntygRegistry
    function approveOrganisationProfile(uint32 organisationId, bytes32 profileHash) external onlyRole(GOVERNOR_ROLE) {
        // A pending proposal exists only for an existing organisation, and is never zero.
        if (profileHash == bytes32(0) || _pendingProfiles[organisationId] != profileHash) {
            revert IntygRegistryProfileNotProposed(organisationId, profileHash);
        }
        delete _pendingProfiles[organisationId];
        _organisations[organisationId].profileHash = profileHash;
        _profiles[organisationId].push(ProfileVersion({profileHash: profileHash, since: uint40(block.timestamp)}));
        emit OrganisationProfileUpdated(organisationId, profileHash);
    }

    /// @inheritdoc IIntygRegistry
    function changeOrganisationAdmin(uint32 organisationId, address admin) external {
        Organisation storage org = _existingOrganisation(organisationId);
        address sender = _msgSender();
        if (sender != org.admin) revert IntygRegistryUnauthorised(sender);
        if (admin == address(0)) revert IntygRegistryInvalidAdmin(admin);
        org.admin = admin;
        emit OrganisationAdminChanged(organisationId, admin);
    }

    /// @inheritdoc IIntygRegistry
    function scheduleRoleGrant(bytes32 role, address account) external onlyRole(getRoleAdmin(role)) {
        uint48 readyAt = uint48(block.timestamp) + defaultAdminDelay();
        _roleGrants[role][account] = readyAt;
        emit RoleGrantScheduled(role, account, readyAt);
    }

    /// @inheritdoc IIntygRegistry
    function cancelRoleGrant(bytes32 role, address account) external onlyRole(getRoleAdmin(role)) {
        delete _roleGrants[role][account];
        emit RoleGrantCancelled(role, account);
    }

    /**
     * @notice Grants `role` to `account`, if the grant was scheduled at least {defaultAdminDelay} ago.
     * @dev Completes a grant scheduled with {scheduleRoleGrant} at least {defaultAdminDelay} ago, so that a new
     * governor is visible on chain for that long before it can act. The default admin role keeps its own
     * two-step transfer (AccessControlDefaultAdminRules refuses it here).
     */
    function grantRole(bytes32 role, address account) public override {
        if (role != DEFAULT_ADMIN_ROLE) {
            _checkRole(getRoleAdmin(role));
            uint48 readyAt = _roleGrants[role][account];
            if (readyAt == 0 || readyAt > block.timestamp) {
                revert IntygRegistryRoleGrantNotReady(role, account, readyAt);
            }
            delete _roleGrants[role][account];
        }
        super.grantRole(role, account);
    }

    /// @inheritdoc IIntygRegistry
    function authoriseKey(
        uint32 organisationId,
        address key,
        uint40 validFrom,
        uint40 validUntil,
        bytes calldata consent
    ) external {
        Organisation storage org = _existingOrganisation(organisationId);
        address sender = _msgSender();
        if (sender != org.admin) revert IntygRegistryUnauthorised(sender);
        if (org.status != OrganisationStatus.Active) revert IntygRegistryOrganisationSuspended(organisationId);
        if (key == address(0)) revert IntygRegistryInvalidKey(key);
        if (_keys[key].organisationId != 0) revert IntygRegistryKeyAlreadyRegistered(key);
        // The consent names the window as given: 0 for "no end".
        bytes32 digest = _hashKeyConsent(organisationId, key, validFrom, validUntil);
        if (!SignatureChecker.isValidSignatureNowCalldata(key, digest, consent)) {
            revert IntygRegistryInvalidKeyConsent(key);
        }
        if (validUntil == 0) validUntil = _FOREVER;
        if (validFrom >= validUntil) revert IntygRegistryInvalidKeyWindow(validFrom, validUntil);
        address[] storage keys = _organisationKeys[organisationId];
        uint256 index = keys.length;
        if (index >= MAX_KEYS) revert IntygRegistryTooManyKeys(organisationId);
        keys.push(key);
        _keys[key] = SigningKey({
            organisationId: organisationId,
            validFrom: validFrom,
            validUntil: validUntil,
            suspended: false,
            index: uint8(index)
        });
        emit SigningKeyAuthorised(organisationId, key, validFrom, validUntil);
    }

    /// @inheritdoc IIntygRegistry
    function removeKey(address key) external {
        SigningKey storage signing = _keys[key];
        uint32 organisationId = signing.organisationId;
        if (organisationId == 0) revert IntygRegistryUnknownKey(key);
        address sender = _msgSender();
        if (sender != _organisations[organisationId].admin && sender != key) {
            revert IntygRegistryUnauthorised(sender);
        }
        uint40 now_ = uint40(block.timestamp);
        // Expired, or removed already: {authoriseKey} never makes an empty window, only a removal does.
        if (signing.validUntil <= now_ || signing.validUntil <= signing.validFrom) {
            revert IntygRegistryKeyAlreadyRemoved(key);
        }
        // A key that never became valid keeps an empty window rather than an inverted one.
        signing.validUntil = signing.validFrom > now_ ? signing.validFrom : now_;
        emit SigningKeyRemoved(organisationId, key, now_);
    }

    /// @inheritdoc IIntygRegistry
    function createEvent(
        uint32 organisationId,
        uint64 parentId,
        EventKind kind,
        bytes32 metadataHash
    ) external returns (uint64 eventId) {
        Organisation storage org = _existingOrganisation(organisationId);
        address sender = _msgSender();
        if (sender != org.admin) _requireValidKey(sender, organisationId);
        if (org.status != OrganisationStatus.Active) revert IntygRegistryOrganisationSuspended(organisationId);
        if (kind == EventKind.None) revert IntygRegistryInvalidEventKind();
        if (parentId != 0) {
            if (_organisationOf(parentId) != organisationId || _events[parentId].kind != EventKind.Event) {
                revert IntygRegistryInvalidParent(parentId);
            }
        }
        uint32 sequence = ++org.eventCount;
        eventId = (uint64(organisationId) << 32) | sequence;
        _events[eventId] = EventInfo({
            metadataHash: metadataHash,
            parentId: parentId,
            createdAt: uint40(block.timestamp),
            kind: kind
        });
        emit EventCreated(organisationId, eventId, parentId, kind, metadataHash);
    }

    /// @inheritdoc IIntygRegistry
    function updateEventMetadata(uint64 eventId, bytes32 metadataHash) external {
        EventInfo storage info = _events[eventId];
        if (info.kind == EventKind.None) revert IntygRegistryUnknownEvent(eventId);
        uint32 organisationId = _organisationOf(eventId);
        Organisation storage org = _organisations[organisationId];
        address sender = _msgSender();
        if (sender != org.admin) _requireValidKey(sender, organisationId);
        if (org.status != OrganisationStatus.Active) revert IntygRegistryOrganisationSuspended(organisationId);
        info.metadataHash = metadataHash;
        emit EventMetadataUpdated(eventId, metadataHash);
    }

    /// @inheritdoc IIntygRegistry
    function organisation(uint32 organisationId) external view returns (Organisation memory) {
        return _organisations[organisationId];
    }

    /// @inheritdoc IIntygRegistry
    function organisationCount() external view returns (uint32) {
        return _organisationCount;
    }

    /// @inheritdoc IIntygRegistry
    function organisationByNumber(bytes32 organisationNumberHash) external view returns (uint32) {
        return _organisationsByNumber[organisationNumberHash];
    }

    /// @inheritdoc IIntygRegistry
    function pendingOrganisationProfile(uint32 organisationId) external view returns (bytes32) {
        return _pendingProfiles[organisationId];
    }

    /// @inheritdoc IIntygRegistry
    function organisationProfiles(uint32 organisationId) external view returns (ProfileVersion[] memory) {
        return _profiles[organisationId];
    }

    /// @inheritdoc IIntygRegistry
    function profileAt(uint32 organisationId, uint40 timestamp) external view returns (bytes32) {
        ProfileVersion[] storage versions = _profiles[organisationId];
        for (uint256 i = versions.length; i > 0; --i) {
            ProfileVersion storage version = versions[i - 1];
            if (version.since <= timestamp) return version.profileHash;
        }
        return bytes32(0);
    }

    /// @inheritdoc IIntygRegistry
    function signingKey(address key) external view returns (SigningKey memory) {
        return _keys[key];
    }

    /// @inheritdoc IIntygRegistry
    function organisationKeys(uint32 organisationId) external view returns (address[] memory) {
        return _organisationKeys[organisationId];
    }

    /// @inheritdoc IIntygRegistry
    function isKeyValidAt(address key, uint32 organisationId, uint40 timestamp) external view returns (bool) {
        SigningKey memory signing = _keys[key];
        return
            organisationId != 0 &&
            signing.organisationId == organisationId &&
            signing.validFrom <= timestamp &&
            timestamp < signing.validUntil;
    }

    /// @inheritdoc IIntygRegistry
    function roleGrantReadyAt(bytes32 role, address account) external view returns (uint48) {
        return _roleGrants[role][account];
    }

    /// @inheritdoc IIntygRegistry
    function eventInfo(uint64 eventId) external view returns (EventInfo memory) {
        return _events[eventId];
    }

    /// @inheritdoc IIntygRegistry
    function hashKeyConsent(KeyConsent calldata consent) external view returns (bytes32) {
        return _hashKeyConsent(consent.organisationId, consent.key, consent.validFrom, consent.validUntil);
    }

    /**
     * @dev Reverts with the reason `key` (whose slot is `state`) may not sign for `eventId`: it must be a key of the
     * event's organisation (never 0), the event's sequence non-zero, the organisation not suspended, and
     * validFrom <= now < validUntil (the issuance paths check all of it in one word, and call this when one fails).
     */
    function _revertKeyForEvent(address key, uint64 eventId, uint256 state) internal pure {
        uint32 keyOrganisation = uint32(state);
        if (keyOrganisation == 0) revert IntygRegistryUnknownKey(key);
        uint32 organisationId = _organisationOf(eventId);
        if (keyOrganisation != organisationId || uint32(eventId) == 0) {
            revert IntygRegistryWrongOrganisation(eventId, keyOrganisation);
        }
        if (uint8(state >> _KEY_SUSPENDED_SHIFT) != 0) revert IntygRegistryOrganisationSuspended(keyOrganisation);
        revert IntygRegistryKeyNotAuthorised(key);
    }

    /**
     * @dev The slot of `key` in `_keys` as one word: `organisationId | validFrom << 32 | validUntil << 72 |
     * suspended << 112 | index << 120` (the layout of {SigningKey}), read without copying the struct to memory.
     */
    function _keyState(address key) internal view returns (uint256 state) {
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, _keys.slot)
            state := sload(keccak256(0x00, 0x40))
        }
    }

    /**
     * @dev Checks that `key` is a valid key now of some organisation, and returns that organisation and the key's
     * index plus one (used by {claimToken}, whose namespace is the signer's organisation).
     */
    function _requireAnyValidKey(address key) internal view returns (uint32 organisationId, uint256 anchoredBy) {
        SigningKey memory signing = _keys[key];
        organisationId = signing.organisationId;
        if (organisationId == 0) revert IntygRegistryUnknownKey(key);
        _requireWindow(key, signing);
        anchoredBy = uint256(signing.index) + 1;
    }

    /// @dev Checks that `key` may sign now for `organisationId`, an existing organisation (never 0).
    function _requireValidKey(address key, uint32 organisationId) internal view {
        SigningKey memory signing = _keys[key];
        if (signing.organisationId != organisationId) {
            if (signing.organisationId == 0) revert IntygRegistryUnknownKey(key);
            revert IntygRegistryUnauthorised(key);
        }
        _requireWindow(key, signing);
    }

    /**
     * @dev Checks that the sender may revoke a record of `organisationId` anchored by the key with index
     * `anchoredBy - 1`: the organisation's admin always (even while suspended), a signing key only what it
     * anchored itself, while it is valid and the organisation is not suspended.
     */
    function _requireRevoker(uint32 organisationId, uint256 anchoredBy) internal view {
        uint256 state = _keyState(_msgSender());
        bool own;
        assembly ("memory-safe") {
            let now_ := timestamp()
            // The key's organisation and index (index + 1 == anchoredBy), not suspended (one byte compare with the
            // expected word), and validFrom <= now < validUntil.
            own := and(
                and(
                    eq(and(state, 0xffffffff), organisationId),
                    eq(shr(_KEY_SUSPENDED_SHIFT, state), shl(8, sub(anchoredBy, 1)))
                ),
                and(
                    iszero(lt(now_, and(shr(_KEY_VALID_FROM_SHIFT, state), _MASK_40))),
                    lt(now_, and(shr(_KEY_VALID_UNTIL_SHIFT, state), _MASK_40))
                )
            )
        }
        if (!own) _requireAdmin(organisationId);
    }

    /// @dev Reverts unless the sender is the admin of `organisationId` (never of organisation 0).
    function _requireAdmin(uint32 organisationId) internal view {
        address sender = _msgSender();
        if (organisationId == 0 || _organisations[organisationId].admin != sender) {
            revert IntygRegistryUnauthorised(sender);
        }
    }

    /// @dev The organisation that owns `eventId` (the high 32 bits of the id).
    function _organisationOf(uint64 eventId) internal pure returns (uint32) {
        return uint32(eventId >> 32);
    }

    /// @dev Reverts unless `signing` (the state of `key`) is not suspended and its window holds now.
    function _requireWindow(address key, SigningKey memory signing) private view {
        if (signing.suspended) revert IntygRegistryOrganisationSuspended(signing.organisationId);
        if (block.timestamp < signing.validFrom || block.timestamp >= signing.validUntil) {
            revert IntygRegistryKeyNotAuthorised(key);
        }
    }

    /// @dev The organisation `organisationId`; reverts if it was never accredited.
    function _existingOrganisation(uint32 organisationId) private view returns (Organisation storage org) {
        org = _organisations[organisationId];
        if (org.status == OrganisationStatus.None) revert IntygRegistryUnknownOrganisation(organisationId);
    }

    /// @dev Copies the organisation's suspension onto each of its keys.
    function _setKeysSuspended(uint32 organisationId, bool suspended) private {
        address[] storage keys = _organisationKeys[organisationId];
        uint256 length = keys.length;
        for (uint256 i = 0; i < length; ++i) {
            _keys[keys[i]].suspended = suspended;
        }
    }

    /// @dev The EIP-712 digest of a {KeyConsent} under this registry's domain.
    function _hashKeyConsent(
        uint32 organisationId,
        address key,
        uint40 validFrom,
        uint40 validUntil
    ) private view returns (bytes32) {
        return
            _hashTypedDataV4(keccak256(abi.encode(KEY_CONSENT_TYPEHASH, organisationId, key, validFrom, validUntil)));
    }

    /**
     * @dev The signer of a forwarded request, else the sender (ERC-2771): {ERC2771Context-_msgSender}'s rule, read
     * in one block (the revocation paths call it on every revoke, where the library's two calls cost 130 gas).
     */
    function _msgSender() internal view override(Context, ERC2771Context) returns (address sender) {
        address forwarder = _forwarder;
        assembly ("memory-safe") {
            sender := caller()
            if and(eq(sender, forwarder), gt(calldatasize(), 19)) {
                sender := shr(96, calldataload(sub(calldatasize(), 20)))
            }
        }
    }

    /// @dev The call without the forwarded signer's address.
    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    /// @dev The 20 bytes of the signer's address a forwarded call carries.
    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
