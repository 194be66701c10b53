// The anchoring worker: one leader at a time (PostgreSQL advisory lock; an in-process flag on PGlite) takes
// pending credentials, records each batch (root, members, proofs, the one signature) in the database BEFORE
// anything is sent, then sends it and waits for the receipt. Anything found half-done — a batch or a single
// credential in `sending` — is first reconciled with the chain (`record(organisation, root)`), so a crash at any
// point never anchors a credential twice nor a root twice.
//
// Reconciliation checks, it does not trust: before a batch, a single credential or a revocation is marked done,
// the record in the organisation's namespace must say what was sent (event, batch size, validity; revoked). A
// record that says anything else marks the item `failed` with the reason and logs an alert — never "anchored".

import {
  buildBatch,
  type IssueRequestMessage,
  issueRequestFromMessage,
  signBatch,
  type UnsignedCredential,
} from "@intyg/credential";
import { type RevocationReason, revocationReasonCode } from "@intyg/registry";
import type { Hex } from "viem";
import {
  type ChainClient,
  ChainRevertError,
  classifyChainError,
  type Fees,
  type TxReceipt,
  type WaitOptions,
} from "../chain/client";
import { type Clock, unixSeconds } from "../clock";
import type { EmailConfig, WorkerConfig } from "../config";
import { createMailer, type Mailer, type MailTransport } from "../delivery/email-sender";
import { ProblemError } from "../errors";
import { signSingle } from "../format";
import { type IssuanceContext, prepareCredentials } from "../issuance";
import { errorText, type Logger } from "../logger";
import type { Signer } from "../signer";
import { LeadershipLostError } from "../store/db";
import type { Store } from "../store/store";
import type { BatchRecord, CredentialRecord } from "../store/types";
import { databaseUnavailableReason } from "../store/unavailable";
import { createLeadership, LEADER_LOCK_KEY, type Leadership } from "./leader";

export { LEADER_LOCK_KEY } from "./leader";

export type WorkerDeps = {
  store: Store;
  signer: Signer;
  chain: ChainClient;
  clock: Clock;
  logger: Logger;
  /** With `email`, the worker also sends the queued e-mails (on the leader, after anchoring). */
  config: { worker: WorkerConfig; publicUrl: string; verifyUrl?: string; email?: EmailConfig };
};

export type TickSummary = {
  leader: boolean;
  batchesAnchored: number;
  credentialsAnchored: number;
  singlesAnchored: number;
  revocations: number;
  jobs: number;
  /** E-mails sent in this pass. */
  emails: number;
  errors: number;
};

export interface Worker {
  /** Wakes the loop now (after new work was stored). */
  wake(): void;
  /** Runs one pass over all work (the loop calls this; tests may too, with `autoStart: false`). */
  runOnce(): Promise<TickSummary>;
  /** Resolves once a pass finds nothing left to do (or `timeoutMs` passes, then rejects). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the loop and gives up leadership. With `abandon`, it does not wait for a pass in progress. */
  stop(options?: { abandon?: boolean }): Promise<void>;
  readonly isLeader: boolean;
  /** Who leads (this replica's role, the lock's holder): for health reports. */
  readonly leadership: Leadership;
}

export type StartWorkerOptions = {
  /** Start the loop (default true). */
  autoStart?: boolean;
  /** The advisory lock key of the leader. */
  leaderKey?: number;
  /** How e-mails leave (default: SMTP when configured, else the outbox). */
  mailTransport?: MailTransport;
  /** Send the queued e-mails (default true when the config has `email`). */
  mail?: boolean;
};

const ZERO32 = `0x${"0".repeat(64)}` as Hex;

/** The organisation that owns a registry event id (its high 32 bits): the namespace of its records. */
export function organisationOfEvent(eventId: bigint | string): number {
  return Number(BigInt(eventId) >> 32n);
}

/** What an item expects its on-chain record to say. */
export type ExpectedRecord = { eventId: bigint; batchSize: number; validUntil: number };

