// One tracked chain operation: the routine every transaction of the service goes through (batches, single
// credentials, revocations, supersessions, event registrations and updates). It records each hash before the
// transaction leaves, appended to the operation and never replaced; replaces a transaction that stays pending;
// before sending again, reconciles with what the chain says; and settles — done with the hash the chain mined
// and its block, or failed with the reason. A chain that shows something other than what was sent fails the
// operation with an alert, never "done"; a hash the chain never mined is never settled as the operation's.

import type { Hex } from "viem";
import {
  type ChainClient,
  ChainRevertError,
  classifyChainError,
  type TxReceipt,
  type WaitOptions,
  type WriteOptions,
} from "../chain/client";
import { errorText, type Logger } from "../logger";
import type { Store } from "../store/store";
import type { OperationKind, OperationRecord } from "../store/types";
import { OperationError, OperationRefusedError } from "./errors";
import { minedOf, replacing, waitForEarlier } from "./transactions";

/** What the chain shows of an operation. */
export type Inspection = {
  /** Its effect is on chain (by whichever transaction). */
  present: boolean;
  /** How what the chain shows differs from what was sent; null when it is what was sent (or absent). */
  mismatch: string | null;
  /** An event registration's id, read from its receipt. */
  chainEventId?: bigint;
};

export type OperationSpec = {
  kind: OperationKind;
  /** Resume this operation (else the subject's operation of `kind` in flight, or a new one). */
  operationId?: string;
  organisationId: string;
  subjectId: string;
  /** What settling needs besides the subject row (kept with the operation). */
  payload?: Record<string, unknown>;
  /** Log fields naming the item, e.g. `{ batch: id }`. */
  item: Record<string, string>;
  /** What an alert calls the on-chain effect, e.g. "the batch's on-chain record". */
  noun: string;
  /** Reads the chain. `mined`: the successful receipt of one of the operation's transactions, if any. */
  inspect(mined: TxReceipt | null): Promise<Inspection>;
  /**
   * Signs and sends it with a new nonce, calling `options.onSigned` first (OperationRefusedError: it fails
   * unsent). Without it, the operation is only reconciled: what is neither on chain nor pending fails.
   */
  send?: (options: WriteOptions) => Promise<Hex>;
  /** A send that fails before any hash of the operation was recorded fails the operation (the caller retries). */
  failUnsent?: boolean;
  /** Custom errors of a refusal that mean the effect is on chain already. */
  doneAlready?: ReadonlySet<string>;
  /** A mined revert fails the operation (else it is sent again, and the registry says why it refuses). */
  revertIsFinal?: boolean;
};

export type OperationOutcome =
  | { status: "done"; txHash: Hex | null; blockNumber: bigint | null; chainEventId?: bigint }
  /** `chainError`: the registry's custom error when it refused the transaction. */
  | { status: "failed"; reason: string; chainError?: string };

export type TrackDeps = { store: Store; chain: ChainClient; logger: Logger };

/** The fields naming an operation: its kind, its subject row (a batch, credential or event) and log fields. */
export function subjectOf(
  kind: OperationKind,
  subject: { id: string; organisationId: string },
  item: Record<string, string>,
): Pick<OperationSpec, "kind" | "organisationId" | "subjectId" | "item"> {
  return { kind, organisationId: subject.organisationId, subjectId: subject.id, item };
}

/**
 * Brings one operation to an end: reconciled with the chain, sent (again) when nothing of it is there, settled.
 * A transient fault is recorded on the operation as its last error and thrown (the caller retries).
 */
export async function trackOperation(deps: TrackDeps, spec: OperationSpec): Promise<OperationOutcome> {
  const operation = await deps.store.operations.open({
    ...(spec.operationId ? { operationId: spec.operationId } : {}),
    kind: spec.kind,
    organisationId: spec.organisationId,
    subjectId: spec.subjectId,
    payload: spec.payload ?? null,
  });
  try {
    return await run(deps, spec, operation);
  } catch (error) {
    await deps.store.operations.recordError(operation.id, errorText(error)).catch(() => undefined);
    throw error;
  }
}

