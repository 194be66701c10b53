// The shapes of a verification report. Everything in a report is plain JSON (no bigint, no Date) so that
// the CLI can print it with --json and the service can return it as is.

import type { Lang } from "@intyg/credential";
import type { CredentialDescription } from "./describe";

/** The languages of the report's messages (Intyg's one `Lang`). */
export type { Lang };

/** The checks of a report, in the order they run. `holder` is only evaluated for presentations. */
export const CHECK_IDS = [
  "format",
  "integrity",
  "signature",
  "issuer",
  "anchor",
  "revocation",
  "validity",
  "holder",
  "event",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = "passed" | "failed" | "skipped";

/** One check of a report: what was checked, how it went, and a plain-language message. */
export type Check = {
  id: CheckId;
  status: CheckStatus;
  /** A plain-language sentence in the report's language. */
  message: string;
  /** A stable machine-readable reason, e.g. `revoked`, `wrong-chain`, `depends-on-failed-check`. */
  code: string;
  /** For experts: exactly what failed (a schema path, an integrity reason), kept out of `message`. */
  detail?: string;
};

/** Where the registry state of a report came from. */
export type ChainSummary = {
  source: "rpc" | "snapshot";
  chainId: number;
  registry: `0x${string}`;
  /** Whether the registry was the one the verifier trusts (`options`) or the one the credential names. */
  registrySource: "options" | "credential";
  /** The block the registry was read at (decimal). */
  blockNumber: string;
  /** The time of that block (ISO 8601 UTC). */
  blockTime: string;
  /** Set when the report was made from a recorded snapshot. */
  snapshot?: {
    blockNumber: string;
    blockTime: string;
    /** Seconds between the snapshot's block and the verification time. */
    ageSeconds: number;
  };
  /** For a snapshot: a sentence saying the verification was offline, on which block and how old it is. */
  note?: string;
};

/**
 * Who chose the registry (and chain) a verdict trusts: a command-line flag, the environment, a configuration
 * file the user named, the server that serves the page, the calling application, the credential itself (never
 * trusted for accreditation), or nothing.
 */
export type TrustSource =
  | "flag"
  | "environment"
  | "config-file"
  | "server"
  | "caller"
  | "credential"
  | "none";

/** Where a verdict's trust anchor came from, and what it pinned. Every report has one. */
export type TrustAnchor = {
  source: TrustSource;
  /** A short description of the source, e.g. the configuration file's path. */
  detail?: string;
  /** The registry the verifier trusts (absent when none was configured). */
  registry?: `0x${string}`;
  /** The chain id the verifier pinned: the node (or snapshot) must be on this chain. */
  chainId?: number;
  /** The organisation the credential names as its issuer, as checked in that registry. */
  organisationId?: number;
  /** A plain-language sentence saying all of the above. */
  message: string;
};

/** What the chain says about a credential's record, once the credential is known to be the one anchored. */
export type RecordStatus = {
  /** When the credential (or its batch) was anchored (ISO 8601 UTC). */
  anchoredAt?: string;
  /** When the credential was revoked, from the chain. */
  revokedAt?: string;
  revocationReason?: string;
  /** The commitment of the credential that replaced this one. */
  supersededBy?: `0x${string}`;
};

/** A disclosed claim of the credential subject, as shown to a verifier. */
export type DisclosedClaim = { path: string; value: unknown };

/** What a report proved about the credential (filled in as far as the credential could be read). */
export type CredentialSummary = {
  credentialId?: string;
  kind?: "attendance" | "training";
  issuer?: { id?: string; name?: string; organisationNumber?: string; url?: string; organisationId?: number };
  achievement?: { id?: string; name?: string; eventId?: string };
  /** The disclosed claims about the subject (hidden claims are not listed). */
  subject?: DisclosedClaim[];
  /** How many subject claims were hidden by the holder. */
  hiddenClaims?: number;
  validFrom?: string;
  validUntil?: string;
  /** The address that signed the credential. */
  signer?: `0x${string}`;
  /** The signing key and the window in which the registry lets it sign for the issuer (ISO 8601 UTC). */
  signingKey?: { address: `0x${string}`; validFrom: string; validUntil?: string };
  /** When the credential (or its batch) was anchored, from the chain (ISO 8601 UTC). */
  anchoredAt?: string;
  /** The anchored batch root, for a credential issued in a batch. */
  batch?: { root: `0x${string}`; size: number };
  /** When the credential was revoked, from the chain. */
  revokedAt?: string;
  revocationReason?: string;
  /** The commitment of the credential that replaced this one. */
  supersededBy?: `0x${string}`;
};

/** The report of verifying one credential or one presentation. */
export type VerificationReport = {
  /** True only when every check that applies passed. */
  verified: boolean;
  kind: "credential" | "presentation";
  lang: Lang;
  /** The ordered checks. */
  checks: Check[];
  /** A one-sentence verdict in the report's language. */
  verdict: string;
  /**
   * What was proved: present only when `verified` is true. A credential that fails any check proves nothing
   * about its claims, so none are reported.
   */
  credential?: CredentialSummary;
  /** The verified credential in words (a sentence, then labelled claims): present only when `verified`. */
  description?: CredentialDescription;
  /**
   * The record's state on chain (anchoring, revocation, supersession), present when the integrity, signature
   * and anchor checks passed, even if the credential is not verified (e.g. revoked).
   */
  status?: RecordStatus;
  /** Where the trust anchor came from: which registry, chain and organisation were checked, and who chose them. */
  trust: TrustAnchor;
  /** The chain and block the verification read, when it got that far. */
  chain?: ChainSummary;
  /** For presentations: the holder's address when the presentation's signature could be read. */
  holder?: `0x${string}`;
  /**
   * For a presentation of no credential or of several: one report per credential, in order, each with its
   * own holder check (a presentation of one credential is reported as that credential, without this list).
   */
  credentials?: VerificationReport[];
  /** The time the verification was made against (ISO 8601 UTC). */
  verifiedAt: string;
};
