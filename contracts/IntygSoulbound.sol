// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC5192} from "./interfaces/IERC5192.sol";

/**
 * @dev Soulbound ERC-721 (ERC-5192): tokens are minted to a holder and can never move.
 */
abstract contract IntygSoulbound is ERC721, IERC5192 {
    /// @dev Thrown on any transfer or approval of a soulbound token.
    error IntygSoulboundLocked(uint256 tokenId);

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
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
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

    /// @dev Mints a locked token to `holder`. Every public path that could move a token reverts above, and
    /// burning is not exposed, so `_update` is only ever reached from here.
    function _mintLocked(address holder, uint256 tokenId) internal {
        _mint(holder, tokenId);
        emit Locked(tokenId);
    }
}
