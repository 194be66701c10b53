import os from "node:os";
import path from "node:path";
import type { Address } from "viem";
import { getAddress, isAddress, parseGwei } from "viem";
import { ConfigError } from "./errors";

export type RateLimitConfig = {
  /** Requests allowed per API key in each window. */
  requests: number;
  windowMs: number;
};

/** What one organisation may ask of a service it shares with others. */
export type OrganisationLimitsConfig = {
  /** Requests per organisation in each window, all its API keys (and organiser sessions) together. */
  requests: number;
  windowMs: number;
  /** Credentials one organisation may issue (and so queue for the chain) in each `credentialWindowMs`. */
  credentials: number;
  credentialWindowMs: number;
};

export const DEFAULT_ORGANISATION_LIMITS: OrganisationLimitsConfig = {
  requests: 3000,
  windowMs: 60_000,
  credentials: 100_000,
  credentialWindowMs: 3_600_000,
};

export type WorkerConfig = {
  /** How often the worker looks for work when nothing wakes it, ms. */
  pollIntervalMs: number;
  /** The most credentials in one batch. */
  maxBatchSize: number;
  /** Validity of signed requests (issueSigned deadline), seconds. */
  requestTtlSeconds: number;
  /** How long an Idempotency-Key is remembered, hours. */
  idempotencyTtlHours: number;
  /** Backoff after a failed chain call: base and cap, ms. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How many organisations' chain work runs at once, each in its own lane (INTYG_WORKER_LANES). */
  lanes: number;
  /**
   * How long one pass waits for the lanes it started before it goes on to the next (a lane still running then
   * goes on by itself, and other organisations' work is not held up by it), ms (INTYG_WORKER_LANE_WAIT_MS).
   */
  laneWaitMs: number;
};

/** How the service talks to the node: every JSON-RPC request is bounded, so a node that hangs blocks nothing. */
export type RpcConfig = {
  /** The most one request may take, ms, its answer's body included. */
  timeoutMs: number;
  /** Retries of a failed request (connection errors, HTTP 5xx, -32603 internal, -32005 limit) before giving up. */
  retryCount: number;
  /** The most the worker waits for a receipt before it reconciles and tries again, ms. */
  receiptTimeoutMs: number;
  /**
   * How long an anchoring, relaying or revoking transaction may stay pending before it is replaced (the same
   * nonce and call, fees raised by at least 12.5% and to at least twice the base fee plus the tip), ms; 0 never.
   */
  replaceAfterMs: number;
  /** The most any transaction may pay per gas, wei (INTYG_MAX_FEE_GWEI); null: only the multiplier limits. */
  maxFeePerGas: bigint | null;
  /** The most a replacement may pay per gas, as a multiple of the fee cap of the transaction's first send. */
  maxFeeMultiplier: number;
};

/** Bounds of the read-only JSON-RPC proxy the verifier page uses (POST /verify/rpc). */
export type RpcProxyConfig = {
  /** Requests (HTTP requests, a batch counts once) per client address in each window. */
  rateLimit: RateLimitConfig;
  /** The most JSON-RPC calls in one batch. */
  maxBatch: number;
  /** Largest request body, bytes. */
  maxBodyBytes: number;
};

export const DEFAULT_RPC_PROXY_CONFIG: RpcProxyConfig = {
  rateLimit: { requests: 600, windowMs: 60_000 },
  maxBatch: 100,
  maxBodyBytes: 1024 * 1024,
};

export const DEFAULT_RPC_CONFIG: RpcConfig = {
  timeoutMs: 20_000,
  retryCount: 2,
  receiptTimeoutMs: 120_000,
  replaceAfterMs: 60_000,
  maxFeePerGas: null,
  maxFeeMultiplier: 10,
};

