import type { Hex } from "viem";
import type { ChainClient } from "../chain/client";
import type { Clock } from "../clock";
import type { EmailConfig, WorkerConfig } from "../config";
import type { MailTransport } from "../delivery/email-sender";
import type { AttendeeInput } from "../issuance";
import type { KeyDirectory, OrganisationSigner } from "../keys/directory";
import type { Logger } from "../logger";
import type { Signer } from "../signer";
import type { Store } from "../store/store";
import type { Organisation } from "../store/types";
import type { Leadership } from "./leader";

export type WorkerDeps = {
  store: Store;
  /** The service's own key: signs for the organisation it is authorised for, when it has no key of its own. */
  signer: Signer;
  /** Organisations' own keys; without it, only the service's key signs. */
  keys?: KeyDirectory;
  chain: ChainClient;
  clock: Clock;
  logger: Logger;
  /** With `email`, the worker also sends the queued e-mails (on the leader, after anchoring). */
  config: { worker: WorkerConfig; publicUrl: string; verifyUrl?: string; email?: EmailConfig };
};

export type TickSummary = {
  leader: boolean;
  batchesAnchored: number;
  credentialsAnchored: number;
  singlesAnchored: number;
  revocations: number;
  jobs: number;
  /** E-mails sent in this pass. */
  emails: number;
  errors: number;
};

/** A summary with nothing counted yet. */
export const emptySummary = (leader: boolean): TickSummary => ({
  leader,
  batchesAnchored: 0,
  credentialsAnchored: 0,
  singlesAnchored: 0,
  revocations: 0,
  jobs: 0,
  emails: 0,
  errors: 0,
});

export interface Worker {
  /**
   * Wakes the loop now (after new work was stored). `ready`: the work is ready to send as it is (a batch signed at
   * issuance), so the pass does not wait out the gathering pause first.
   */
  wake(ready?: boolean): void;
  /** Runs one pass over all work (the loop calls this; tests may too, with `autoStart: false`). */
  runOnce(): Promise<TickSummary>;
  /** Resolves once a pass finds nothing left to do (or `timeoutMs` passes, then rejects). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops the loop and gives up leadership. With `abandon`, it does not wait for a pass in progress. */
  stop(options?: { abandon?: boolean }): Promise<void>;
  readonly isLeader: boolean;
  /** Who leads (this replica's role, the lock's holder): for health reports. */
  readonly leadership: Leadership;
}

export type StartWorkerOptions = {
  /** Start the loop (default true). */
  autoStart?: boolean;
  /** The advisory lock key of the leader. */
  leaderKey?: number;
  /** How e-mails leave (default: SMTP when configured, else the outbox). */
  mailTransport?: MailTransport;
  /** Send the queued e-mails (default true when the config has `email`). */
  mail?: boolean;
};

/** What a bulk job keeps until it runs (personal data: dropped when the job ends). */
export type BulkJobInput = {
  eventId: string;
  validUntil?: string;
  attendees: AttendeeInput[];
  /** E-mail each credential to its holder once anchored. */
  send?: boolean;
};

/** The kind of work an item is, in logs and for its retry schedule. */
export type WorkKind = "batch" | "single" | "revocation" | "registration";

/** What every kind of work is given: the worker's dependencies and its per-item retry schedule. */
export type WorkContext = {
  deps: WorkerDeps;
  log: Logger;
  config: WorkerConfig;
  stopping(): boolean;
  /** Whether this replica still leads (before every unit of work; a lock lost mid-pass is not retaken). */
  stillLeader(): Promise<boolean>;
  /** Runs `fn` for item `id` if it is due; a failure is logged and scheduled for a retry with backoff. */
  attempt(kind: WorkKind, id: string, summary: TickSummary, fn: () => Promise<void>): Promise<boolean>;
  /**
   * An organisation with its signer and the chain client that sends for it (keys/directory.ts); with
   * `address`, that key of the organisation (the one that signed what is to be sent).
   */
  /** The organisation (remembered for the worker's life). */
  organisation(organisationId: string): Promise<Organisation>;
  keyed(
    organisationId: string,
    address?: Hex | null,
  ): Promise<OrganisationSigner & { organisation: Organisation }>;
};
