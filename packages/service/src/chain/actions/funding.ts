// Organisations' keys never hold ether: each organisation's relayer sends what its keys sign, and the service's
// relayer, which the operator keeps funded, tops those relayers up.

import type { Hex } from "viem";
import type { ChainContext } from "../context";
import { classifyChainError } from "../errors";

/** Sends the relayer a top-up from the funder when it runs low, and waits for it; null when none was needed. */
export async function ensureFunded(ctx: ChainContext): Promise<Hex | null> {
  const { relayer, funder, keyFunding } = ctx;
  if (relayer.account.address.toLowerCase() === funder.account.address.toLowerCase()) return null;
  try {
    const balance = await ctx.publicClient.getBalance({ address: relayer.account.address });
    if (balance >= keyFunding.minimumWei) return null;
    const hash = await ctx.nonces.send(funder.account.address, (nonce) =>
      funder.wallet.sendTransaction({
        account: funder.account,
        chain: ctx.chain,
        to: relayer.account.address,
        value: keyFunding.topUpWei,
        nonce,
      }),
    );
    const receipt = await ctx.publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: ctx.pollingIntervalMs,
      timeout: ctx.receiptTimeoutMs,
    });
    if (receipt.status !== "success")
      throw new Error(`the top-up ${hash} of ${relayer.account.address} reverted`);
    return hash;
  } catch (error) {
    throw classifyChainError(error);
  }
}
