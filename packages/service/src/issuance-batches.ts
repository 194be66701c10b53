// A large issuance is a batch of its own: its Merkle tree is built and its root signed while the request is
// served, and the batch is written with its members in the issuance's own transaction, ready to send. The worker
// then only sends it, instead of taking the credentials back and rewriting every member's row to attach it to
// a batch (most of a bulk's time from request to anchored). Smaller issuances stay pending, so that the worker
// gathers them with others into one batch: one transaction on chain for many requests.

import { randomUUID } from "node:crypto";
import { buildBatchTree, signBatchRoot } from "@intyg/credential";
import type { Hex } from "viem";
import { unixSeconds } from "./clock";
import { DEFAULT_WORKER_CONFIG } from "./config";
import type { IssuanceContext } from "./issuance";
import type { NewCredential } from "./store/store";

/**
 * Fewest credentials of one group (event and validity) an issuance batches itself. One batch costs one
 * transaction on chain whatever its size: from a hundred on, that is at most a hundredth of one each.
 */
export const BATCH_AT_ISSUANCE_MIN = 100;

/**
 * Builds, signs and attaches a batch to each group of at least {@link BATCH_AT_ISSUANCE_MIN} batch credentials
 * of `credentials` that share a validity (at most `maxBatchSize` to a batch), as the worker would: the same tree,
 * the same signed request, the same `{ anchor, proof }` sections. Credentials of smaller groups, and single
 * credentials, are left as they are.
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
  for (const [validUntil, group] of groups) {
    if (group.length < BATCH_AT_ISSUANCE_MIN) continue;
    for (let start = 0; start < group.length; start += maxSize) {
      const members = group.slice(start, start + maxSize);
      const tree = buildBatchTree(
        {
          chainId: ctx.anchorage.chainId,
          registry: ctx.anchorage.registry,
          eventId: chainEventId,
          validUntil: BigInt(validUntil),
        },
        members.map((c) => c.commitment),
      );
      const signer = await ctx.signer();
      const createdAt = ctx.clock.now();
      const deadline = unixSeconds(ctx.clock) + ctx.requestTtlSeconds;
      const proof = await signBatchRoot(tree, { account: signer, deadline, created: createdAt });
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
        const anchor = tree.anchors[index]!;
        credential.batch = {
          batch,
          leaf: anchor.batch!.leaf as Hex,
          proof: anchor.batch!.proof as Hex[],
          sections: JSON.stringify({ anchor, proof: [proof] }),
        };
      }
    }
  }
}
