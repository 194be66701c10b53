// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IntygRegistry} from "../IntygRegistry.sol";

/**
 * @notice The registry with its ERC-2771 context exposed, for tests only.
 * @dev Test-only: {IntygOrganisations} overrides `_msgData` and `_contextSuffixLength` for ERC-2771 (nothing in
 * the registry reads them today); these views let a test check what they give for direct and forwarded calls.
 */
contract IntygRegistryContext is IntygRegistry {
    constructor(address initialAdmin) IntygRegistry(0, initialAdmin) {}

    /**
     * @notice The call's data as the registry sees it: without the signer a forwarded call carries.
     * @return The calldata less the ERC-2771 suffix.
     */
    function exposedMsgData() external view returns (bytes memory) {
        return _msgData();
    }

    /**
     * @notice The length of the suffix a forwarded call carries.
     * @return 20, the bytes of the signer's address.
     */
    function exposedContextSuffixLength() external view returns (uint256) {
        return _contextSuffixLength();
    }
}
