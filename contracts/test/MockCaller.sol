// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @notice A contract that calls another with any calldata, for tests only.
 * @dev Test-only: lets a test send a call from a contract that is not the registry's trusted forwarder, with
 * whatever suffix it likes (such as the 20 bytes of an address an ERC-2771 forwarder appends), bubbling the revert.
 */
contract MockCaller {
    /**
     * @notice Calls `target` with `data` and returns what it returned.
     * @param target The contract to call.
     * @param data The calldata, sent as given.
     * @return result The call's return data.
     */
    function forward(address target, bytes calldata data) external returns (bytes memory result) {
        return Address.functionCall(target, data);
    }
}
