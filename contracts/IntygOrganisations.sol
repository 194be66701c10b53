// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IIntygRegistry} from "./interfaces/IIntygRegistry.sol";

/**
 * @dev The trust model: governance accredits and suspends organisations; organisations authorise signing keys
 * with validity windows and create events and courses.
 *
 * Suspension is copied onto each key of the organisation so that issuance reads one slot for the key and
 * nothing for the organisation. An organisation has at most {MAX_KEYS} keys in its lifetime, which bounds that loop.
 */
abstract contract IntygOrganisations is IIntygRegistry, AccessControlDefaultAdminRules {
    /// @dev Accredits, suspends and reinstates organisations.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @dev The most keys an organisation may ever register.
    uint256 public constant MAX_KEYS = 32;

    uint40 private constant _FOREVER = type(uint40).max;

    uint32 private _organisationCount;
    mapping(uint32 organisationId => Organisation) private _organisations;
    mapping(uint32 organisationId => address[]) private _organisationKeys;
    mapping(address key => SigningKey) private _keys;
    mapping(uint64 eventId => EventInfo) private _events;

    constructor(uint48 initialDelay, address initialAdmin) AccessControlDefaultAdminRules(initialDelay, initialAdmin) {
        _grantRole(GOVERNOR_ROLE, initialAdmin);
    }

    /// @inheritdoc IIntygRegistry
    function accreditOrganisation(
        address admin,
        bytes32 profileHash
    ) external onlyRole(GOVERNOR_ROLE) returns (uint32 organisationId) {
        if (admin == address(0)) revert IntygRegistryInvalidAdmin(admin);
        organisationId = ++_organisationCount;
        _organisations[organisationId] = Organisation({
            profileHash: profileHash,
            admin: admin,
            status: OrganisationStatus.Active,
            eventCount: 0,
            suspendedAt: 0
        });
        emit OrganisationAccredited(organisationId, admin, profileHash);
    }

    /// @inheritdoc IIntygRegistry
    function suspendOrganisation(uint32 organisationId) external onlyRole(GOVERNOR_ROLE) {
        Organisation storage org = _existingOrganisation(organisationId);
        if (org.status == OrganisationStatus.Suspended) revert IntygRegistryOrganisationSuspended(organisationId);
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
    function updateOrganisationProfile(uint32 organisationId, bytes32 profileHash) external {
        Organisation storage org = _managedOrganisation(organisationId);
        org.profileHash = profileHash;
        emit OrganisationProfileUpdated(organisationId, profileHash);
    }

    /// @inheritdoc IIntygRegistry
    function changeOrganisationAdmin(uint32 organisationId, address admin) external {
        Organisation storage org = _managedOrganisation(organisationId);
        if (admin == address(0)) revert IntygRegistryInvalidAdmin(admin);
        org.admin = admin;
        emit OrganisationAdminChanged(organisationId, admin);
    }

    /// @inheritdoc IIntygRegistry
    function authoriseKey(uint32 organisationId, address key, uint40 validFrom, uint40 validUntil) external {
        Organisation storage org = _existingOrganisation(organisationId);
        if (msg.sender != org.admin) revert IntygRegistryUnauthorised(msg.sender);
        if (org.status != OrganisationStatus.Active) revert IntygRegistryOrganisationSuspended(organisationId);
        if (key == address(0) || _keys[key].organisationId != 0) revert IntygRegistryKeyAlreadyRegistered(key);
        if (validUntil == 0) validUntil = _FOREVER;
        if (validFrom >= validUntil) revert IntygRegistryInvalidKeyWindow(validFrom, validUntil);
        address[] storage keys = _organisationKeys[organisationId];
        if (keys.length >= MAX_KEYS) revert IntygRegistryTooManyKeys(organisationId);
        keys.push(key);
        _keys[key] = SigningKey({
            organisationId: organisationId,
            validFrom: validFrom,
            validUntil: validUntil,
            suspended: false
        });
        emit SigningKeyAuthorised(organisationId, key, validFrom, validUntil);
    }

    /// @inheritdoc IIntygRegistry
    function removeKey(address key) external {
        SigningKey storage signing = _keys[key];
        uint32 organisationId = signing.organisationId;
        if (organisationId == 0) revert IntygRegistryKeyNotAuthorised(key);
        if (msg.sender != _organisations[organisationId].admin && msg.sender != key) {
            revert IntygRegistryUnauthorised(msg.sender);
        }
        uint40 now_ = uint40(block.timestamp);
        // Expired, or removed already: {authoriseKey} never makes an empty window, only a removal does.
        if (signing.validUntil <= now_ || signing.validUntil <= signing.validFrom) {
            revert IntygRegistryKeyNotAuthorised(key);
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
        if (msg.sender != org.admin) _requireValidKey(msg.sender, organisationId);
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
        if (msg.sender != org.admin) _requireValidKey(msg.sender, organisationId);
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
    function eventInfo(uint64 eventId) external view returns (EventInfo memory) {
        return _events[eventId];
    }

    /**
     * @dev Checks that `key` may sign now for the organisation owning `eventId`, that the event exists in that
     * organisation's id space and that the organisation is not suspended. Reads only the key's slot.
     */
    function _requireKeyForEvent(address key, uint64 eventId) internal view {
        SigningKey memory signing = _keys[key];
        uint32 organisationId = _organisationOf(eventId);
        if (signing.organisationId != organisationId || organisationId == 0 || uint32(eventId) == 0) {
            if (signing.organisationId == 0) revert IntygRegistryKeyNotAuthorised(key);
            revert IntygRegistryWrongOrganisation(eventId, signing.organisationId);
        }
        _requireWindow(key, signing);
    }

    /// @dev Checks that `key` may sign now for `organisationId`, an existing organisation (never 0).
    function _requireValidKey(address key, uint32 organisationId) internal view {
        SigningKey memory signing = _keys[key];
        if (signing.organisationId != organisationId) {
            if (signing.organisationId == 0) revert IntygRegistryKeyNotAuthorised(key);
            revert IntygRegistryUnauthorised(key);
        }
        _requireWindow(key, signing);
    }

    /// @dev Whether `key` may sign now for `organisationId`, without reverting.
    function _isValidKeyNow(address key, uint32 organisationId) internal view returns (bool) {
        SigningKey memory signing = _keys[key];
        return
            organisationId != 0 &&
            signing.organisationId == organisationId &&
            !signing.suspended &&
            signing.validFrom <= block.timestamp &&
            block.timestamp < signing.validUntil;
    }

    /// @dev Whether `account` is the admin of `organisationId`.
    function _isOrganisationAdmin(address account, uint32 organisationId) internal view returns (bool) {
        return organisationId != 0 && _organisations[organisationId].admin == account;
    }

    /// @dev The organisation that owns `eventId` (the high 32 bits of the id).
    function _organisationOf(uint64 eventId) internal pure returns (uint32) {
        return uint32(eventId >> 32);
    }

    function _requireWindow(address key, SigningKey memory signing) private view {
        if (signing.suspended) revert IntygRegistryOrganisationSuspended(signing.organisationId);
        if (block.timestamp < signing.validFrom || block.timestamp >= signing.validUntil) {
            revert IntygRegistryKeyNotAuthorised(key);
        }
    }

    function _existingOrganisation(uint32 organisationId) private view returns (Organisation storage org) {
        org = _organisations[organisationId];
        if (org.status == OrganisationStatus.None) revert IntygRegistryUnknownOrganisation(organisationId);
    }

    function _managedOrganisation(uint32 organisationId) private view returns (Organisation storage org) {
        org = _existingOrganisation(organisationId);
        if (msg.sender != org.admin && !hasRole(GOVERNOR_ROLE, msg.sender))
            revert IntygRegistryUnauthorised(msg.sender);
    }

    function _setKeysSuspended(uint32 organisationId, bool suspended) private {
        address[] storage keys = _organisationKeys[organisationId];
        uint256 length = keys.length;
        for (uint256 i = 0; i < length; ++i) {
            _keys[keys[i]].suspended = suspended;
        }
    }
}
