// What every view of the organiser app gets: the texts in the chosen language, what the service offers, and
// the page's shared places (main area, notices).

import type { CredentialStanding, CredentialState, DeliveryStatus } from "@intyg/credential/status";
import type { Capabilities } from "./api";
import type { Key, Lang } from "./texts";

export type View = {
  lang: Lang;
  t(key: Key, values?: Record<string, string | number>): string;
  /** The label `key` of a value the service sent (a role, a reason…), or the value itself when there is none. */
  label(key: string, value: string): string;
  caps: Capabilities;
  /** Signed in with an admin API key: the organisation's keys and settings may be changed (the service decides). */
  admin: boolean;
  /** The main area; a view renders into it. */
  main: HTMLElement;
  /** A polite announcement (saved, queued…). */
  notice(text: string): void;
  /** An error shown (and announced) at the top of the view. */
  fail(error: unknown): void;
  go(hash: string): void;
  /** Formats a date (YYYY-MM-DD or ISO time) in the page's language, in Swedish time. */
  date(value: string | null | undefined, withTime?: boolean): string;
  number(value: number): string;
};

/** Records returned by the API, typed only as far as the app reads them. */
export type EventPart = { id: string; name: string; kind: string; date?: string };

export type EventDetails = {
  name: string;
  description?: string;
  criteria?: string;
  startDate?: string;
  endDate?: string;
  location?: string;
  parts?: EventPart[];
  hours?: number;
  credits?: number;
  learningOutcomes?: string[];
  skills?: { id?: string; name: string }[];
  assessment?: string;
};

export type EventRecord = {
  id: string;
  kind: "event" | "course";
  parentId: string | null;
  status: "registering" | "registered" | "failed";
  details: EventDetails;
  credentials?: Record<string, number>;
  counts?: {
    state?: Record<string, number>;
    standing?: Record<string, number>;
    delivery?: Record<string, number>;
  };
  createdAt: string;
};

export type Delivery = {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
};

export type CredentialItem = {
  id: string;
  eventId: string;
  /** The contract's status model; older services send only `status`. */
  state?: CredentialState;
  standing?: CredentialStanding | null;
  status?: string;
  revocation?: { reason: string; at?: string | null; revokedAt?: string | null } | null;
  supersededBy?: string | null;
  supersedes?: string | null;
  delivery?: Delivery;
  holder?: { name?: string | null; email?: string | null; reference?: string | null } | string | null;
  /** The organiser's view of the attendee (the contract names it `holder` or `attendee`; `holder` was a wallet). */
  attendee?: { name?: string | null; email?: string | null; reference?: string | null } | null;
  reference?: string | null;
  holderUrl: string | null;
  txHash?: string | null;
  anchoredAt?: string | null;
  erasedAt?: string | null;
  credential?: { credentialSubject?: Record<string, unknown> } | null;
  createdAt: string;
};

export type Page<T> = { items: T[]; nextCursor: string | null };
