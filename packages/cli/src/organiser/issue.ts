// Bulk issuance from an attendee file: check every row, then one bulk request with an Idempotency-Key derived
// from the event and the file's content (so that running the same file again never issues twice), then the
// job polled to its end, and optionally the anchoring waited for.

import { createHash } from "node:crypto";
import {
  type Attendee,
  type AttendeeRow,
  formatRowErrors,
  type Lang,
  parseExpiry,
  readAttendees,
} from "@intyg/credential";
import { CliError, EXIT } from "../errors";
import type { CliIo } from "../io";
import { t } from "../texts";
import type { BulkResult, EventResource, Job, ServiceClient } from "./api";
import { progressBar } from "./progress";

export type IssueOptions = {
  eventId: string;
  /** The attendee file's bytes. */
  csv: Uint8Array;
  idempotencyKey?: string;
  /** Default expiry for every attendee, `YYYY-MM-DD` or a UTC date-time. */
  validUntil?: string;
  dryRun?: boolean;
  /** Leave out columns whose header names no field (otherwise the file is refused). */
  ignoreColumns?: boolean;
  /** Wait until the service has anchored the event's credentials on chain. */
  waitAnchored?: boolean;
  lang: Lang;
  /** No progress bars. */
  quiet?: boolean;
  pollIntervalMs?: number;
  timeoutMs?: number;
};

export type IssueOutcome = {
  event: EventResource;
  rows: AttendeeRow[];
  idempotencyKey: string;
  dryRun: boolean;
  /** The service had seen this key and this request before: nothing new was issued. */
  replayed: boolean;
  job?: Job;
  result?: BulkResult;
  /** Milliseconds: the bulk request until its answer, the job after it, both, and the anchoring when waited for. */
  timings: { requestMs?: number; jobMs?: number; issueMs?: number; anchorMs?: number };
};

