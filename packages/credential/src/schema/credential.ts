// The whole credential: a W3C Verifiable Credential 2.0 and Open Badges 3.0 `OpenBadgeCredential`.

import { z } from "zod";
import { CREDENTIAL_CONTEXT, CREDENTIAL_TYPE, MAX_VALID_UNTIL_SECONDS } from "../constants";
import { isIsoDateTime, isoToUnixSeconds } from "../time";
import { anchorSchema } from "./anchor";
import { commitmentSchema, commitmentSkeletonSchema } from "./commitment";
import { issuerProfileSchema } from "./issuer";
import { dateTimeSchema, textSchema, uuidUrnSchema } from "./primitives";
import { proofSetSchema } from "./proof";
import { subjectSchema, subjectSkeletonSchema } from "./subject";

const bodyShape = {
  "@context": z.tuple([
    z.literal(CREDENTIAL_CONTEXT[0]),
    z.literal(CREDENTIAL_CONTEXT[1]),
    z.literal(CREDENTIAL_CONTEXT[2]),
  ]),
  id: uuidUrnSchema,
  type: z.tuple([z.literal(CREDENTIAL_TYPE[0]), z.literal(CREDENTIAL_TYPE[1])]),
  name: textSchema(300),
  /** VC 2.0's description of the credential itself (the achievement has its own). */
  description: textSchema(5000).optional(),
  issuer: issuerProfileSchema,
  validFrom: dateTimeSchema,
  validUntil: dateTimeSchema.optional(),
  credentialSubject: subjectSchema,
};

/** What the validity refinement finds wrong: the issues' messages, all at `validUntil` (none when valid). */
export function validityProblems(doc: { validFrom: string; validUntil?: string | undefined }): string[] {
  // Refinements also run when a property's format check failed: compare only well-formed dates.
  if (doc.validUntil === undefined || !isIsoDateTime(doc.validUntil) || !isIsoDateTime(doc.validFrom))
    return [];
  const problems: string[] = [];
  const until = isoToUnixSeconds(doc.validUntil);
  if (until <= isoToUnixSeconds(doc.validFrom)) problems.push("Not after validFrom");
  if (until > MAX_VALID_UNTIL_SECONDS) problems.push("Beyond the registry's range");
  return problems;
}

function checkValidity(
  doc: { validFrom: string; validUntil?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  for (const message of validityProblems(doc))
    ctx.addIssue({ code: "custom", path: ["validUntil"], message });
}

/** The claims of a credential, before the commitment is computed. */
export const credentialBodySchema = z.strictObject(bodyShape).superRefine(checkValidity);
export type CredentialBody = z.infer<typeof credentialBodySchema>;

/** A credential with its commitment, not yet signed or anchored. */
export const unsignedCredentialSchema = z
  .strictObject({ ...bodyShape, commitment: commitmentSchema })
  .superRefine(checkValidity);
export type UnsignedCredential = z.infer<typeof unsignedCredentialSchema>;

/** A signed and anchored credential, or a disclosed copy of one. */
export const credentialSchema = z
  .strictObject({ ...bodyShape, commitment: commitmentSchema, proof: proofSetSchema, anchor: anchorSchema })
  .superRefine(checkValidity);
export type Credential = z.infer<typeof credentialSchema>;

/**
 * {@link credentialSchema} with the sections a batch's credentials share (issuer, achievement and proof) taken as
 * already checked by the caller with their own schemas, and the commitment's claims checked by a plain function
 * no more lenient than the zod record: see `checkCredentialJson`. Never use it alone.
 */
export const credentialSkeletonSchema = z
  .strictObject({
    ...bodyShape,
    issuer: z.custom<z.infer<typeof issuerProfileSchema>>(() => true),
    credentialSubject: subjectSkeletonSchema,
    commitment: commitmentSkeletonSchema,
    proof: z.custom<z.infer<typeof proofSetSchema>>(() => true),
    anchor: anchorSchema,
  })
  .superRefine(checkValidity);
