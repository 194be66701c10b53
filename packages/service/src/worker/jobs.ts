// Bulk jobs (large issuances, imports): the credentials are prepared and stored in one transaction with the
// job's result; the job's input, which holds personal data, is dropped when it ends.

import { NotFoundError } from "../errors";
import { problemOf } from "../http/problem";
import { issuanceContext, prepareCredentials } from "../issuance";
import { errorText } from "../logger";
import { OperationError } from "../operations/errors";
import type { BulkJobInput, TickSummary, WorkContext } from "./types";

/** Attempts after which a job that keeps failing for another reason than its input fails for good. */
const MAX_JOB_ATTEMPTS = 5;

/** Runs the oldest queued job; false when there is none. */
async function runJob(ctx: WorkContext, summary: TickSummary): Promise<boolean> {
  const { store } = ctx.deps;
  const job = await store.jobs.claim();
  if (!job) return false;
  const input = job.input as BulkJobInput | null;
  try {
    if (!input) throw new OperationError("inconsistent", "job without input");
    const [organisation, event] = await Promise.all([
      store.organisations.get(job.organisationId),
      store.events.get(job.organisationId, input.eventId),
    ]);
    if (!organisation || !event) throw new NotFoundError("event");
    const issuance = issuanceContext(ctx.deps, organisation, event);
    const { credentials, items } = await prepareCredentials(issuance, input.attendees, {
      validUntil: input.validUntil,
      send: input.send === true,
    });
    await store.jobs.complete(job.id, { count: items.length, credentials: items }, credentials);
    summary.jobs += 1;
    ctx.log.info({ job: job.id, count: items.length }, "bulk job done");
  } catch (error) {
    // The job's input is refused (a 4xx problem): it fails at once, with the problem's code and issues;
    // anything else (the chain or database away) is tried again, up to a bound.
    const problem = problemOf(error);
    const refused = problem !== null && problem.status < 500;
    if (!refused && job.attempts < MAX_JOB_ATTEMPTS) throw error;
    await store.jobs.fail(job.id, problem ?? { status: 500, detail: "the job failed" });
    ctx.log.warn({ job: job.id, err: errorText(error) }, "bulk job failed");
  }
  return true;
}

/** Runs queued jobs until none is left; an interrupted one is retried on the next pass. */
export async function runJobs(ctx: WorkContext, summary: TickSummary): Promise<void> {
  while (!ctx.stopping()) {
    try {
      if (!(await runJob(ctx, summary))) break;
    } catch (error) {
      summary.errors += 1;
      ctx.log.warn({ err: errorText(error) }, "bulk job interrupted; will retry");
      break;
    }
  }
}
