// The one status model (state, standing, delivery; see @intyg/credential's status module) derived from a
// stored credential. The same rules exist twice: in TypeScript for one record, and in SQL for filters and
// counts over many; a test checks that the two agree for every kind of credential.

import type { CredentialStanding, CredentialState, DeliveryStatus } from "@intyg/credential";
import type { CredentialRecord } from "./store/types";

/** What became of the document. Erasure wins: an erased credential shows no data whatever else it is. */
export function credentialState(record: CredentialRecord): CredentialState {
  if (record.erasedAt) return "erased";
  switch (record.status) {
    case "pending":
    case "sending":
      return "pending";
    case "anchored":
      return "anchored";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
  }
}

/**
 * Whether the credential counts. Known once it is anchored, or once a revocation or supersession cancelled it
 * before it was; null otherwise. A revocation counts from the moment it is asked for (the chain confirms it
 * shortly); one the chain refused leaves the credential valid, as it is.
 */
export function credentialStanding(record: CredentialRecord, nowSeconds: number): CredentialStanding | null {
  const revoked = record.revocationStatus === "requested" || record.revocationStatus === "confirmed";
  if (record.status === "cancelled") {
    if (record.supersededBy) return "superseded";
    return revoked ? "revoked" : null;
  }
  if (record.status !== "anchored") return null;
  if (record.supersededBy) return "superseded";
  if (revoked) return "revoked";
  if (record.validUntil > 0 && record.validUntil <= nowSeconds) return "expired";
  return "valid";
}

/** The state as SQL over `credentials` aliased `c`. */
export const STATE_SQL = `(CASE WHEN c.erased_at IS NOT NULL THEN 'erased'
  WHEN c.status IN ('pending', 'sending') THEN 'pending' ELSE c.status END)`;

/** The standing as SQL over `credentials` aliased `c`; `now` is a bigint parameter (unix seconds). */
export function standingSql(now: string): string {
  return `(CASE
    WHEN c.status = 'cancelled' AND c.superseded_by IS NOT NULL THEN 'superseded'
    WHEN c.status = 'cancelled' AND c.revocation_status IN ('requested', 'confirmed') THEN 'revoked'
    WHEN c.status <> 'anchored' THEN NULL
    WHEN c.superseded_by IS NOT NULL THEN 'superseded'
    WHEN c.revocation_status IN ('requested', 'confirmed') THEN 'revoked'
    WHEN c.valid_until > 0 AND c.valid_until <= ${now} THEN 'expired'
    ELSE 'valid' END)`;
}

/** The delivery as SQL over the latest delivery aliased `d` (absent: none). */
export const DELIVERY_SQL = "COALESCE(d.status, 'none')";

/** The e-mail delivery of a credential as the API shows it. */
export type DeliverySummary = {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
};

export const NO_DELIVERY: DeliverySummary = { status: "none", attempts: 0, lastError: null, sentAt: null };