export type ServiceConfig = {
  host: string;
  port: number;
  /** The public base URL of the service (holder links, share links, QR codes). */
  publicUrl: string;
  /** The verifier page share links point to. */
  verifyUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  rpcUrl: string;
  /**
   * The JSON-RPC URL published to browsers (the verifier page, /verify/config.json). Never derived from `rpcUrl`
   * (it may carry a provider's key): by default the service's own read-only proxy, `${publicUrl}/verify/rpc`.
   */
  publicRpcUrl: string;
  /** The read-only JSON-RPC proxy at POST /verify/rpc. */
  rpcProxy: RpcProxyConfig;
  registry: Address;
  rpc: RpcConfig;
  /** Largest request body, bytes. */
  bodyLimitBytes: number;
  rateLimit: RateLimitConfig;
  /** Per-organisation limits (on top of the per-API-key `rateLimit`). */
  organisationLimits: OrganisationLimitsConfig;
  /** Most attendees in one bulk request; above `bulkSyncLimit` the request becomes a job (202). */
  bulkMaxItems: number;
  bulkSyncLimit: number;
  /**
   * Worker threads that build and seal the credentials of large issuances (0: all on the event loop). Default:
   * one per core, at most 4.
   */
  issuanceThreads?: number;
  worker: WorkerConfig;
  email: EmailConfig;
  logLevel: string;
};

/** E-mail delivery of credentials to their holders. */
export type EmailConfig = {
  /** `smtp://` or `smtps://` URL (user and password in it if needed); null: write .eml files to `outboxDir`. */
  smtpUrl: string | null;
  /** The sender, e.g. `Intyg <intyg@example.se>`. */
  from: string;
  outboxDir: string;
  /** Most messages sent per minute (the worker pauses sending when reached). */
  perMinute: number;
  /** Attempts before a delivery is failed for good (a permanent 5xx answer fails it at once). */
  maxAttempts: number;
  /** Backoff between attempts: base × 2^(attempt−1), at most max. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claimed delivery is held before another pass may take it over (a crash mid-send). */
  leaseMs: number;
};

export const DEFAULT_EMAIL_CONFIG: EmailConfig = {
  smtpUrl: null,
  from: "Intyg <intyg@localhost>",
  outboxDir: ".intyg/outbox",
  perMinute: 120,
  maxAttempts: 6,
  retryBaseMs: 30_000,
  retryMaxMs: 30 * 60_000,
  leaseMs: 120_000,
};

/** How the signing key is given: a raw key, or an encrypted keystore and its password. */
export type SignerSource =
  | { kind: "env"; privateKey: string }
  | { kind: "keystore"; path: string; password: string };

export const DEFAULT_WORKER_CONFIG: WorkerConfig = {
  pollIntervalMs: 500,
  maxBatchSize: 10_000,
  requestTtlSeconds: 7 * 24 * 3600,
  idempotencyTtlHours: 7 * 24,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  lanes: 4,
  laneWaitMs: 2000,
};

/** Defaults for everything but the chain; tests and main() fill in the rest. */
export function defaultConfig(
  overrides: Partial<ServiceConfig> & Pick<ServiceConfig, "rpcUrl" | "registry">,
): ServiceConfig {
  const host = overrides.host ?? "127.0.0.1";
  const port = overrides.port ?? 8787;
  const publicUrl = (overrides.publicUrl ?? `http://${host}:${port}`).replace(/\/$/, "");
  return {
    host,
    port,
    publicUrl,
    verifyUrl: overrides.verifyUrl ?? `${publicUrl}/verify`,
    databaseUrl: undefined,
    dataDir: ".intyg/data",
    bodyLimitBytes: 16 * 1024 * 1024,
    rateLimit: { requests: 1200, windowMs: 60_000 },
    bulkMaxItems: 10_000,
    bulkSyncLimit: 2_000,
    logLevel: "info",
    ...overrides,
    // Never `rpcUrl`: the private node's URL may carry a key, and this one is published.
    publicRpcUrl:
      overrides.publicRpcUrl === undefined
        ? `${publicUrl}/verify/rpc`
        : checkPublicRpcUrl(overrides.publicRpcUrl, "publicRpcUrl"),
    rpc: { ...DEFAULT_RPC_CONFIG, ...overrides.rpc },
    rpcProxy: {
      ...DEFAULT_RPC_PROXY_CONFIG,
      ...overrides.rpcProxy,
      rateLimit: { ...DEFAULT_RPC_PROXY_CONFIG.rateLimit, ...overrides.rpcProxy?.rateLimit },
    },
    organisationLimits: { ...DEFAULT_ORGANISATION_LIMITS, ...overrides.organisationLimits },
    worker: { ...DEFAULT_WORKER_CONFIG, ...overrides.worker },
    email: { ...DEFAULT_EMAIL_CONFIG, ...overrides.email },
  };
}

