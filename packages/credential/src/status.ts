// The one status model of an issued credential, as the issuer service reports it and the CLI and the organiser
// app show it. Two questions, answered separately:
// - state: what became of the document (waiting to be anchored, anchored, failed, cancelled before it was
//   anchored, or its personal data erased);
// - standing: whether the credential counts (valid, revoked, superseded by a corrected one, expired), known
//   once it is anchored or was cancelled by a revocation or supersession; null while that is not known.
// And, separately, the e-mail delivery of the credential to its holder.
// Without dependencies (`@intyg/credential/status`), so that a page can take the model without the format's code.

export const CREDENTIAL_STATES = ["pending", "anchored", "failed", "cancelled", "erased"] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

export const CREDENTIAL_STANDINGS = ["valid", "revoked", "superseded", "expired"] as const;
export type CredentialStanding = (typeof CREDENTIAL_STANDINGS)[number];

/** `none`: no e-mail was asked for; then the latest e-mail's status. */
export const DELIVERY_STATUSES = ["none", "queued", "sending", "sent", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
