// Batches: pending credentials of one group (organisation, event, validity) are built into a Merkle tree, its
// root signed once and the batch recorded with every member's proof BEFORE anything is sent; then anchored as a
// tracked operation. A batch left `sending` (a crash, a failed send) is reconciled with the chain first.

import { buildBatchTree, signBatchRoot } from "@intyg/credential";
import type { Hex } from "viem";
import type { ChainClient } from "../chain/client";
import { unixSeconds } from "../clock";
import { ANCHORED_ALREADY, organisationOfEvent, recordInspection } from "../operations/records";
import { type OperationSpec, subjectOf, trackOperation } from "../operations/track";
import type { Signer } from "../signer";
import type { BatchRecord } from "../store/types";
import type { TickSummary, WorkContext } from "./types";

/**
 * The anchoring of `batch`: done when the record in its organisation's namespace says what was sent. The
 * relayer sends the key's signed request for the root (the key holds no ether); `current` gives the request to
 * send — the stored one, or one signed again when that has expired (a long outage).
 */
export function batchOperation(
  batch: BatchRecord,
  chain: ChainClient,
  current: (batch: BatchRecord) => Promise<{ signature: Hex; deadline: number }> = async (b) => b,
): OperationSpec {
  const organisationId = organisationOfEvent(batch.chainEventId);
  const expected = {
    eventId: BigInt(batch.chainEventId),
    batchSize: batch.size,
    validUntil: batch.validUntil,
  };
  return {
    ...subjectOf("batch", batch, { batch: batch.id, root: batch.root }),
    noun: "the batch's on-chain record",
    doneAlready: ANCHORED_ALREADY,
    inspect: async () => recordInspection(await chain.record(organisationId, batch.root), expected),
    async send(options) {
      const { signature, deadline } = await current(batch);
      return chain.anchorBatch(
        {
          root: batch.root,
          eventId: expected.eventId,
          validUntil: BigInt(batch.validUntil),
          batchSize: batch.size,
          signed: { signature, deadline: BigInt(deadline) },
        },
        options,
      );
    },
  };
}

/**
 * The batch's signed request, or — when it has expired or is about to — a new one for the same root, stored with
 * the proof it changes (in every member) before it is relayed.
 */
async function currentRequest(ctx: WorkContext, batch: BatchRecord, signer: Signer) {
  const { store, clock } = ctx.deps;
  if (batch.deadline > unixSeconds(clock) + 60) return batch;
  const deadline = unixSeconds(clock) + ctx.config.requestTtlSeconds;
  const proof = await signBatchRoot(
    {
      chainId: ctx.deps.chain.chainId,
      registry: ctx.deps.chain.registry,
      eventId: BigInt(batch.chainEventId),
      validUntil: BigInt(batch.validUntil),
      root: batch.root,
      size: batch.size,
    },
    { account: signer, deadline, created: clock.now() },
  );
  const signature = proof.proofValue as Hex;
  await store.anchoring.updateBatchProof(
    batch.id,
    proof as unknown as Record<string, unknown>,
    signature,
    deadline,
  );
  ctx.log.info({ batch: batch.id }, "batch request signed again (the first had expired)");
  return { signature, deadline };
}

async function settleBatch(ctx: WorkContext, batch: BatchRecord, summary: TickSummary): Promise<void> {
  // The key that signed the root sends it: the registry records the sender as the credentials' key.
  const { chain, own, signer } = await ctx.keyed(batch.organisationId, batch.signingKey);
  if (own) await chain.ensureFunded();
  const outcome = await trackOperation(
    { ...ctx.deps, chain },
    batchOperation(batch, chain, () => currentRequest(ctx, batch, signer)),
  );
  if (outcome.status !== "done") return;
  summary.batchesAnchored += 1;
  summary.credentialsAnchored += batch.size;
  ctx.log.info(
    { batch: batch.id, root: batch.root, size: batch.size, txHash: outcome.txHash },
    "batch anchored",
  );
}

/** Records the organisation's next batch of pending credentials (built and signed in the recording transaction). */
async function buildNextBatch(ctx: WorkContext, organisationId: string): Promise<BatchRecord | null> {
  const { store, clock } = ctx.deps;
  // Nothing to build: no signer is resolved (an organisation without a current key may still have revocations).
  if (!(await store.anchoring.hasPendingBatch(organisationId))) return null;
  // The signer is resolved first: the batch is built inside a transaction that must not wait on other reads.
  const { signer, chain } = await ctx.keyed(organisationId);
  const created = await store.anchoring.createBatch(
    ctx.config.maxBatchSize,
    async (group) => {
      const tree = buildBatchTree(
        {
          chainId: chain.chainId,
          registry: chain.registry,
          eventId: BigInt(group.chainEventId),
          validUntil: BigInt(group.validUntil),
        },
        group.credentials.map((c) => c.commitment),
      );
      const deadline = unixSeconds(clock) + ctx.config.requestTtlSeconds;
      const proof = await signBatchRoot(tree, { account: signer, deadline, created: clock.now() });
      return {
        root: tree.root,
        signature: proof.proofValue as Hex,
        deadline,
        signingKey: signer.address,
        members: tree.anchors.map((anchor, index) => ({
          id: group.credentials[index]!.id,
          leaf: anchor.batch!.leaf as Hex,
          proof: anchor.batch!.proof as Hex[],
          sections: JSON.stringify({ anchor, proof: [proof] }),
        })),
      };
    },
    organisationId,
  );
  if (created) {
    const { id, root, size } = created.batch;
    ctx.log.info({ batch: id, root, size }, "batch recorded");
  }
  return created?.batch ?? null;
}

/**
 * Batches one lane sends in one turn, of those in flight and of those it builds: an organisation with a flood of
 * credentials (a large issuance is written as many batches at once) lets its own revocations and single
 * credentials, and other organisations, have a turn.
 */
const BATCHES_PER_TURN = 10;

/** The organisation's batches in flight first (reconciled, then sent), then new ones, one group at a time. */
export async function runBatches(ctx: WorkContext, summary: TickSummary, organisationId: string) {
  // Only batches settled count against the turn: one that keeps failing (or waits for its retry) holds no other up.
  let settled = 0;
  for (const batch of await ctx.deps.store.anchoring.batchesInFlight(organisationId)) {
    if (ctx.stopping() || settled >= BATCHES_PER_TURN) return;
    if (await ctx.attempt("batch", batch.id, summary, () => settleBatch(ctx, batch, summary))) settled++;
  }
  for (let i = settled; i < BATCHES_PER_TURN && !ctx.stopping() && (await ctx.stillLeader()); i++) {
    const batch = await buildNextBatch(ctx, organisationId);
    if (!batch) break;
    if (!(await ctx.attempt("batch", batch.id, summary, () => settleBatch(ctx, batch, summary)))) break;
  }
}
