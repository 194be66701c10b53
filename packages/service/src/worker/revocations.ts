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
  // The registry lets the key that anchored a credential, or the organisation's admin, revoke it: the admin
  // key when the service holds it (so credentials of a retired or compromised key can be revoked), else the
  // current key.
  const organisation = await ctx.organisation(work.credential.organisationId);
  const admin = ctx.deps.keys
    ? await ctx.deps.keys.admin(organisation, { signer: ctx.deps.signer, chain: ctx.deps.chain })
    : null;
  const keyed = admin ? { ...admin, organisation } : await ctx.keyed(work.credential.organisationId);
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

export async function runRevocations(ctx: WorkContext, summary: TickSummary, organisationId: string) {
  for (const work of await ctx.deps.store.anchoring.revocationsDue(50, organisationId)) {
    if (ctx.stopping()) return;
    await ctx.attempt("revocation", `revoke:${work.credential.id}`, summary, () =>
      settleRevocation(ctx, work, summary),
    );
  }
}
