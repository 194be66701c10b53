// One status model in words: a credential's document state (pending, anchored, failed, erased) and standing
// (valid, revoked, superseded, expired), read from the contract's fields, or from the older `status` and
// `revocation` where a service does not send them yet.

import type { CredentialStanding, CredentialState } from "@intyg/credential/status";
import type { CredentialItem } from "./context";
import type { Key } from "./texts";

export type Person = { name: string | null; email: string | null; reference: string | null };

/** The attendee as the organiser knows them. */
export function personOf(item: CredentialItem): Person {
  const view = (item.holder && typeof item.holder === "object" ? item.holder : null) ?? item.attendee ?? null;
  const subject = item.credential?.credentialSubject ?? {};
  const text = (value: unknown) => (typeof value === "string" && value ? value : null);
  return {
    name: text(view?.name) ?? text(subject.name),
    email: text(view?.email) ?? text(subject.email),
    reference: text(view?.reference) ?? text(item.reference),
  };
}

export type State = CredentialState;
export type Standing = CredentialStanding | null;

export function stateOf(item: CredentialItem): State {
  if (item.state) return item.state;
  if (item.erasedAt) return "erased";
  if (item.status === "anchored") return "anchored";
  if (item.status === "cancelled") return "cancelled";
  if (item.status === "failed") return "failed";
  return "pending";
}

export function standingOf(item: CredentialItem): Standing {
  if (item.standing !== undefined) return item.standing;
  if (stateOf(item) !== "anchored") return null;
  if (item.supersededBy) return "superseded";
  if (item.revocation) return "revoked";
  return "valid";
}

/** The one key that tells an organiser where a credential stands. */
export function statusKey(item: CredentialItem): Key {
  const state = stateOf(item);
  const standing = standingOf(item);
  if (state === "erased" || !standing) return `state.${state}`;
  return `standing.${standing}`;
}

/** A CSS class for the status badge. */
export function statusTone(item: CredentialItem): "ok" | "bad" | "wait" | "off" {
  const key = statusKey(item);
  if (key === "standing.valid") return "ok";
  if (key === "state.pending") return "wait";
  if (key === "state.failed" || key === "standing.revoked") return "bad";
  return "off";
}

export function deliveryKey(item: CredentialItem): Key {
  return `delivery.${item.delivery?.status ?? "none"}`;
}
