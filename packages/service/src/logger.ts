import pino, { type DestinationStream, type Logger } from "pino";

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

export type CreateLoggerOptions = {
  level?: string;
  /** Where lines go; stdout when omitted (tests pass a buffer). */
  destination?: DestinationStream;
};

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "intyg" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
