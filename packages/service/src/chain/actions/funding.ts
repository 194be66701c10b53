// Organisations' keys never hold ether: each organisation's relayer sends what its keys sign, and the service's
// relayer, which the operator keeps funded, tops those relayers up.

import type { Hex } from "viem";
import type { ChainContext } from "../context";
import { classifyChainError } from "../errors";

/** How long a relayer's balance, read with at least twice the minimum, is taken as still enough, ms. */
const BALANCE_TTL_MS = 10_000;

/** Sends the relayer a top-up from the funder when it runs low, and waits for it; null when none was needed. */
export async function ensureFunded(ctx: ChainContext): Promise<Hex | null> {
  const { relayer, funder, keyFunding } = ctx;
  if (relayer.account.address.toLowerCase() === funder.account.address.toLowerCase()) return null;
  try {
    const address = relayer.account.address.toLowerCase();
    // A balance read moments ago with room to spare is trusted for a while: singles are relayed one by one.
    const known = ctx.balances.get(address);
    if (known && Date.now() - known.at < BALANCE_TTL_MS && known.wei >= 2n * keyFunding.minimumWei)
      return null;
    const balance = await ctx.publicClient.getBalance({ address: relayer.account.address });
    ctx.balances.set(address, { wei: balance, at: Date.now() });
    if (balance >= keyFunding.minimumWei) return null;
    ctx.balances.delete(address);
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
