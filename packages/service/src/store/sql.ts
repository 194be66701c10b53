// What the repositories share: JSON parameters, page cursors, and the reads of rows that show their chain
// operation (an event's registration, a batch's anchoring, a credential's anchoring and revocation).

import { BadRequestError } from "../errors";
import { operationColumns } from "./repositories/operations";

export function encodeCursor(value: string | number): string {
  return Buffer.from(String(value), "utf8").toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The value of a cursor, checked against `pattern`; anything else is a 400, never a database error. */
export function decodeCursor(
  cursor: string | null | undefined,
  valid: (value: string) => boolean,
): string | null {
  if (!cursor) return null;
  const value = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  if (!valid(value)) throw new BadRequestError("Invalid cursor: use nextCursor from the previous page");
  return value;
}

export const isSeqCursor = (value: string) => /^\d{1,18}$/.test(value);
/** `Date.parse` accepts far more than PostgreSQL does ("1", "2020-01-01 GMT+0300"): only what we emit passes. */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const isEventCursor = (value: string) => {
  const [at, id, ...rest] = value.split("|");
  return (
    rest.length === 0 &&
    !!at &&
    !!id &&
    ISO_INSTANT.test(at) &&
    !Number.isNaN(Date.parse(at)) &&
    new Date(at).toISOString() === at &&
    UUID.test(id)
  );
};

export const json = (value: unknown): string => JSON.stringify(value);

/**
 * Lets the event loop take in what arrived, between the statements of a long transaction. The embedded database
 * runs each statement on this thread and resolves it without a turn of the loop, so a transaction of many large
 * statements would otherwise leave every request, `/healthz` included, unanswered until it ends.
 */
export const betweenStatements = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const EVENT_SELECT = `SELECT e.*, ${operationColumns("o", "op")} FROM events e
  LEFT JOIN chain_operations o ON o.subject_id = e.id AND o.kind = 'event-registration'`;

export const BATCH_SELECT = `SELECT b.*, ${operationColumns("o", "op")} FROM batches b
  LEFT JOIN chain_operations o ON o.subject_id = b.id AND o.kind = 'batch'`;

/** A credential's own operations: its anchoring when single, its revocation or supersession. */
export const CREDENTIAL_OPERATIONS = `
  LEFT JOIN chain_operations io ON io.subject_id = c.id AND io.kind = 'single'
  LEFT JOIN chain_operations ro ON ro.subject_id = c.id AND ro.kind IN ('revocation', 'supersession')`;

export const CREDENTIAL_COLUMNS = `c.*, ${operationColumns("io", "io")}, ${operationColumns("ro", "ro")}`;

export const CREDENTIAL_SELECT = `SELECT ${CREDENTIAL_COLUMNS} FROM credentials c ${CREDENTIAL_OPERATIONS}`;
