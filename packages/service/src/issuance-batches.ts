// A large issuance (100 to 2,000 credentials of one validity) is a batch of its own: its Merkle tree is built and
// its root signed while the request is served, and the batch is written with its members in the issuance's own
// transaction, ready to send. The worker then only sends it, instead of taking the credentials back and
// rewriting every member's row to attach it to a batch. Smaller issuances stay pending, so that the worker
// gathers them with others into one batch (one transaction on chain for many requests), and so do larger ones
// (bulk jobs), whose rows are cheaper to write pending and attach afterwards on the embedded store.

import { randomUUID } from "node:crypto";
import { signBatchRoot } from "@intyg/credential";
import type { Hex } from "viem";
import { unixSeconds } from "./clock";
import { DEFAULT_WORKER_CONFIG } from "./config";
import type { IssuanceContext } from "./issuance";
import { issuanceThreadsReady, runIssuanceTask } from "./parallel/pool";
import { batchTree } from "./parallel/tasks";
import type { NewCredential } from "./store/store";

/**
 * Fewest credentials of one group (event and validity) an issuance batches itself. One batch costs one
 * transaction on chain whatever its size: from a hundred on, that is at most a hundredth of one each.
 */
export const BATCH_AT_ISSUANCE_MIN = 100;

/**
 * Most credentials of one group an issuance batches itself: a larger one (a bulk job of 10,000) is left to the
 * worker. On the embedded store, writing 10,000 rows with their batch columns in the issuance's transaction took
 * longer (13.7 s against 11.7 s until anchored) and held requests longer (p99 2.2 s against 1.4 s) than writing
 * them pending and letting the worker attach them.
 */
export const BATCH_AT_ISSUANCE_MAX = 2_000;

/** Fewest members whose tree is built on an issuance thread (1,000 take 30 ms here: not worth a message). */
const THREAD_TREE_MIN = BATCH_AT_ISSUANCE_MAX;

/**
 * Builds, signs and attaches a batch to each group of {@link BATCH_AT_ISSUANCE_MIN} to {@link BATCH_AT_ISSUANCE_MAX}
 * batch credentials of `credentials` that share a validity (in batches of equal size, at most `maxBatchSize`), as
 * the worker would: the same tree, the same signed request, the same `{ anchor, proof }` sections. Credentials of
 * smaller groups, single credentials, and every credential when the organisation's signer cannot be had now, are
 * left pending.
 * The store writes a batch only while its key is still the organisation's current one (else its members pending).
 */
export async function batchAtIssuance(
  ctx: IssuanceContext,
  credentials: readonly NewCredential[],
  chainEventId: bigint,
): Promise<void> {
  const groups = new Map<number, NewCredential[]>();
  for (const credential of credentials) {
    if (credential.mode !== "batch") continue;
    const group = groups.get(credential.validUntil);
    if (group) group.push(credential);
    else groups.set(credential.validUntil, [credential]);
  }
  const maxSize = Math.max(1, ctx.maxBatchSize ?? DEFAULT_WORKER_CONFIG.maxBatchSize);
  const large = [...groups].filter(
    ([, group]) => group.length >= BATCH_AT_ISSUANCE_MIN && group.length <= BATCH_AT_ISSUANCE_MAX,
  );
  if (large.length === 0) return;
  // Without a key to sign with now (an organisation whose key was withdrawn waits for a new one; a node that
  // cannot be reached to confirm the key), the credentials stay pending, as smaller issuances do: the worker
  // signs their batch once it can, and the issuance is not refused for it.
  let signer: Awaited<ReturnType<IssuanceContext["signer"]>>;
  try {
    signer = await ctx.signer();
  } catch {
    return;
  }
  for (const [validUntil, group] of large) {
    // Batches of equal size (10,001 credentials make two of 5,001 and 5,000, not one of 10,000 and one of 1).
    const count = Math.ceil(group.length / maxSize);
    for (let k = 0, start = 0; k < count; k++) {
      const end = start + Math.ceil((group.length - start) / (count - k));
      const members = group.slice(start, end);
      start = end;
      const target = {
        chainId: ctx.anchorage.chainId,
        registry: ctx.anchorage.registry,
        eventId: chainEventId,
        validUntil: BigInt(validUntil),
      };
      const roots = members.map((c) => c.commitment);
      // A large tree on an issuance thread: 10,000 members' tree and anchors hold the event loop for 0.3 s.
      const tree =
        members.length >= THREAD_TREE_MIN && issuanceThreadsReady()
          ? await runIssuanceTask("batchTree", { target, roots })
          : batchTree({ target, roots });
      const createdAt = ctx.clock.now();
      const deadline = unixSeconds(ctx.clock) + ctx.requestTtlSeconds;
      const proof = await signBatchRoot(
        { ...target, root: tree.root, size: members.length },
        { account: signer, deadline, created: createdAt },
      );
      // The sections as `JSON.stringify({ anchor, proof: [proof] })` writes them, the anchor's text given.
      const proofText = JSON.stringify(proof);
      const batch = {
        id: randomUUID(),
        organisationId: ctx.organisation.id,
        eventId: ctx.event.id,
        chainEventId: chainEventId.toString(),
        root: tree.root,
        size: members.length,
        validUntil,
        signature: proof.proofValue as Hex,
        deadline,
        signingKey: signer.address,
        createdAt,
      };
      for (const [index, credential] of members.entries()) {
        credential.batch = {
          batch,
          leaf: tree.leaves[index]!,
          proof: tree.proofs[index]!,
          sections: `{"anchor":${tree.anchors[index]!},"proof":[${proofText}]}`,
        };
      }
    }
  }
}
