// Waiting for one nonce's transactions to be mined, replacing the pending one when the caller opts in.

import type { Hex } from "viem";
import type { ChainContext } from "../context";
import { ChainRpcError, classified } from "../errors";
import type { Fees } from "../fees";
import type { TxReceipt, WaitOptions } from "../types";
import { minedOf } from "./receipts";
import { replaceTransaction } from "./replace";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** See ChainClient.waitForReceipt. */
export async function waitForReceipt(
  ctx: ChainContext,
  hashes: Hex | readonly Hex[],
  options: WaitOptions = {},
): Promise<TxReceipt> {
  const known: Hex[] = typeof hashes === "string" ? [hashes] : [...hashes];
  const first = known.at(-1);
  if (first === undefined) throw new TypeError("waitForReceipt: no transaction to wait for");
  const started = Date.now();
  const replacing = options.onReplaced !== undefined && ctx.replaceAfterMs > 0;
  // Sent before a restart: pending, as far as this client knows, since now (across waits that time out).
  if (!ctx.sent.get(first)) ctx.sent.remember(first, { at: started, origin: null });
  let lastBlock: bigint | null = null;
  let floor: Fees | null = null;
  let capped = false;
  const done = (receipt: TxReceipt) => {
    ctx.sent.forget(known);
    return receipt;
  };
  for (;;) {
    const block = await classified(() => ctx.publicClient.getBlockNumber({ cacheTime: 0 }));
    if (block !== lastBlock) {
      lastBlock = block;
      const mined = await minedOf(ctx, known);
      if (mined) return done(mined);
    }
    const newest = known.at(-1) ?? first;
    const since = ctx.sent.get(newest)?.at ?? started;
    if (replacing && !capped && Date.now() - since >= ctx.replaceAfterMs) {
      const outcome = await replaceTransaction(ctx, known, options, floor);
      if (outcome.kind === "mined") return done(outcome.receipt);
      if (outcome.kind === "capped") {
        capped = true;
        options.onFeeCap?.(outcome.info);
      }
      if (outcome.kind === "refused") floor = outcome.fees;
      if (outcome.kind === "in-block") lastBlock = null;
    }
    if (Date.now() - started >= ctx.receiptTimeoutMs)
      throw new ChainRpcError(`no receipt for ${newest} within ${ctx.receiptTimeoutMs} ms`);
    await sleep(ctx.pollingIntervalMs);
  }
}
