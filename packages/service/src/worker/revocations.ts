// Revocations and supersessions of anchored credentials, each a tracked operation: done only when the record
// (or the batch leaf) in the credential's organisation's namespace shows it revoked.

import { type RevocationReason, revocationReasonCode } from "@intyg/registry";
import type { Hex } from "viem";
import { OperationError } from "../operations/errors";
import { organisationOfEvent, REVOKED_ALREADY } from "../operations/records";
import { type OperationSpec, subjectOf, trackOperation } from "../operations/track";
import type { RevocationWork } from "../store/store";
import type { TickSummary, WorkContext } from "./types";

const ZERO32 = `0x${"0".repeat(64)}` as Hex;

/** The revocation (or, with an anchored replacement, the supersession) of `work.credential`. */
export async function revocationOperation(
  work: RevocationWork,
  keyed: Awaited<ReturnType<WorkContext["keyed"]>>,
): Promise<OperationSpec> {
  const { chain } = keyed;
  const { credential, root, replacement } = work;
  const leaf = root ? credential.leaf : null;
  if (root && !leaf) throw new OperationError("inconsistent", "a batch member without a leaf");
  const anchorEventId = (credential.document as { anchor?: { eventId?: string } } | null)?.anchor?.eventId;
  const organisationId = anchorEventId
    ? organisationOfEvent(anchorEventId)
    : keyed.organisation.chainOrganisationId;
  const revokedAt = async () =>
    root && leaf
      ? (await chain.leafRevocation(organisationId, root, leaf)).revokedAt ||
        (await chain.record(organisationId, root)).revokedAt
      : (await chain.record(organisationId, credential.commitment)).revokedAt;
  const reason = revocationReasonCode((credential.revocationReason ?? "other") as RevocationReason);
  return {
    ...subjectOf(replacement ? "supersession" : "revocation", credential, { credential: credential.id }),
    noun: "the revocation on chain",
    doneAlready: REVOKED_ALREADY,
    async inspect() {
      const present = (await revokedAt()) !== 0;
      const absent = "the registry does not show the credential revoked in its organisation's namespace";
      return { present, mismatch: present ? null : absent };
    },
    send(options) {
      if (replacement) {
        const target = {
          organisationId,
          root: root ?? credential.commitment,
          leaf: leaf ?? ZERO32,
          replacement,
        };
        return chain.supersede(target, options);
      }
      if (root && leaf) return chain.revokeLeaf({ organisationId, root, leaf, reason }, options);
      return chain.revoke({ organisationId, commitment: credential.commitment, reason }, options);
    },
  };
}

async function settleRevocation(ctx: WorkContext, work: RevocationWork, summary: TickSummary) {
  // Any valid key of the organisation may revoke: its current one sends.
  const keyed = await ctx.keyed(work.credential.organisationId);
  if (keyed.own) await keyed.chain.ensureFunded();
  const outcome = await trackOperation(
    { ...ctx.deps, chain: keyed.chain },
    await revocationOperation(work, keyed),
  );
  if (outcome.status !== "done") return;
  summary.revocations += 1;
  const { credential } = work;
  ctx.log.info({ credential: credential.id, reason: credential.revocationReason }, "revocation confirmed");
}

export async function runRevocations(ctx: WorkContext, summary: TickSummary): Promise<void> {
  for (const work of await ctx.deps.store.anchoring.revocationsDue()) {
    if (ctx.stopping()) return;
    await ctx.attempt("revocation", `revoke:${work.credential.id}`, summary, () =>
      settleRevocation(ctx, work, summary),
    );
  }
}
