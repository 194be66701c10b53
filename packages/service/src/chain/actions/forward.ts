// A key's registry call relayed through the registry's forwarder (ERC-2771): the key signs the request, the
// relayer sends `execute` and pays its gas, so organisations' keys never hold ether.

import { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION, forwardRequestTypes } from "@intyg/credential";
import { intygForwarderAbi } from "@intyg/registry";
import { type Address, concat, encodeFunctionData, type Hex } from "viem";
import type { ChainContext, Sender } from "../context";

/**
 * How long a forwarded request stays valid, s, from the chain's latest block: long enough for a stuck transaction
 * to be replaced at higher fees (the replacement carries the same request), short enough that a request never
 * sent cannot be replayed much later.
 */
const FORWARD_TTL_SECONDS = 24n * 3600n;

/**
 * The call the relayer sends for `data`, a registry call by `key`: `execute` of the key's signed request on the
 * forwarder. The registry's own refusal surfaces here, before anything is signed: the gas of the inner call is
 * estimated as the forwarder makes it (from the forwarder, the key's address appended). The request's nonce is
 * the key's next one at the pending block: the caller holds the relayer's send queue, so the key's earlier
 * requests have all reached the node.
 */
export async function forwardedCall(
  ctx: ChainContext,
  key: Sender,
  data: Hex,
): Promise<{ to: Address; data: Hex }> {
  const forwarder = await ctx.forwarder();
  const from = key.account.address;
  const [gas, nonce, block] = await Promise.all([
    ctx.publicClient.estimateGas({ account: forwarder, to: ctx.registry, data: concat([data, from]) }),
    ctx.publicClient.readContract({
      address: forwarder,
      abi: intygForwarderAbi,
      functionName: "nonces",
      args: [from],
      blockTag: "pending",
    }),
    ctx.publicClient.getBlock({ blockTag: "latest" }),
  ]);
  const request = {
    from,
    to: ctx.registry,
    value: 0n,
    gas,
    nonce,
    deadline: Number(block.timestamp + FORWARD_TTL_SECONDS),
    data,
  };
  const signature = await key.account.signTypedData({
    domain: {
      name: FORWARDER_DOMAIN_NAME,
      version: FORWARDER_DOMAIN_VERSION,
      chainId: ctx.chainId,
      verifyingContract: forwarder,
    },
    types: forwardRequestTypes,
    primaryType: "ForwardRequest",
    message: request,
  });
  const { nonce: _, ...rest } = request;
  return {
    to: forwarder,
    data: encodeFunctionData({
      abi: intygForwarderAbi,
      functionName: "execute",
      args: [{ ...rest, signature }],
    }),
  };
}

/** Whether `a` and `b` are one account. */
export const sameAccount = (a: Sender, b: Sender) =>
  a.account.address.toLowerCase() === b.account.address.toLowerCase();
