// The chain client's errors, and how viem's errors and nodes' messages map onto them: a refusal of the registry
// is permanent; anything else a node or the way to it does is transient, and retried.

import { BaseError, ContractFunctionRevertedError } from "viem";

/** The registry refused a transaction (a custom error of IIntygRegistry, or another revert). Not retryable. */
export class ChainRevertError extends Error {
  override name = "ChainRevertError";
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[] = [],
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `the registry reverted: ${errorName}`, options);
  }
}

/** The node could not be reached or failed to answer. Retryable. */
export class ChainRpcError extends Error {
  override name = "ChainRpcError";
}

/** Another transaction of the account was mined with the nonce of the ones waited for: none of them can be. */
export class NonceTakenError extends ChainRpcError {
  override name = "NonceTakenError";
}

/** The node knows none of the transactions waited for, and none was mined: dropped, or never sent. */
export class TransactionDroppedError extends ChainRpcError {
  override name = "TransactionDroppedError";
}

function isRevert(error: ContractFunctionRevertedError): boolean {
  if (error.data) return true;
  if (error.raw && error.raw !== "0x") return true;
  return /revert/i.test(`${error.reason ?? ""} ${error.details}`);
}

/** Maps viem errors onto ChainRevertError (permanent) and ChainRpcError (transient), the original as `cause`. */
export function classifyChainError(error: unknown): ChainRevertError | ChainRpcError {
  if (error instanceof ChainRevertError || error instanceof ChainRpcError) return error;
  if (!(error instanceof BaseError))
    return new ChainRpcError(error instanceof Error ? error.message : String(error), { cause: error });
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  // viem reads any -32603 with a message as a revert (nodes report reverts so), but a node or proxy in trouble
  // answers -32603 too. Only revert data, or a message that says so, makes it a refusal; the rest is retried.
  if (revert instanceof ContractFunctionRevertedError && isRevert(revert)) {
    const name = revert.data?.errorName ?? revert.reason ?? "unknown";
    return new ChainRevertError(name, revert.data?.args ?? [], undefined, { cause: error });
  }
  return new ChainRpcError(error.shortMessage, { cause: error });
}

/** Runs a call to the node, its failure classified. */
export async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyChainError(error);
  }
}

/** What nodes answer when they refuse a raw transaction: they agree on words more than on codes. */
const REFUSALS = {
  /** This very transaction reached the node already (an earlier send whose answer was lost). */
  "already-known": /already known|known transaction/i,
  /** The nonce is used: by one of ours mined meanwhile, or by another transaction of the account. */
  "nonce-too-low": /nonce too low|nonce has already been used/i,
  /** The node wants higher fees (its own bump rule, or a pricier transaction of ours it still has). */
  underpriced: /underpriced|fee too low|gas price too low|maxFeePerGas .*too low/i,
  /**
   * Any refusal for the nonce: another process sent with it, or the node counts differently. Not "already known":
   * that node has this very transaction, and signing it again with the next nonce would send it twice.
   */
  nonce:
    /nonce too low|nonce has already been used|replacement transaction underpriced|nonce.*(too high|expected)/i,
} as const;

export type SendRefusal = keyof typeof REFUSALS;

/** Whether `error` is a node's refusal of a transaction for `reason`. */
export function isRefusal(error: unknown, reason: SendRefusal): boolean {
  const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
  return REFUSALS[reason].test(text);
}

/** Whether `error` says the node does not know the transaction or receipt asked for. */
export function isNotFound(error: unknown): boolean {
  return error instanceof BaseError && /could not be found|not found/i.test(error.shortMessage);
}
