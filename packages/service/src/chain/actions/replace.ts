// Replacing a transaction left pending: the very call signed before, with the same nonce and higher fees.

import {
  type Hex,
  keccak256,
  type LocalAccount,
  serializeTransaction,
  type TransactionSerializable,
} from "viem";
import type { ChainContext } from "../context";
import {
  ChainRpcError,
  classified,
  classifyChainError,
  isNotFound,
  isRefusal,
  NonceTakenError,
  TransactionDroppedError,
} from "../errors";
import { type FeeMarket, type Fees, feeCeiling, higherFees, replacementFees } from "../fees";
import type { FeeCapInfo, TxReceipt, WaitOptions } from "../types";
import { minedOf } from "./receipts";

/** One of this client's transactions as the node has it, checked against its hash. */
type OwnTransaction = {
  hash: Hex;
  account: LocalAccount;
  nonce: number;
  mined: boolean;
  unsigned: TransactionSerializable;
  fees: Fees;
};

/**
 * The node's copy of one of our transactions, checked: its fields, serialised with its signature, must hash
 * to `hash`. So a replacement signs the very call that was signed before, whatever a node may answer.
 */
async function ownTransaction(ctx: ChainContext, hash: Hex): Promise<OwnTransaction | null> {
  let tx: Awaited<ReturnType<ChainContext["publicClient"]["getTransaction"]>>;
  try {
    tx = await ctx.publicClient.getTransaction({ hash });
  } catch (error) {
    if (isNotFound(error)) return null;
    throw classifyChainError(error);
  }
  const from = tx.from.toLowerCase();
  const account = ctx.senders.get(from)?.account;
  if (!account || tx.to?.toLowerCase() !== ctx.registry.toLowerCase())
    throw new ChainRpcError(`transaction ${hash} is not one of this client's`);
  const common = {
    chainId: tx.chainId ?? ctx.chainId,
    nonce: tx.nonce,
    to: tx.to,
    data: tx.input,
    gas: tx.gas,
    value: tx.value,
  };
  let unsigned: TransactionSerializable;
  let fees: Fees;
  if (tx.type === "eip1559") {
    fees = { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas };
    unsigned = { ...common, type: "eip1559", accessList: tx.accessList, ...fees };
  } else if (tx.type === "eip2930") {
    fees = { gasPrice: tx.gasPrice };
    unsigned = { ...common, type: "eip2930", accessList: tx.accessList, ...fees };
  } else if (tx.type === "legacy") {
    fees = { gasPrice: tx.gasPrice };
    unsigned = { ...common, type: "legacy", ...fees };
  } else {
    throw new ChainRpcError(`transaction ${hash} is of a type this client does not send`);
  }
  const signature = { r: tx.r, s: tx.s, v: tx.v, yParity: tx.yParity };
  if (keccak256(serializeTransaction(unsigned, signature)) !== hash.toLowerCase())
    throw new ChainRpcError(`the node's copy of transaction ${hash} does not match its hash`);
  return { hash, account, nonce: tx.nonce, mined: tx.blockNumber !== null, unsigned, fees };
}

/** `unsigned` at `fees` (of its own kind: a fee cap and tip, or a gas price). */
function withFees(unsigned: TransactionSerializable, fees: Fees): TransactionSerializable {
  if (unsigned.type === "eip1559" && !("gasPrice" in fees)) return { ...unsigned, ...fees };
  if ((unsigned.type === "legacy" || unsigned.type === "eip2930") && "gasPrice" in fees)
    return { ...unsigned, ...fees };
  throw new ChainRpcError(`fees of another kind than the ${unsigned.type} transaction's`);
}

/** What transactions pay now, for fees of the same kind as `fees`. */
const feeMarket = (ctx: ChainContext, fees: Fees): Promise<FeeMarket> =>
  classified(async () => {
    if ("gasPrice" in fees) return { gasPrice: await ctx.publicClient.getGasPrice() };
    const block = await ctx.publicClient.getBlock({ blockTag: "latest" });
    const maxPriorityFeePerGas = await ctx.publicClient
      .estimateMaxPriorityFeePerGas({ chain: ctx.chain })
      .catch(() => fees.maxPriorityFeePerGas);
    return { baseFeePerGas: block.baseFeePerGas ?? 0n, maxPriorityFeePerGas };
  });

export type Replaced =
  | { kind: "sent"; hash: Hex }
  | { kind: "mined"; receipt: TxReceipt }
  | { kind: "refused"; fees: Fees }
  | { kind: "capped"; info: FeeCapInfo }
  /** In a block already: its receipt comes with the next poll. */
  | { kind: "in-block" };

/**
 * Replaces the newest of `known` that the node still has: the same nonce and call, signed again with higher
 * fees, recorded (`onReplaced`) before it is sent, and appended to `known`. `floor`: fees a node refused as too
 * low before.
 */
export async function replaceTransaction(
  ctx: ChainContext,
  known: Hex[],
  options: WaitOptions,
  floor: Fees | null,
): Promise<Replaced> {
  let current: OwnTransaction | null = null;
  for (const hash of [...known].reverse()) {
    current = await ownTransaction(ctx, hash);
    if (current) break;
  }
  if (current?.mined) return { kind: "in-block" };
  if (!current) {
    const mined = await minedOf(ctx, known);
    if (mined) return { kind: "mined", receipt: mined };
    throw new TransactionDroppedError(
      `the node knows none of ${known.length} transaction(s) ${known.at(-1)}`,
    );
  }
  const origin = ctx.sent.get(current.hash)?.origin ?? feeCeiling(current.fees);
  const relative = origin * ctx.maxFeeMultiplier;
  const limit = ctx.maxFeePerGas !== null && ctx.maxFeePerGas < relative ? ctx.maxFeePerGas : relative;
  const previous = higherFees(current.fees, floor);
  const fees = replacementFees(previous, await feeMarket(ctx, previous), limit);
  if (!fees)
    return { kind: "capped", info: { hash: current.hash, nonce: current.nonce, fees: current.fees, limit } };
  const serializedTransaction = await current.account.signTransaction(withFees(current.unsigned, fees));
  const hash = keccak256(serializedTransaction);
  await options.onReplaced?.(hash, { replaces: current.hash, nonce: current.nonce, fees });
  known.push(hash);
  ctx.sent.remember(hash, { at: Date.now(), origin });
  try {
    await ctx.publicClient.sendRawTransaction({ serializedTransaction });
  } catch (error) {
    if (isRefusal(error, "already-known")) return { kind: "sent", hash };
    if (isRefusal(error, "nonce-too-low")) {
      const mined = await minedOf(ctx, known);
      if (mined) return { kind: "mined", receipt: mined };
      throw new NonceTakenError(
        `the nonce ${current.nonce} of ${current.hash} was used by another transaction`,
      );
    }
    // The next try outbids this.
    if (isRefusal(error, "underpriced")) return { kind: "refused", fees };
    throw classifyChainError(error);
  }
  return { kind: "sent", hash };
}
