// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC5192} from "./interfaces/IERC5192.sol";

/**
 * @title IntygSoulbound
 * @notice The soulbound tokens of Intyg credentials: minted by the registry to a holder, never moved.
 * @dev The soulbound ERC-721 (ERC-5192) tokens of Intyg credentials: minted to a holder by the registry that
 * deployed this contract, and never moved. A token's id is `keccak256(abi.encode(organisationId, commitment))`
 * (see `IntygRegistry.tokenIdOf`), so each organisation has its own token ids.
 */
contract IntygSoulbound is ERC721, IERC5192 {
    // The storage of OpenZeppelin's ERC721 at the pinned version 5.7.0 (`_name`, `_symbol`, then `_owners` and
    // `_balances`), written by {mint}. The minting tests read `ownerOf` and `balanceOf` back, so a change of layout
    // fails them.
    uint256 private constant _OWNERS_SLOT = 2;
    uint256 private constant _BALANCES_SLOT = 3;

    /// @notice The registry, the only account that mints.
    address public immutable registry;

    /// @dev Thrown on any transfer or approval of a soulbound token.
    error IntygSoulboundLocked(uint256 tokenId);

    /// @dev Thrown when anyone but the registry mints.
    error IntygSoulboundUnauthorised(address account);

    constructor() ERC721("Intyg credential", "INTYG") {
        registry = msg.sender;
    }

    /**
     * @notice Mints a locked token to `holder` (by the registry only).
     * @dev OpenZeppelin's `_mint`, written out on the hot path of signed issuance with a token: the owner and
     * balance slots are written as whole words (no read-modify-write of the owner's slot), with the same checks,
     * errors and events (`Transfer`, then ERC-5192's `Locked`).
     */
    function mint(address holder, uint256 tokenId) external {
        address minter = registry;
        bytes32 transferTopic = Transfer.selector;
        bytes32 lockedTopic = Locked.selector;
        uint256 faults;
        assembly ("memory-safe") {
            mstore(0x00, tokenId)
            mstore(0x20, _OWNERS_SLOT)
            let ownerSlot := keccak256(0x00, 0x40)
            // One branch on the hot path: a sender other than the registry, a zero holder, a token already minted.
            faults := or(or(xor(caller(), minter), shl(160, iszero(holder))), shl(161, gt(sload(ownerSlot), 0)))
            if iszero(faults) {
                mstore(0x00, holder)
                mstore(0x20, _BALANCES_SLOT)
                let balanceSlot := keccak256(0x00, 0x40)
                // A balance counts tokens, which are far fewer than 2^256: no overflow, as in OpenZeppelin.
                sstore(balanceSlot, add(sload(balanceSlot), 1))
                sstore(ownerSlot, holder)
                log4(0x00, 0x00, transferTopic, 0, holder, tokenId)
                mstore(0x00, tokenId)
                log1(0x00, 0x20, lockedTopic)
            }
        }
        if (faults != 0) {
            if (uint160(faults) != 0) revert IntygSoulboundUnauthorised(msg.sender);
            if ((faults >> 160) & 1 != 0) revert ERC721InvalidReceiver(address(0));
            revert ERC721InvalidSender(address(0));
        }
    }

    /// @notice Always true for an existing token: every token is locked from its mint.
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @notice Approvals are meaningless for tokens that cannot move.
    function approve(address, uint256 tokenId) public pure override {
        revert IntygSoulboundLocked(tokenId);
    }

    /// @notice Approvals are meaningless for tokens that cannot move.
    function setApprovalForAll(address, bool) public pure override {
        revert IntygSoulboundLocked(0);
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC5192).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @notice Soulbound tokens never move.
    function transferFrom(address, address, uint256 tokenId) public pure override {
        revert IntygSoulboundLocked(tokenId);
    }

    /// @notice Soulbound tokens never move.
    function safeTransferFrom(address, address, uint256 tokenId, bytes memory) public pure override {
        revert IntygSoulboundLocked(tokenId);
    }
}
