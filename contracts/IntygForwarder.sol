// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/**
 * @title IntygForwarder
 * @notice Relays requests that organisations' admins and signing keys sign (EIP-712), so that the keys never hold
 * ether: any account may submit a signed request and pay its gas.
 * @dev OpenZeppelin's ERC-2771 forwarder, deployed by {IntygRegistry}, which trusts it alone. Each signer's
 * requests carry its own sequential nonce, consumed only when the call succeeds; a request that fails reverts the
 * whole transaction with the registry's own error (the library's {execute} replaces it with `FailedCall`), so that
 * a relayer can tell why.
 */
contract IntygForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("IntygForwarder") {}

    /**
     * @notice Executes a signed request, as {ERC2771Forwarder-execute}, bubbling up the target's revert data.
     * @param request The request, signed by `request.from`, with its nonce and deadline.
     */
    function execute(ForwardRequestData calldata request) public payable override {
        if (msg.value != request.value) revert ERC2771ForwarderMismatchedValue(request.value, msg.value);
        // The forwarded call is the last call {_execute} makes, so the return data buffer still holds its revert.
        if (!_execute(request, true)) LowLevelCall.bubbleRevert();
    }
}
