import path from "node:path";
import pino, { type DestinationStream, type Level, type Logger, type StreamEntry } from "pino";
import { BaseError } from "viem";

export type { Logger } from "pino";

/**
 * Paths pino censors wherever they appear. The service never logs documents or subjects on purpose; these are
 * the net under that rule: secrets (API keys, private keys, passwords, signatures of requests) and personal data.
 */
export const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
  "privateKey",
  "*.privateKey",
  "password",
  "*.password",
  "keystorePassword",
  "*.keystorePassword",
  "signerKey",
  "*.signerKey",
  "relayerKey",
  "*.relayerKey",
  "databaseUrl",
  "*.databaseUrl",
  "email",
  "*.email",
  "name",
  "*.name",
  "birthDate",
  "*.birthDate",
  "subject",
  "*.subject",
  "recipient",
  "*.recipient",
  "document",
  "*.document",
  "credential",
  "*.credential",
  "holderToken",
  "*.holderToken",
];

/**
 * Secrets that may hide inside free text (an error message, a URL): API keys, bearer tokens, the credentials of a
 * URL (`https://user:key@node`), and e-mail addresses. Replaced in every error the logger writes.
 */
const SECRET_TEXT: [RegExp, string][] = [
  [/intyg_[A-Za-z0-9_-]{8,}/g, "intyg_[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi, "$1[redacted]@"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[redacted e-mail]"],
];

/** `text` with the secrets above replaced. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A one-line description of an error, safe to log or store: a viem error gives its short message only (its full
 * message carries the request body and the node's URL, which may hold an API key of the RPC provider).
 */
export function errorText(error: unknown): string {
  if (error instanceof BaseError) return scrubText(`${error.name}: ${error.shortMessage}`);
  if (error instanceof Error) return scrubText(`${error.name}: ${error.message}`);
  return scrubText(String(error));
}

export type SerializedError = {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: SerializedError;
};

/**
 * Errors are logged as type, message, code and stack frames only. Other properties (a viem error's request body
 * and URL, a database error's `detail` with the values of a row) are left out, and the text is scrubbed.
 */
export function serializeError(error: unknown, depth = 0): SerializedError | unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? scrubText(error) : error;
  const type = error.name || "Error";
  const message = errorText(error).slice(type.length + 2);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const out: SerializedError = {
    type,
    message,
    stack: scrubText([`${type}: ${message}`, ...frames].join("\n")),
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  if (error.cause !== undefined && depth < 3)
    out.cause = serializeError(error.cause, depth + 1) as SerializedError;
  return out;
}

/**
 * A file every logger of the process also writes to: INTYG_LOG_FILE (a path), or INTYG_LOG_DIR (a directory: one
 * file per process, `<INTYG_LOG_NAME or intyg>-<pid>.log`). The test runner points INTYG_LOG_DIR at
 * `.intyg/test-logs/` and scans what every service wrote. Its level is INTYG_LOG_FILE_LEVEL (default info),
 * whatever the logger's own level: a silent logger still writes there.
 */
export type LogFileSink = { path: string; level: Level };

type Env = Record<string, string | undefined>;

const LEVELS: readonly string[] = ["trace", "debug", "info", "warn", "error", "fatal"];

export function logFileFromEnv(env: Env = process.env): LogFileSink | null {
  const level = (env.INTYG_LOG_FILE_LEVEL || "info") as Level;
  if (!LEVELS.includes(level)) throw new Error("INTYG_LOG_FILE_LEVEL must be a pino level");
  if (env.INTYG_LOG_FILE) return { path: path.resolve(env.INTYG_LOG_FILE), level };
  if (env.INTYG_LOG_DIR) {
    const name = (env.INTYG_LOG_NAME || "intyg").replace(/[^A-Za-z0-9_-]/g, "_");
    return { path: path.resolve(env.INTYG_LOG_DIR, `${name}-${process.pid}.log`), level };
  }
  return null;
}

/** One open file per path per process, shared by every logger (synchronous: lines survive a crash). */
const openFiles = new Map<string, DestinationStream>();

function fileStream(file: string): DestinationStream {
  let stream = openFiles.get(file);
  if (!stream) {
    stream = pino.destination({ dest: file, append: true, mkdir: true, sync: true });
    openFiles.set(file, stream);
  }
  return stream;
}

export type CreateLoggerOptions = {
  level?: string;
  /** Where lines go; stdout when omitted (tests pass a buffer). */
  destination?: DestinationStream;
  /** A file to write to as well; from the environment when omitted (logFileFromEnv), none with null. */
  file?: LogFileSink | null;
};

const OPTIONS = {
  base: { service: "intyg" },
  redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  serializers: { err: serializeError },
};

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const file = options.file === undefined ? logFileFromEnv() : options.file;
  if (!file) return pino({ ...OPTIONS, level }, options.destination);
  const streams: StreamEntry[] = [{ level: file.level, stream: fileStream(file.path) }];
  if (level !== "silent") {
    streams.push({ level: level as Level, stream: options.destination ?? pino.destination(1) });
  }
  const lowest = streams
    .map((s) => s.level as string)
    .sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b))[0]!;
  const logger = pino({ ...OPTIONS, level: lowest }, pino.multistream(streams));
  return logger;
}

/** A logger that prints nothing (the log file of INTYG_LOG_FILE or INTYG_LOG_DIR, when set, still gets its lines). */
export function silentLogger(): Logger {
  return createLogger({ level: "silent" });
}
