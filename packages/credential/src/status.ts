// The one status model of an issued credential, as the issuer service reports it and the CLI and the organiser
// app show it. Two questions, answered separately:
// - state: what became of the document (waiting to be anchored, anchored, failed, cancelled before it was
//   anchored, or its personal data erased);
// - standing: whether the credential counts (valid, revoked, superseded by a corrected one, expired), known
//   once it is anchored or was cancelled by a revocation or supersession; null while that is not known.
// And, separately, the e-mail delivery of the credential to its holder.

import { z } from "zod";

export const CREDENTIAL_STATES = ["pending", "anchored", "failed", "cancelled", "erased"] as const;
export const credentialStateSchema = z.enum(CREDENTIAL_STATES);
export type CredentialState = z.infer<typeof credentialStateSchema>;

export const CREDENTIAL_STANDINGS = ["valid", "revoked", "superseded", "expired"] as const;
export const credentialStandingSchema = z.enum(CREDENTIAL_STANDINGS);
export type CredentialStanding = z.infer<typeof credentialStandingSchema>;

/** `none`: no e-mail was asked for; then the latest e-mail's status. */
export const DELIVERY_STATUSES = ["none", "queued", "sending", "sent", "failed"] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;
