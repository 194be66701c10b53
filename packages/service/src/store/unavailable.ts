// Telling "the database is unreachable" apart from every other error: a lost or refused connection is an
// outage (503, retried later), not a bug (500). The cause is reduced to a code (never a message that might
// carry a connection string or a query's values).

/** The database could not be reached, or the connection was lost before the work was done. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(
    /** A short, loggable cause: an errno or SQLSTATE code and its meaning. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the database is unavailable (${reason})`, options);
  }
}

/** Socket errors of a connection that never came or went away. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATEs of a server that is going away, starting or full (class 08 is every connection exception). */
const SERVER_CODES: Record<string, string> = {
  "57P01": "the server ended the session (admin shutdown or pg_terminate_backend)",
  "57P02": "the server crashed",
  "57P03": "the server is starting up or shutting down",
  "53300": "too many connections",
};

/** node-postgres' own messages for a connection that ended or could not be made in time. */
const CLIENT_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated/, "connection terminated"],
  [/not queryable/, "connection lost"],
  [/timeout exceeded when trying to connect/, "connect timeout"],
  [/^Query read timeout$/, "query timeout"],
  [/^Connection ended$/, "connection ended"],
];

/** The loggable cause of a database outage, or null when `error` is not one. Follows `cause` and AggregateError. */
export function databaseUnavailableReason(error: unknown, depth = 0): string | null {
  if (depth > 5 || typeof error !== "object" || error === null) return null;
  if (error instanceof DatabaseUnavailableError) return error.reason;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code)) return code;
    if (SERVER_CODES[code]) return `${code} ${SERVER_CODES[code]}`;
    if (code.startsWith("08")) return `${code} connection exception`;
  }
  if (typeof message === "string") {
    for (const [pattern, reason] of CLIENT_MESSAGES) if (pattern.test(message)) return reason;
  }
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const reason = databaseUnavailableReason(inner, depth + 1);
      if (reason) return reason;
    }
  }
  return databaseUnavailableReason((error as { cause?: unknown }).cause, depth + 1);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableReason(error) !== null;
}

/**
 * One warning per outage: the first failure is logged with its cause, the rest are counted, and once
 * `quietMs` passes without one the outage counts as over (the next failure logs again).
 */
export function outageLog(
  log: (fields: Record<string, unknown>, message: string) => void,
  message: string,
  quietMs = 10_000,
): (reason: string) => void {
  let last = 0;
  return (reason) => {
    const now = Date.now();
    if (now - last > quietMs) log({ cause: reason }, message);
    last = now;
  };
}
