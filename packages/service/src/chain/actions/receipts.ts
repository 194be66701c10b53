// Receipts and the node's knowledge of a transaction.

import { intygRegistryAbi } from "@intyg/registry";
import { BaseError, type Hex, parseEventLogs, TransactionReceiptNotFoundError } from "viem";
import type { ChainContext } from "../context";
import { ChainRevertError, classified, classifyChainError, isNotFound } from "../errors";
import type { TxReceipt } from "../types";

/** The receipt when mined, null when unknown or still pending. */
export async function getReceipt(ctx: ChainContext, hash: Hex): Promise<TxReceipt | null> {
  try {
    const { transactionHash, status, blockNumber } = await ctx.publicClient.getTransactionReceipt({ hash });
    return { transactionHash, status, blockNumber };
  } catch (error) {
    if (error instanceof BaseError && error.walk((e) => e instanceof TransactionReceiptNotFoundError))
      return null;
    throw classifyChainError(error);
  }
}

/** The receipt of whichever of `hashes` is mined (at most one can be: they share a nonce), newest first. */
export async function minedOf(ctx: ChainContext, hashes: readonly Hex[]): Promise<TxReceipt | null> {
  for (const hash of [...hashes].reverse()) {
    const receipt = await getReceipt(ctx, hash);
    if (receipt) return receipt;
  }
  return null;
}

/** Whether the node knows the transaction (mined or pending). */
export async function hasTransaction(ctx: ChainContext, hash: Hex): Promise<boolean> {
  try {
    await ctx.publicClient.getTransaction({ hash });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw classifyChainError(error);
  }
}

/** The event id from the `EventCreated` log of a createEvent receipt. */
export const createdEventId = (ctx: ChainContext, hash: Hex): Promise<bigint> =>
  classified(async () => {
    const receipt = await ctx.publicClient.getTransactionReceipt({ hash });
    const [log] = parseEventLogs({ abi: intygRegistryAbi, logs: receipt.logs, eventName: "EventCreated" });
    if (!log) throw new ChainRevertError("EventCreatedMissing", [], "no EventCreated log in the receipt");
    return log.args.eventId;
  });
