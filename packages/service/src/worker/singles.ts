// Single credentials (for a holder's wallet): the signed issue request made at issuance is relayed
// (issueSigned) as a tracked operation. An expired request (a long outage) is signed again first; the
// commitment, and so the credential, is unchanged.

import {
  type IssueRequestMessage,
  issueRequestFromMessage,
  type UnsignedCredential,
} from "@intyg/credential";
import type { Hex } from "viem";
import { unixSeconds } from "../clock";
import { signSingle } from "../format";
import { OperationRefusedError } from "../operations/errors";
import { ANCHORED_ALREADY, organisationOfEvent, recordInspection } from "../operations/records";
import { type OperationSpec, subjectOf, trackOperation } from "../operations/track";
import type { Signer } from "../signer";
import type { CredentialRecord } from "../store/types";
import type { TickSummary, WorkContext } from "./types";

type Keyed = Awaited<ReturnType<WorkContext["keyed"]>>;

type SignedDocument = { proof?: { eip712?: { message?: IssueRequestMessage } }[] } | null;

/** The relay of `credential`: done when its record says the event and validity it was signed with. */
export async function singleOperation(
  ctx: WorkContext,
  credential: CredentialRecord,
  keyed: Keyed,
): Promise<OperationSpec> {
  const { chain } = keyed;
  let signature = credential.issueSignature;
  let message = (credential.document as SignedDocument)?.proof?.[0]?.eip712?.message;
  const organisationId = message
    ? organisationOfEvent(message.eventId)
    : keyed.organisation.chainOrganisationId;
  return {
    ...subjectOf("single", credential, { credential: credential.id }),
    noun: "the credential's on-chain record",
    doneAlready: ANCHORED_ALREADY,
    inspect: async () =>
      recordInspection(
        await chain.record(organisationId, credential.commitment),
        message
          ? { eventId: BigInt(message.eventId), batchSize: 0, validUntil: Number(message.validUntil) }
          : null,
      ),
    async send(options) {
      if (!message || !signature || (credential.issueDeadline ?? 0) <= unixSeconds(ctx.deps.clock) + 60) {
        ({ message, signature } = await signAgain(ctx, credential, keyed.signer));
      }
      return chain.issueSigned({ request: issueRequestFromMessage(message), signature }, options);
    },
  };
}

/** A new signed request for an expired one, stored (with the proof it changes) before it is relayed. */
async function signAgain(ctx: WorkContext, credential: CredentialRecord, signer: Signer) {
  const { store, clock } = ctx.deps;
  if (!credential.document) throw new OperationRefusedError("erased before it could be anchored");
  const deadline = unixSeconds(clock) + ctx.config.requestTtlSeconds;
  const resigned = await signSingle(credential.document as unknown as UnsignedCredential, {
    signer,
    deadline,
    holder: credential.holderAddress,
    created: clock.now(),
  });
  const signature = resigned.proof[0].proofValue as Hex;
  await store.anchoring.updateSingleProof(
    credential.id,
    resigned as unknown as Record<string, unknown>,
    signature,
    deadline,
  );
  return { message: resigned.proof[0].eip712.message, signature };
}

async function settleSingle(ctx: WorkContext, credential: CredentialRecord, summary: TickSummary) {
  // Relayed: any relayer sends it, but a request signed again is signed by the key that signed it first.
  const keyed = await ctx.keyed(credential.organisationId, credential.signingKey);
  // The organisation's own relayer sends it, kept topped up like for its batches.
  if (keyed.own) await keyed.chain.ensureFunded();
  const outcome = await trackOperation(
    { ...ctx.deps, chain: keyed.chain },
    await singleOperation(ctx, credential, keyed),
  );
  if (outcome.status !== "done") return;
  summary.singlesAnchored += 1;
  ctx.log.info({ credential: credential.id, txHash: outcome.txHash }, "credential anchored");
}

/** The organisation's singles in flight first (reconciled, then sent), then up to a hundred new ones. */
export async function runSingles(ctx: WorkContext, summary: TickSummary, organisationId: string) {
  const { anchoring } = ctx.deps.store;
  for (const credential of await anchoring.singlesInFlight(100, organisationId)) {
    if (ctx.stopping()) return;
    await ctx.attempt("single", credential.id, summary, () => settleSingle(ctx, credential, summary));
  }
  for (let i = 0; i < 100 && !ctx.stopping() && (await ctx.stillLeader()); i++) {
    const credential = await anchoring.claimSingle(organisationId);
    if (!credential) break;
    if (!(await ctx.attempt("single", credential.id, summary, () => settleSingle(ctx, credential, summary))))
      break;
  }
}
