// Organisations' keys send their own transactions; the relayer, which the operator keeps funded, tops them up
// so that an organisation never has to hold ether itself.

import type { Hex } from "viem";
import type { ChainContext } from "../context";
import { classifyChainError } from "../errors";

/** Sends the key a top-up from the relayer when it runs low, and waits for it; null when none was needed. */
export async function ensureFunded(ctx: ChainContext): Promise<Hex | null> {
  const { key, relayer, keyFunding } = ctx;
  if (key.account.address.toLowerCase() === relayer.account.address.toLowerCase()) return null;
  try {
    const balance = await ctx.publicClient.getBalance({ address: key.account.address });
    if (balance >= keyFunding.minimumWei) return null;
    const hash = await ctx.nonces.send(relayer.account.address, (nonce) =>
      relayer.wallet.sendTransaction({
        account: relayer.account,
        chain: ctx.chain,
        to: key.account.address,
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
      throw new Error(`the top-up ${hash} of ${key.account.address} reverted`);
    return hash;
  } catch (error) {
    throw classifyChainError(error);
  }
}
