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
    /// @notice The registry, the only account that mints.
    address public immutable registry;

    /// @dev Thrown on any transfer or approval of a soulbound token.
    error IntygSoulboundLocked(uint256 tokenId);

    /// @dev Thrown when anyone but the registry mints.
    error IntygSoulboundUnauthorised(address account);

    constructor() ERC721("Intyg credential", "INTYG") {
        registry = msg.sender;
    }

    /// @notice Mints a locked token to `holder` (by the registry only).
    function mint(address holder, uint256 tokenId) external {
        if (msg.sender != registry) revert IntygSoulboundUnauthorised(msg.sender);
        _mint(holder, tokenId);
        emit Locked(tokenId);
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
