import type { Clock } from "../../clock";
import type { Database } from "../db";
import { jobSubject, openJsonIfKeyed, type Personal, rekeySealed } from "../personal";
import { toJob } from "../rows";
import { json } from "../sql";
import type { JobRecord } from "../types";
import { insertCredentials, type NewCredential } from "./credential-rows";

export interface JobsRepository {
  get(organisationId: string, id: string): Promise<JobRecord | null>;
  /** Takes the oldest queued job (or one left running by a crashed leader). */
  claim(): Promise<JobRecord | null>;
  /** Completes a job in one transaction with the credentials it produced; its input (personal data) is dropped. */
  complete(id: string, result: unknown, credentials: NewCredential[]): Promise<void>;
  fail(id: string, error: unknown): Promise<void>;
}

/** A job with its input and result decrypted (a destroyed key leaves them null). */
export async function revealJob(personal: Personal, row: Record<string, unknown>): Promise<JobRecord> {
  const job = toJob(row);
  if (typeof row.input_enc !== "string" && typeof row.result_enc !== "string") return job;
  const subject = jobSubject(job.id);
  const key = (await personal.vault.open([subject])).get(subject);
  if (typeof row.input_enc === "string")
    job.input = openJsonIfKeyed(key, row.input_enc, `${subject}|input`) ?? null;
  if (typeof row.result_enc === "string")
    job.result = openJsonIfKeyed(key, row.result_enc, `${subject}|result`) ?? null;
  return job;
}

/** A job's result encrypted under a new data key: the old key, which also opened its input, is destroyed. */
export const rekeyJobResult = (personal: Personal, id: string, result: unknown): Promise<string> =>
  rekeySealed(personal, jobSubject(id), result, `${jobSubject(id)}|result`);

export function jobsRepository(db: Database, clock: Clock, personal: Personal): JobsRepository {
  const now = () => clock.now();
  return {
    async get(organisationId: string, id: string): Promise<JobRecord | null> {
      const rows = await db.query("SELECT * FROM jobs WHERE organisation_id = $1 AND id = $2", [
        organisationId,
        id,
      ]);
      return rows[0] ? revealJob(personal, rows[0]) : null;
    },
    /** Takes the oldest queued job (or one left running by a crashed leader). */
    async claim(): Promise<JobRecord | null> {
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, id
            LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!rows[0]) return null;
        const updated = await tx.query(
          `UPDATE jobs SET status = 'running', attempts = attempts + 1, updated_at = $2 WHERE id = $1 RETURNING *`,
          [rows[0].id, now()],
        );
        return revealJob(personal, updated[0]!);
      });
    },
    /** Completes a job in one transaction with the credentials it produced; its input (personal data) is dropped. */
    async complete(id: string, result: unknown, credentials: NewCredential[]): Promise<void> {
      await db.transaction(async (tx) => {
        const rows = await tx.query("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", [id]);
        if (rows[0]?.status !== "running") return;
        await insertCredentials(tx, personal, credentials, now(), id);
        // The result names the attendees' references: encrypted under a new key, the input's key destroyed.
        await tx.query(
          `UPDATE jobs SET status = 'succeeded', result_enc = $2, result = NULL, input = NULL, input_enc = NULL,
                  updated_at = $3 WHERE id = $1`,
          [id, await rekeyJobResult(personal, id, result), now()],
        );
      });
    },
    async fail(id: string, error: unknown): Promise<void> {
      await db.query(
        `UPDATE jobs SET status = 'failed', error = $2::jsonb, input = NULL, input_enc = NULL, updated_at = $3
          WHERE id = $1`,
        [id, json(error), now()],
      );
      await personal.vault.destroy([jobSubject(id)]);
    },
  };
}