async function run(deps: TrackDeps, spec: OperationSpec, operation: OperationRecord) {
  const { chain } = deps;
  const hashes = [...operation.txHashes];
  const wait = replacing(deps, spec.item, operation.id, hashes);
  const settle = settler(deps, spec, operation);
  // Reconcile first: an earlier send (before a crash) may be on chain already.
  const mined = await minedOf(chain, hashes);
  const seen = await spec.inspect(succeeded(mined));
  if (seen.present) return settle.checked(seen, succeeded(mined));
  const earlier = await waitForEarlier(chain, hashes, wait);
  if (earlier?.status === "success") return settle.checked(await spec.inspect(earlier), earlier);
  if (earlier && spec.revertIsFinal)
    return settle.failed(`the transaction ${earlier.transactionHash} reverted`);
  if (!spec.send)
    return settle.failed(hashes.length === 0 ? "never sent" : "dropped by the node, never mined");
  return send(deps, spec, spec.send, { operation, hashes, wait, settle });
}

type Sending = { operation: OperationRecord; hashes: Hex[]; wait: WaitOptions; settle: Settler };

async function send(
  deps: TrackDeps,
  spec: OperationSpec,
  sendIt: NonNullable<OperationSpec["send"]>,
  { operation, hashes, wait, settle }: Sending,
): Promise<OperationOutcome> {
  const { chain, store } = deps;
  // Reverted, dropped or never broadcast: send (again) with a new nonce.
  let recorded: Hex | null = null;
  const record = async (hash: Hex) => {
    await store.operations.recordHash(operation.id, hash, { replacement: false });
    hashes.push(hash);
    recorded = hash;
  };
  let hash: Hex;
  try {
    hash = await sendIt({ onSigned: record });
  } catch (error) {
    if (error instanceof OperationRefusedError) return settle.failed(error.message);
    const classified = classifyChainError(error);
    if (!(classified instanceof ChainRevertError)) {
      if (spec.failUnsent && hashes.length === 0) await settle.failed(`not sent: ${classified.message}`);
      throw classified;
    }
    if (spec.doneAlready?.has(classified.errorName))
      return settle.checked(await spec.inspect(null), succeeded(await minedOf(chain, hashes)));
    deps.logger.error({ ...spec.item, reason: classified.errorName }, "the registry refused the transaction");
    return settle.failed(classified.message, classified.errorName);
  }
  if (hash !== recorded) await record(hash);
  const receipt = await chain.waitForReceipt([hash], wait);
  if (receipt.status === "success") return settle.checked(await spec.inspect(receipt), receipt);
  if (spec.revertIsFinal) return settle.failed(`the transaction ${receipt.transactionHash} reverted`);
  const after = await spec.inspect(null);
  if (after.present) return settle.checked(after, null);
  throw new OperationError("reverted", `${spec.kind} transaction ${receipt.transactionHash} reverted`);
}

const succeeded = (receipt: TxReceipt | null) => (receipt?.status === "success" ? receipt : null);

type Settler = ReturnType<typeof settler>;

/** The two ends of an operation, each written with its subject in one database transaction. */
function settler(deps: TrackDeps, spec: OperationSpec, operation: OperationRecord) {
  const failed = async (reason: string, chainError?: string): Promise<OperationOutcome> => {
    await deps.store.operations.settle(operation.id, { status: "failed", error: reason });
    return { status: "failed", reason, ...(chainError ? { chainError } : {}) };
  };
  return {
    failed,
    /** Done only if the chain shows what was sent; otherwise failed, with an alert. */
    async checked(seen: Inspection, mined: TxReceipt | null): Promise<OperationOutcome> {
      const mismatch = seen.present ? seen.mismatch : (seen.mismatch ?? `${spec.noun} is not on chain`);
      if (mismatch !== null) {
        deps.logger.error(
          { alert: true, ...spec.item, reason: mismatch },
          `ALERT: ${spec.noun} is not the one sent; marked failed`,
        );
        return failed(mismatch);
      }
      const done = {
        status: "done" as const,
        txHash: mined?.transactionHash ?? null,
        blockNumber: mined?.blockNumber ?? null,
        ...(seen.chainEventId === undefined ? {} : { chainEventId: seen.chainEventId }),
      };
      await deps.store.operations.settle(operation.id, done);
      return done;
    },
  };
}