/** `intyg-csv-<hash>`: the event and the request body derived from the file, so re-runs reuse the key. */
export function defaultIdempotencyKey(eventId: string, body: { attendees: Attendee[]; validUntil?: string }) {
  const hash = createHash("sha256")
    .update(JSON.stringify({ eventId, ...body }))
    .digest("hex");
  return `intyg-csv-${hash.slice(0, 40)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a bulk job until it has succeeded (its result) or failed (exit 1), with a progress bar. */
export async function pollJob(
  client: ServiceClient,
  io: CliIo,
  job: Job,
  options: { lang: Lang; quiet?: boolean; pollIntervalMs?: number; timeoutMs?: number },
): Promise<BulkResult> {
  const { lang } = options;
  const label = (status: Job["status"]) =>
    ({
      queued: t(lang, "job.queued"),
      running: t(lang, "job.issuing"),
      succeeded: t(lang, "job.issued"),
      failed: t(lang, "job.failed"),
    })[status];
  const bar = progressBar(io, label(job.status), undefined, { quiet: options.quiet ?? false });
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let current = job;
  let wait = options.pollIntervalMs ?? 200;
  while (current.status === "queued" || current.status === "running") {
    if (Date.now() > deadline) {
      bar.finish();
      throw new CliError(t(lang, "job.timed-out", { id: job.id }), EXIT.failure);
    }
    await sleep(wait);
    wait = Math.min(1000, Math.round(wait * 1.3));
    current = await client.job(job.id);
    bar.update(0, undefined, label(current.status));
  }
  if (current.status === "failed" || !current.result) {
    bar.finish(label("failed"));
    const error = current.error ?? {};
    const detail = typeof error.detail === "string" ? error.detail : JSON.stringify(error);
    const issues = Array.isArray(error.errors)
      ? (error.errors as { path?: string; message?: string }[])
          .slice(0, 20)
          .map((issue) => `\n  ${issue.path ?? ""}: ${issue.message ?? ""}`)
          .join("")
      : "";
    const status = typeof error.status === "number" ? error.status : 500;
    // A job the service refused for its content (4xx) is an input problem; anything else a failure.
    throw new CliError(
      t(lang, "job.failed-because", { detail, issues }),
      status >= 400 && status < 500 ? EXIT.usage : EXIT.failure,
    );
  }
  bar.update(current.result.count, current.result.count, label("succeeded"));
  bar.finish();
  return current.result;
}

/** Waits until none of the event's credentials is pending or being sent, with a progress bar of anchored ones. */
export async function waitForAnchoring(
  client: ServiceClient,
  io: CliIo,
  eventId: string,
  options: { lang: Lang; quiet?: boolean; pollIntervalMs?: number; timeoutMs?: number },
): Promise<Record<string, number>> {
  const { lang } = options;
  const bar = progressBar(io, t(lang, "job.anchoring-on-chain"), undefined, {
    quiet: options.quiet ?? false,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const counts = (await client.event(eventId)).credentials ?? {};
    const open = (counts.pending ?? 0) + (counts.sending ?? 0);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    bar.update(total - open, total);
    if (open === 0) {
      bar.finish();
      return counts;
    }
    if (Date.now() > deadline) {
      bar.finish();
      throw new CliError(t(lang, "job.not-anchored-in-time"), EXIT.failure);
    }
    await sleep(options.pollIntervalMs ?? 250);
  }
}

/** Checks the file against the event, and (unless a dry run) issues it. */
export async function issueFromCsv(
  client: ServiceClient,
  io: CliIo,
  options: IssueOptions,
): Promise<IssueOutcome> {
  const { lang } = options;
  let validUntil: string | undefined;
  if (options.validUntil !== undefined) {
    validUntil = parseExpiry(options.validUntil);
    if (!validUntil) throw new CliError(t(lang, "usage.valid-until"));
    if (Date.parse(validUntil) <= Date.now()) throw new CliError(t(lang, "usage.valid-until-past"));
  }
  const event = await client.event(options.eventId);
  const list = readAttendees(
    options.csv,
    {
      kind: event.kind,
      parts: (event.details.parts ?? []).map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    },
    { lang, ...(options.ignoreColumns ? { ignoreUnknown: true } : {}) },
  );
  for (const note of list.notes) io.stderr(`${note}\n`);
  if (list.errors.length > 0) {
    const count = new Set(list.errors.map((e) => e.line)).size;
    throw new CliError(
      `${formatRowErrors(list.errors, lang)}\n${t(lang, "job.lines-with-errors", { count })}`,
      EXIT.usage,
    );
  }
  if (event.status !== "registered") {
    throw new CliError(t(lang, "job.event-not-registered", { status: event.status }), EXIT.usage);
  }
  const body = { attendees: list.rows.map((r) => r.attendee), ...(validUntil ? { validUntil } : {}) };
  const idempotencyKey = options.idempotencyKey ?? defaultIdempotencyKey(event.id, body);
  const outcome: IssueOutcome = {
    event,
    rows: list.rows,
    idempotencyKey,
    dryRun: options.dryRun === true,
    replayed: false,
    timings: {},
  };
  if (options.dryRun) return outcome;

  const started = Date.now();
  const sent = await client.issueBulk(event.id, body, idempotencyKey);
  outcome.replayed = sent.replayed;
  outcome.timings.requestMs = Date.now() - started;
  if (sent.job) {
    outcome.job = sent.job;
    outcome.result = await pollJob(client, io, sent.job, {
      lang,
      ...(options.quiet ? { quiet: true } : {}),
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    outcome.timings.jobMs = Date.now() - started - outcome.timings.requestMs;
  } else {
    outcome.result = sent.result!;
  }
  outcome.timings.issueMs = Date.now() - started;
  if (options.waitAnchored) {
    const anchoring = Date.now();
    await waitForAnchoring(client, io, event.id, {
      lang,
      ...(options.quiet ? { quiet: true } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    outcome.timings.anchorMs = Date.now() - anchoring;
  }
  return outcome;
}
