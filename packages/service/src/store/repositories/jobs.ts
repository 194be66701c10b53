import type { Clock } from "../../clock";
import type { Database } from "../db";
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

export function jobsRepository(db: Database, clock: Clock): JobsRepository {
  const now = () => clock.now();
  return {
    async get(organisationId: string, id: string): Promise<JobRecord | null> {
      const rows = await db.query("SELECT * FROM jobs WHERE organisation_id = $1 AND id = $2", [
        organisationId,
        id,
      ]);
      return rows[0] ? toJob(rows[0]) : null;
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
        return toJob(updated[0]!);
      });
    },
    /** Completes a job in one transaction with the credentials it produced; its input (personal data) is dropped. */
    async complete(id: string, result: unknown, credentials: NewCredential[]): Promise<void> {
      await db.transaction(async (tx) => {
        const rows = await tx.query("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", [id]);
        if (rows[0]?.status !== "running") return;
        await insertCredentials(tx, credentials, now(), id);
        await tx.query(
          `UPDATE jobs SET status = 'succeeded', result = $2::jsonb, input = NULL, updated_at = $3 WHERE id = $1`,
          [id, json(result), now()],
        );
      });
    },
    async fail(id: string, error: unknown): Promise<void> {
      await db.query(
        `UPDATE jobs SET status = 'failed', error = $2::jsonb, input = NULL, updated_at = $3 WHERE id = $1`,
        [id, json(error), now()],
      );
    },
  };
}