type Env = Record<string, string | undefined>;

function smtpUrlFrom(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^smtps?:\/\/[^\s]+$/.test(value))
    throw new ConfigError("INTYG_SMTP_URL must be an smtp:// or smtps:// URL");
  return value;
}

function headerFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a header value must be one line
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new ConfigError("INTYG_MAIL_FROM must be one line");
  return value;
}

/** Query parameter names providers put keys in. */
const SECRET_QUERY_NAME = /key|token|secret|auth|pass|signature|sig$|credential|access|session|jwt/i;

/**
 * Whether a path segment or query value looks like a key: long hex (`/v3/<32 hex>`), a UUID, or a long
 * base64(url)-like token mixing letters and digits (and both cases). Word-like segments pass (`mainnet-archive`).
 */
export function looksLikeSecret(value: string): boolean {
  const text = safeDecode(value);
  if (/^(0x)?[0-9a-f]{32,}$/i.test(text)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return true;
  return (
    text.length >= 20 &&
    /^[A-Za-z0-9_\-+=.~]+$/.test(text) &&
    /[0-9]/.test(text) &&
    /[a-z]/.test(text) &&
    /[A-Z]/.test(text)
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Checks a JSON-RPC URL that is published to browsers: an http(s) URL without user:password, and without a
 * path segment or query that looks like a provider's key. Returns it; throws a ConfigError that names what is
 * wrong and never repeats the URL (it may be a secret).
 */
export function checkPublicRpcUrl(value: string, name = "INTYG_PUBLIC_RPC_URL"): string {
  const fix = `It is published on the verifier page and in /verify/config.json: give a node URL without credentials, or leave ${name} unset to publish the service's own read-only proxy (<public URL>/verify/rpc)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(`${name} must be an http(s) URL`);
  if (url.username || url.password)
    throw new ConfigError(`${name} must not contain user:password before the host. ${fix}`);
  if (url.pathname.split("/").some((segment) => segment !== "" && looksLikeSecret(segment)))
    throw new ConfigError(`${name} must not contain a key in its path (a long token segment). ${fix}`);
  for (const [key, v] of url.searchParams) {
    if (SECRET_QUERY_NAME.test(key) || looksLikeSecret(v) || looksLikeSecret(key))
      throw new ConfigError(`${name} must not contain a key in its query string. ${fix}`);
  }
  if (url.hash) throw new ConfigError(`${name} must not have a #fragment. ${fix}`);
  return value;
}

/** How many worker threads issuance uses by default: one per core (the database and the event loop share them). */
export function defaultIssuanceThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

function intFrom(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number`);
  const value = Number(raw);
  if (value < min) throw new ConfigError(`${name} must be at least ${min}`);
  return value;
}

/** A fee in gwei (decimals allowed: L2 fees are fractions of a gwei) as wei; null when not set. */
function gweiFrom(env: Env, name: string): bigint | null {
  const raw = env[name];
  if (raw === undefined || raw === "") return null;
  if (!/^\d{1,12}(\.\d{1,9})?$/.test(raw)) throw new ConfigError(`${name} must be a number of gwei`);
  const value = parseGwei(raw);
  if (value === 0n) throw new ConfigError(`${name} must be above 0`);
  return value;
}

/** Reads the service configuration from environment variables (see README of the package). */
export function loadConfig(env: Env = process.env): ServiceConfig {
  const rpcUrl = env.INTYG_RPC_URL;
  if (!rpcUrl) throw new ConfigError("INTYG_RPC_URL is required");
  if (!/^https?:\/\//.test(rpcUrl)) throw new ConfigError("INTYG_RPC_URL must be an http(s) URL");
  const registry = env.INTYG_REGISTRY;
  if (!registry || !isAddress(registry))
    throw new ConfigError("INTYG_REGISTRY must be the registry's address");
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must be a postgres:// URL");
  }
  const host = env.HOST || "127.0.0.1";
  const port = intFrom(env, "PORT", 8787);
  if (port > 65535) throw new ConfigError("PORT must be at most 65535");
  return defaultConfig({
    host,
    port,
    ...(env.INTYG_PUBLIC_URL ? { publicUrl: env.INTYG_PUBLIC_URL } : {}),
    ...(env.INTYG_VERIFY_URL ? { verifyUrl: env.INTYG_VERIFY_URL } : {}),
    databaseUrl,
    dataDir: path.resolve(env.INTYG_DATA_DIR || ".intyg/data"),
    rpcUrl,
    ...(env.INTYG_PUBLIC_RPC_URL
      ? { publicRpcUrl: checkPublicRpcUrl(env.INTYG_PUBLIC_RPC_URL, "INTYG_PUBLIC_RPC_URL") }
      : {}),
    rpcProxy: {
      rateLimit: {
        requests: intFrom(env, "INTYG_RPC_PROXY_RATE_LIMIT", DEFAULT_RPC_PROXY_CONFIG.rateLimit.requests, 1),
        windowMs: intFrom(
          env,
          "INTYG_RPC_PROXY_RATE_WINDOW_MS",
          DEFAULT_RPC_PROXY_CONFIG.rateLimit.windowMs,
          1,
        ),
      },
      maxBatch: intFrom(env, "INTYG_RPC_PROXY_MAX_BATCH", DEFAULT_RPC_PROXY_CONFIG.maxBatch, 1),
      maxBodyBytes: intFrom(
        env,
        "INTYG_RPC_PROXY_BODY_LIMIT_BYTES",
        DEFAULT_RPC_PROXY_CONFIG.maxBodyBytes,
        1024,
      ),
    },
    registry: getAddress(registry),
    rpc: {
      timeoutMs: intFrom(env, "INTYG_RPC_TIMEOUT_MS", DEFAULT_RPC_CONFIG.timeoutMs, 100),
      retryCount: intFrom(env, "INTYG_RPC_RETRIES", DEFAULT_RPC_CONFIG.retryCount, 0),
      receiptTimeoutMs: intFrom(env, "INTYG_RECEIPT_TIMEOUT_MS", DEFAULT_RPC_CONFIG.receiptTimeoutMs, 1000),
      replaceAfterMs: intFrom(env, "INTYG_TX_REPLACE_AFTER_MS", DEFAULT_RPC_CONFIG.replaceAfterMs, 0),
      maxFeePerGas: gweiFrom(env, "INTYG_MAX_FEE_GWEI"),
      maxFeeMultiplier: intFrom(env, "INTYG_MAX_FEE_MULTIPLIER", DEFAULT_RPC_CONFIG.maxFeeMultiplier, 1),
    },
    bodyLimitBytes: intFrom(env, "INTYG_BODY_LIMIT_BYTES", 16 * 1024 * 1024, 1024),
    rateLimit: {
      requests: intFrom(env, "INTYG_RATE_LIMIT", 1200, 1),
      windowMs: intFrom(env, "INTYG_RATE_WINDOW_MS", 60_000, 1),
    },
    organisationLimits: {
      requests: intFrom(env, "INTYG_ORG_RATE_LIMIT", DEFAULT_ORGANISATION_LIMITS.requests, 1),
      windowMs: intFrom(env, "INTYG_ORG_RATE_WINDOW_MS", DEFAULT_ORGANISATION_LIMITS.windowMs, 1),
      credentials: intFrom(env, "INTYG_ORG_CREDENTIAL_LIMIT", DEFAULT_ORGANISATION_LIMITS.credentials, 1),
      credentialWindowMs: intFrom(
        env,
        "INTYG_ORG_CREDENTIAL_WINDOW_MS",
        DEFAULT_ORGANISATION_LIMITS.credentialWindowMs,
        1000,
      ),
    },
    bulkMaxItems: intFrom(env, "INTYG_BULK_MAX", 10_000, 1),
    bulkSyncLimit: intFrom(env, "INTYG_BULK_SYNC_LIMIT", 2_000, 1),
    issuanceThreads: intFrom(env, "INTYG_ISSUANCE_THREADS", defaultIssuanceThreads(), 0),
    email: {
      smtpUrl: smtpUrlFrom(env.INTYG_SMTP_URL),
      from: headerFrom(env.INTYG_MAIL_FROM) ?? DEFAULT_EMAIL_CONFIG.from,
      outboxDir: path.resolve(env.INTYG_OUTBOX_DIR || DEFAULT_EMAIL_CONFIG.outboxDir),
      perMinute: intFrom(env, "INTYG_MAIL_PER_MINUTE", DEFAULT_EMAIL_CONFIG.perMinute, 1),
      maxAttempts: intFrom(env, "INTYG_MAIL_MAX_ATTEMPTS", DEFAULT_EMAIL_CONFIG.maxAttempts, 1),
      retryBaseMs: intFrom(env, "INTYG_MAIL_RETRY_BASE_MS", DEFAULT_EMAIL_CONFIG.retryBaseMs, 1),
      retryMaxMs: intFrom(env, "INTYG_MAIL_RETRY_MAX_MS", DEFAULT_EMAIL_CONFIG.retryMaxMs, 1),
      leaseMs: intFrom(env, "INTYG_MAIL_LEASE_MS", DEFAULT_EMAIL_CONFIG.leaseMs, 1000),
    },
    logLevel: env.LOG_LEVEL || "info",
    worker: {
      pollIntervalMs: intFrom(env, "INTYG_WORKER_POLL_MS", DEFAULT_WORKER_CONFIG.pollIntervalMs, 10),
      maxBatchSize: intFrom(env, "INTYG_MAX_BATCH", DEFAULT_WORKER_CONFIG.maxBatchSize, 1),
      requestTtlSeconds: intFrom(env, "INTYG_REQUEST_TTL", DEFAULT_WORKER_CONFIG.requestTtlSeconds, 60),
      idempotencyTtlHours: intFrom(
        env,
        "INTYG_IDEMPOTENCY_TTL_HOURS",
        DEFAULT_WORKER_CONFIG.idempotencyTtlHours,
        1,
      ),
      retryBaseMs: intFrom(env, "INTYG_RETRY_BASE_MS", DEFAULT_WORKER_CONFIG.retryBaseMs, 1),
      retryMaxMs: intFrom(env, "INTYG_RETRY_MAX_MS", DEFAULT_WORKER_CONFIG.retryMaxMs, 1),
      lanes: intFrom(env, "INTYG_WORKER_LANES", DEFAULT_WORKER_CONFIG.lanes, 1),
      laneWaitMs: intFrom(env, "INTYG_WORKER_LANE_WAIT_MS", DEFAULT_WORKER_CONFIG.laneWaitMs, 0),
    },
  });
}

/** Where the signing key comes from: INTYG_SIGNER_KEY, or INTYG_KEYSTORE with INTYG_KEYSTORE_PASSWORD. */
export function loadSignerSource(env: Env = process.env): SignerSource {
  if (env.INTYG_SIGNER_KEY) return { kind: "env", privateKey: env.INTYG_SIGNER_KEY };
  if (env.INTYG_KEYSTORE) {
    if (env.INTYG_KEYSTORE_PASSWORD === undefined) {
      throw new ConfigError("INTYG_KEYSTORE_PASSWORD is required with INTYG_KEYSTORE");
    }
    return { kind: "keystore", path: env.INTYG_KEYSTORE, password: env.INTYG_KEYSTORE_PASSWORD };
  }
  throw new ConfigError(
    "a signing key is required: INTYG_SIGNER_KEY or INTYG_KEYSTORE + INTYG_KEYSTORE_PASSWORD",
  );
}