/** Why an on-chain record is not the one expected, or null when it is. */
export function recordMismatch(
  onChain: { eventId: bigint; batchSize: number; validUntil: number },
  expected: ExpectedRecord,
): string | null {
  const differences: string[] = [];
  if (onChain.eventId !== expected.eventId)
    differences.push(`event ${onChain.eventId} instead of ${expected.eventId}`);
  if (onChain.batchSize !== expected.batchSize)
    differences.push(`batch size ${onChain.batchSize} instead of ${expected.batchSize}`);
  if (onChain.validUntil !== expected.validUntil)
    differences.push(`validUntil ${onChain.validUntil} instead of ${expected.validUntil}`);
  return differences.length === 0 ? null : `the on-chain record differs: ${differences.join(", ")}`;
}

/** Reverts that mean the work is already done on chain. */
const DONE_ALREADY = new Set(["IntygRegistryAlreadyAnchored"]);
const REVOKED_ALREADY = new Set(["IntygRegistryAlreadyRevoked"]);

export function startWorker(deps: WorkerDeps, options: StartWorkerOptions = {}): Worker {
  const { store, signer, chain, clock, logger } = deps;
  const config = deps.config.worker;
  const log = logger.child({ component: "worker" });
  const leaderKey = options.leaderKey ?? LEADER_LOCK_KEY;
  const emailConfig = deps.config.email;
  const mailer: Mailer | null =
    emailConfig && options.mail !== false
      ? createMailer({
          store,
          logger,
          config: {
            publicUrl: deps.config.publicUrl,
            verifyUrl: deps.config.verifyUrl ?? `${deps.config.publicUrl}/verify`,
            email: emailConfig,
          },
          ...(options.mailTransport ? { transport: options.mailTransport } : {}),
        })
      : null;

  const leadership = createLeadership({ db: store.db, log, key: leaderKey });
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let loop: Promise<void> | null = null;
  let consecutiveFailures = 0;
  let lastExpiry = 0;
  /** Per item (batch, credential, job) id: not before this time (ms) after a transient failure. */
  const retryAt = new Map<string, { at: number; attempts: number }>();

  const due = (id: string) => (retryAt.get(id)?.at ?? 0) <= Date.now();
  const succeeded = (id: string) => retryAt.delete(id);
  const failedTransiently = (id: string) => {
    const attempts = (retryAt.get(id)?.attempts ?? 0) + 1;
    const delay = Math.min(config.retryBaseMs * 2 ** (attempts - 1), config.retryMaxMs);
    retryAt.set(id, { at: Date.now() + delay, attempts });
  };

  let ownOrganisationId: number | null = null;
  /** The organisation of the signing key (read once): the namespace of what this worker anchored. */
  async function ownOrganisation(): Promise<number> {
    ownOrganisationId ??= (await chain.signingKey(chain.keyAddress)).organisationId;
    return ownOrganisationId;
  }

  /** Whether this replica leads now (asked of the database at the start of a pass). */
  const ensureLeader = () => leadership.confirm();
  /** Whether it still leads (before every unit of work; a lock lost mid-pass is not taken again in that pass). */
  const stillLeader = () => leadership.confirm({ acquire: false });

  // -- transactions in flight ---------------------------------------------------------------------------------

  const feeFields = (fees: Fees) =>
    "gasPrice" in fees
      ? { gasPrice: fees.gasPrice.toString() }
      : {
          maxFeePerGas: fees.maxFeePerGas.toString(),
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
        };

  /** A wait that replaces a stuck transaction, recording each replacement (`record`) before it is sent. */
  function replacing(item: Record<string, string>, record: (hash: Hex) => Promise<void>): WaitOptions {
    return {
      onReplaced: async (hash, info) => {
        await record(hash);
        log.warn(
          { ...item, replaces: info.replaces, txHash: hash, nonce: info.nonce, ...feeFields(info.fees) },
          "transaction pending too long: replacing it with higher fees",
        );
      },
      onFeeCap: (info) =>
        log.warn(
          {
            ...item,
            txHash: info.hash,
            nonce: info.nonce,
            ...feeFields(info.fees),
            limit: info.limit.toString(),
          },
          "transaction pending at the fee limit: not replaced again, waiting for it to be mined",
        ),
    };
  }

  /**
   * An item's earlier transactions (one nonce: a send and its replacements) against the node: the receipt of the
   * one mined; while one is still pending, waits for it (replacing it when stuck); null when the node knows
   * none of them (dropped, or never sent): then it is sent again.
   */
  async function earlierTransaction(hashes: readonly Hex[], wait: WaitOptions): Promise<TxReceipt | null> {
    if (hashes.length === 0) return null;
    const mined = await minedOf(hashes);
    if (mined) return mined;
    for (const hash of hashes) {
      if (await chain.hasTransaction(hash)) return chain.waitForReceipt(hashes, wait);
    }
    return null;
  }

  /** The receipt of whichever of `hashes` was mined, newest first. */
  async function minedOf(hashes: readonly Hex[]): Promise<TxReceipt | null> {
    for (const hash of [...hashes].reverse()) {
      const receipt = await chain.getReceipt(hash);
      if (receipt) return receipt;
    }
    return null;
  }

  // -- batches -------------------------------------------------------------------------------------------------

  async function settleBatch(batch: BatchRecord, summary: TickSummary): Promise<void> {
    const blockAnchored = async (blockNumber: bigint | null, txHash: Hex | null) => {
      await store.anchoring.markBatchAnchored(batch.id, blockNumber, txHash);
      summary.batchesAnchored += 1;
      summary.credentialsAnchored += batch.size;
      log.info({ batch: batch.id, root: batch.root, size: batch.size, txHash }, "batch anchored");
    };
    const wait = replacing({ batch: batch.id }, (hash) => store.anchoring.markBatchReplaced(batch.id, hash));
    const organisationId = organisationOfEvent(batch.chainEventId);
    const expected: ExpectedRecord = {
      eventId: BigInt(batch.chainEventId),
      batchSize: batch.size,
      validUntil: batch.validUntil,
    };
    /** Marks the batch anchored only if its record is the one sent; otherwise failed, with an alert. */
    const checkedAnchored = async (blockNumber: bigint | null, txHash: Hex | null) => {
      const mismatch = recordMismatch(await chain.record(organisationId, batch.root), expected);
      if (mismatch === null) return blockAnchored(blockNumber, txHash);
      await store.anchoring.markBatchFailed(batch.id, mismatch);
      log.error(
        { alert: true, batch: batch.id, root: batch.root, organisationId, reason: mismatch },
        "ALERT: the batch's on-chain record is not the one sent; marked failed, not anchored",
      );
    };
    // Reconcile first: the root may be on chain already (a send before a crash) — by whichever transaction.
    const onChain = await chain.record(organisationId, batch.root);
    if (onChain.issuedAt !== 0) {
      const mined = await minedOf(batch.txHashes);
      return mined?.status === "success"
        ? checkedAnchored(mined.blockNumber, mined.transactionHash)
        : checkedAnchored(null, null);
    }
    const earlier = await earlierTransaction(batch.txHashes, wait);
    if (earlier?.status === "success") return checkedAnchored(earlier.blockNumber, earlier.transactionHash);
    // Reverted, dropped or never broadcast: send again (the registry refuses a root twice anyway).
    let hash: Hex;
    let recorded: Hex | null = null;
    try {
      hash = await chain.anchorBatch(
        {
          root: batch.root,
          eventId: BigInt(batch.chainEventId),
          validUntil: BigInt(batch.validUntil),
          batchSize: batch.size,
        },
        {
          // The hash is stored before the transaction leaves: if the answer is lost, the next attempt finds it.
          onSigned: async (signed) => {
            await store.anchoring.markBatchSent(batch.id, signed);
            recorded = signed;
          },
        },
      );
    } catch (error) {
      const classified = classifyChainError(error);
      if (classified instanceof ChainRevertError) {
        if (DONE_ALREADY.has(classified.errorName)) return checkedAnchored(null, null);
        await store.anchoring.markBatchFailed(batch.id, classified.message);
        log.error({ batch: batch.id, reason: classified.errorName }, "the registry refused the batch");
        return;
      }
      throw classified;
    }
    if (hash !== recorded) await store.anchoring.markBatchSent(batch.id, hash);
    const receipt = await chain.waitForReceipt([hash], wait);
    if (receipt.status === "success") return checkedAnchored(receipt.blockNumber, receipt.transactionHash);
    const again = await chain.record(organisationId, batch.root);
    if (again.issuedAt !== 0) return checkedAnchored(receipt.blockNumber, null);
    throw new Error(`anchorBatch ${receipt.transactionHash} reverted`);
  }

  async function buildNextBatch(): Promise<BatchRecord | null> {
    const created = await store.anchoring.createBatch(config.maxBatchSize, async (group) => {
      const docs = group.credentials.map((c) => c.document as unknown as UnsignedCredential);
      const batch = buildBatch(docs);
      if (batch.eventId.toString() !== group.chainEventId)
        throw new Error("batch event differs from its group");
      const deadline = unixSeconds(clock) + config.requestTtlSeconds;
      const signed = await signBatch(batch, { account: signer, deadline, created: clock.now() });
      return {
        root: signed.root,
        signature: signed.proof.proofValue as Hex,
        deadline,
        members: signed.credentials.map((doc, index) => ({
          id: group.credentials[index]!.id,
          leaf: doc.anchor.batch!.leaf as Hex,
          proof: doc.anchor.batch!.proof as Hex[],
          document: doc as unknown as Record<string, unknown>,
        })),
      };
    });
    if (created) {
      log.info(
        { batch: created.batch.id, root: created.batch.root, size: created.batch.size },
        "batch recorded",
      );
    }
    return created?.batch ?? null;
  }

  // -- single credentials (issueSigned, relayed) --------------------------------------------------------------

  async function settleSingle(credential: CredentialRecord, summary: TickSummary): Promise<void> {
    const anchored = async (txHash: Hex | null) => {
      await store.anchoring.markSingleAnchored(credential.id, txHash);
      summary.singlesAnchored += 1;
      log.info({ credential: credential.id, txHash }, "credential anchored");
    };
    const wait = replacing({ credential: credential.id }, (hash) =>
      store.anchoring.markSingleReplaced(credential.id, hash),
    );
    let document = credential.document as { proof?: { eip712?: { message?: IssueRequestMessage } }[] } | null;
    let signature = credential.issueSignature;
    let message = document?.proof?.[0]?.eip712?.message;
    const organisationId = message ? organisationOfEvent(message.eventId) : await ownOrganisation();
    /** Marks the credential anchored only if its record is the one signed; otherwise failed, with an alert. */
    const checkedAnchored = async (txHash: Hex | null) => {
      const onChain = await chain.record(organisationId, credential.commitment);
      const mismatch = message
        ? recordMismatch(onChain, {
            eventId: BigInt(message.eventId),
            batchSize: 0,
            validUntil: Number(message.validUntil),
          })
        : onChain.issuedAt === 0
          ? "the credential is not anchored"
          : null;
      if (mismatch === null) return anchored(txHash);
      await store.anchoring.markSingleFailed(credential.id, mismatch);
      log.error(
        { alert: true, credential: credential.id, organisationId, reason: mismatch },
        "ALERT: the credential's on-chain record is not the one signed; marked failed, not anchored",
      );
    };
    const onChain = await chain.record(organisationId, credential.commitment);
    if (onChain.issuedAt !== 0) {
      const mined = await minedOf(credential.txHashes);
      return checkedAnchored(mined?.status === "success" ? mined.transactionHash : null);
    }
    const earlier = await earlierTransaction(credential.txHashes, wait);
    if (earlier?.status === "success") return checkedAnchored(earlier.transactionHash);
    // An expired request (a long outage) is signed again; the commitment, and so the credential, is unchanged.
    if (!message || !signature || (credential.issueDeadline ?? 0) <= unixSeconds(clock) + 60) {
      if (!credential.document) {
        await store.anchoring.markSingleFailed(credential.id, "erased before it could be anchored");
        return;
      }
      const deadline = unixSeconds(clock) + config.requestTtlSeconds;
      const resigned = await signSingle(credential.document as unknown as UnsignedCredential, {
        signer,
        deadline,
        holder: credential.holderAddress,
        created: clock.now(),
      });
      signature = resigned.proof[0].proofValue as Hex;
      await store.anchoring.updateSingleProof(
        credential.id,
        resigned as unknown as Record<string, unknown>,
        signature,
        deadline,
      );
      document = resigned as typeof document;
      message = resigned.proof[0].eip712.message;
    }
    let hash: Hex;
    let recorded: Hex | null = null;
    try {
      hash = await chain.issueSigned(
        { request: issueRequestFromMessage(message!), signature: signature! },
        {
          onSigned: async (signed) => {
            await store.anchoring.markSingleSent(credential.id, signed);
            recorded = signed;
          },
        },
      );
    } catch (error) {
      const classified = classifyChainError(error);
      if (classified instanceof ChainRevertError) {
        if (DONE_ALREADY.has(classified.errorName)) return checkedAnchored(null);
        await store.anchoring.markSingleFailed(credential.id, classified.message);
        log.error(
          { credential: credential.id, reason: classified.errorName },
          "the registry refused the credential",
        );
        return;
      }
      throw classified;
    }
    if (hash !== recorded) await store.anchoring.markSingleSent(credential.id, hash);
    const receipt = await chain.waitForReceipt([hash], wait);
    if (receipt.status === "success") return checkedAnchored(receipt.transactionHash);
    if ((await chain.record(organisationId, credential.commitment)).issuedAt !== 0)
      return checkedAnchored(null);
    throw new Error(`issueSigned ${receipt.transactionHash} reverted`);
  }

  // -- revocations and supersessions --------------------------------------------------------------------------

  async function settleRevocation(
    work: Awaited<ReturnType<Store["anchoring"]["revocationsDue"]>>[number],
    summary: TickSummary,
  ): Promise<void> {
    const { credential, root, replacement } = work;
    const confirmed = async () => {
      await store.anchoring.markRevocationConfirmed(credential.id, clock.now());
      summary.revocations += 1;
      log.info({ credential: credential.id, reason: credential.revocationReason }, "revocation confirmed");
    };
    const leaf = root ? credential.leaf : null;
    if (root && !leaf) throw new Error("a batch member without a leaf");
    const anchorEventId = (credential.document as { anchor?: { eventId?: string } } | null)?.anchor?.eventId;
    const organisationId = anchorEventId ? organisationOfEvent(anchorEventId) : await ownOrganisation();
    const revokedAt = async () =>
      root
        ? (await chain.leafRevocation(organisationId, root, leaf!)).revokedAt ||
          (await chain.record(organisationId, root)).revokedAt
        : (await chain.record(organisationId, credential.commitment)).revokedAt;
    /** Confirms the revocation only if the organisation's record says revoked; otherwise failed, with an alert. */
    const checkedConfirmed = async () => {
      if ((await revokedAt()) !== 0) return confirmed();
      const reason = "the registry does not show the credential revoked in its organisation's namespace";
      await store.anchoring.markRevocationFailed(credential.id, reason);
      log.error(
        { alert: true, credential: credential.id, organisationId, reason },
        "ALERT: the revocation is not on chain as sent; marked failed",
      );
    };
    if ((await revokedAt()) !== 0) return confirmed();
    const wait = replacing({ credential: credential.id }, (hash) =>
      store.anchoring.markRevocationReplaced(credential.id, hash),
    );
    const earlier = await earlierTransaction(credential.revocationTxHashes, wait);
    if (earlier?.status === "success") return checkedConfirmed();
    const code = revocationReasonCode((credential.revocationReason ?? "other") as RevocationReason);
    let hash: Hex;
    let recorded: Hex | null = null;
    const options = {
      onSigned: async (signed: Hex) => {
        await store.anchoring.markRevocationSent(credential.id, signed);
        recorded = signed;
      },
    };
    try {
      if (replacement) {
        hash = await chain.supersede(
          { organisationId, root: root ?? credential.commitment, leaf: leaf ?? ZERO32, replacement },
          options,
        );
      } else if (root) {
        hash = await chain.revokeLeaf({ organisationId, root, leaf: leaf!, reason: code }, options);
      } else {
        hash = await chain.revoke(
          { organisationId, commitment: credential.commitment, reason: code },
          options,
        );
      }
    } catch (error) {
      const classified = classifyChainError(error);
      if (classified instanceof ChainRevertError) {
        if (REVOKED_ALREADY.has(classified.errorName)) return checkedConfirmed();
        await store.anchoring.markRevocationFailed(credential.id, classified.message);
        log.error(
          { credential: credential.id, reason: classified.errorName },
          "the registry refused the revocation",
        );
        return;
      }
      throw classified;
    }
    if (hash !== recorded) await store.anchoring.markRevocationSent(credential.id, hash);
    const receipt = await chain.waitForReceipt([hash], wait);
    if (receipt.status !== "success") throw new Error(`revocation ${receipt.transactionHash} reverted`);
    return checkedConfirmed();
  }

  // -- bulk jobs ----------------------------------------------------------------------------------------------

  async function runJob(summary: TickSummary): Promise<boolean> {
    const job = await store.jobs.claim();
    if (!job) return false;
    const input = job.input as BulkJobInput | null;
    try {
      if (!input) throw new Error("job without input");
      const [organisation, event] = await Promise.all([
        store.organisations.get(job.organisationId),
        store.events.get(job.organisationId, input.eventId),
      ]);
      if (!organisation || !event) throw new ProblemError(404, "not-found", "the event no longer exists");
      const ctx: IssuanceContext = {
        anchorage: { chainId: chain.chainId, registry: chain.registry },
        organisation,
        event,
        signer,
        clock,
        requestTtlSeconds: config.requestTtlSeconds,
        publicUrl: deps.config.publicUrl,
      };
      const { credentials, items } = await prepareCredentials(ctx, input.attendees, {
        validUntil: input.validUntil,
        send: input.send === true,
      });
      await store.jobs.complete(job.id, { count: items.length, credentials: items }, credentials);
      summary.jobs += 1;
      log.info({ job: job.id, count: items.length }, "bulk job done");
    } catch (error) {
      if (error instanceof ProblemError || job.attempts >= 5) {
        await store.jobs.fail(job.id, {
          status: error instanceof ProblemError ? error.status : 500,
          detail: error instanceof ProblemError ? error.message : "the job failed",
          ...(error instanceof ProblemError ? error.extensions : {}),
        });
        log.warn({ job: job.id, err: errorText(error) }, "bulk job failed");
      } else {
        throw error;
      }
    }
    return true;
  }

  async function settleRegistrations(): Promise<void> {
    const stale = await store.events.staleRegistrations(new Date(clock.now().getTime() - 60_000));
    for (const event of stale) {
      if (!due(event.id)) continue;
      try {
        if (!event.txHash) {
          await store.events.markFailed(event.id, null);
          continue;
        }
        const receipt = await chain.getReceipt(event.txHash);
        if (!receipt) {
          if (!(await chain.hasTransaction(event.txHash)))
            await store.events.markFailed(event.id, event.txHash);
          continue;
        }
        if (receipt.status === "success") {
          await store.events.markRegistered(event.id, await chain.createdEventId(event.txHash), event.txHash);
        } else {
          await store.events.markFailed(event.id, event.txHash);
        }
        succeeded(event.id);
      } catch (error) {
        failedTransiently(event.id);
        log.warn({ event: event.id, err: errorText(error) }, "event registration check failed");
      }
    }
  }

  // -- the pass -----------------------------------------------------------------------------------------------

  async function attempt(
    kind: "batch" | "single" | "revocation",
    id: string,
    summary: TickSummary,
    fn: () => Promise<void>,
  ): Promise<boolean> {
    if (!due(id)) return false;
    if (!(await stillLeader())) return false;
    try {
      await fn();
      succeeded(id);
      return true;
    } catch (error) {
      summary.errors += 1;
      failedTransiently(id);
      const database = databaseUnavailableReason(error);
      if (error instanceof LeadershipLostError)
        log.warn({ kind, item: id }, "leadership lost mid-work: nothing recorded; the leader takes it over");
      else if (database)
        log.warn({ kind, item: id, cause: database }, "the database is unavailable; will retry");
      else log.warn({ kind, item: id, err: errorText(error) }, "chain call failed; will retry");
      // Keep the last error on the row for operators; never fatal.
      if (kind === "batch") await store.anchoring.markBatchError(id, errorText(error)).catch(() => undefined);
      if (kind === "single")
        await store.anchoring.markSingleError(id, errorText(error)).catch(() => undefined);
      return false;
    }
  }

  async function runOnce(): Promise<TickSummary> {
    const summary: TickSummary = {
      leader: false,
      batchesAnchored: 0,
      credentialsAnchored: 0,
      singlesAnchored: 0,
      revocations: 0,
      jobs: 0,
      emails: 0,
      errors: 0,
    };
    if (!(await ensureLeader())) return summary;
    summary.leader = true;

    await settleRegistrations();
    if (Date.now() - lastExpiry > 60_000) {
      lastExpiry = Date.now();
      const cutoff = new Date(clock.now().getTime() - config.idempotencyTtlHours * 3600_000);
      const expired = await store.issuance.expire(cutoff);
      if (expired > 0) log.info({ expired }, "idempotency keys expired");
      // Rate-limit windows that have ended (every replica's requests count in the store).
      const windows = await store.rateLimits.expire(clock.now());
      if (windows > 0) log.debug({ windows }, "rate-limit windows deleted");
    }
    while (!stopping) {
      try {
        if (!(await runJob(summary))) break;
      } catch (error) {
        summary.errors += 1;
        log.warn({ err: errorText(error) }, "bulk job interrupted; will retry");
        break;
      }
    }

    // Batches left in `sending` (a crash, or a failed send): reconcile, then send.
    for (const batch of await store.anchoring.batchesInFlight()) {
      if (stopping) return summary;
      await attempt("batch", batch.id, summary, () => settleBatch(batch, summary));
    }
    // New batches, one group at a time.
    while (!stopping && (await stillLeader())) {
      const batch = await buildNextBatch();
      if (!batch) break;
      if (!(await attempt("batch", batch.id, summary, () => settleBatch(batch, summary)))) break;
    }

    for (const credential of await store.anchoring.singlesInFlight()) {
      if (stopping) return summary;
      await attempt("single", credential.id, summary, () => settleSingle(credential, summary));
    }
    for (let i = 0; i < 100 && !stopping && (await stillLeader()); i++) {
      const credential = await store.anchoring.claimSingle();
      if (!credential) break;
      if (!(await attempt("single", credential.id, summary, () => settleSingle(credential, summary)))) break;
    }

    for (const work of await store.anchoring.revocationsDue()) {
      if (stopping) return summary;
      await attempt("revocation", `revoke:${work.credential.id}`, summary, () =>
        settleRevocation(work, summary),
      );
    }
    if (mailer && !stopping) {
      try {
        summary.emails = (await mailer.runOnce()).sent;
      } catch (error) {
        summary.errors += 1;
        log.warn({ err: errorText(error) }, "sending e-mails failed; will retry");
      }
    }
    return summary;
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });
  }

  /** Drain waiters: resolved by the first idle pass that started after they asked. */
  const idleWaiters = new Map<() => void, number>();
  let passNumber = 0;

  async function run(): Promise<void> {
    while (!stopping) {
      let summary: TickSummary | null = null;
      const pass = ++passNumber;
      try {
        woken = false;
        summary = await leadership.fenced(runOnce);
        consecutiveFailures = summary.errors > 0 ? consecutiveFailures + 1 : 0;
      } catch (error) {
        consecutiveFailures += 1;
        const database = databaseUnavailableReason(error);
        if (database) log.warn({ cause: database }, "the database is unavailable; backing off");
        else if (error instanceof LeadershipLostError)
          log.warn("leadership lost mid-pass: nothing recorded; the leader takes it over");
        else log.warn({ err: errorText(error) }, "worker pass failed; backing off");
      }
      const busy =
        summary !== null &&
        summary.batchesAnchored + summary.singlesAnchored + summary.revocations + summary.jobs > 0;
      if (summary?.leader && !busy && summary.errors === 0 && idleWaiters.size > 0) {
        const left = await store.anchoring.outstanding().catch(() => -1);
        for (const [resolve, from] of left === 0 ? idleWaiters : new Map()) {
          if (pass >= from) {
            idleWaiters.delete(resolve);
            resolve();
          }
        }
      }
      if (stopping) break;
      if (busy) continue;
      const backoff =
        consecutiveFailures > 0
          ? Math.min(config.retryBaseMs * 2 ** (consecutiveFailures - 1), config.retryMaxMs)
          : config.pollIntervalMs;
      await sleep(backoff);
    }
  }

  if (options.autoStart !== false) loop = run();

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    runOnce: () => leadership.fenced(runOnce),
    drain(timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          reject(new Error("the worker did not drain in time"));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.set(done, passNumber + 1);
        woken = true;
        wakeUp?.();
      });
    },
    async stop(stopOptions = {}) {
      stopping = true;
      wakeUp?.();
      if (loop && !stopOptions.abandon) await loop;
      mailer?.close();
      await leadership.release();
    },
    get isLeader() {
      return leadership.state().role === "leader";
    },
    leadership,
  };
}

/** What a bulk job keeps until it runs (personal data: dropped when the job ends). */
export type BulkJobInput = {
  eventId: string;
  validUntil?: string;
  attendees: import("../issuance").AttendeeInput[];
  /** E-mail each credential to its holder once anchored. */
  send?: boolean;
};
