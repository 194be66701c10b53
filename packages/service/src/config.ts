import path from "node:path";
import type { Address } from "viem";
import { getAddress, isAddress, parseGwei } from "viem";
import { ConfigError } from "./errors";

export type RateLimitConfig = {
  /** Requests allowed per API key in each window. */
  requests: number;
  windowMs: number;
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
  /** The RPC URL browsers use on the verifier page (/verify); `rpcUrl` when not set. */
  publicRpcUrl: string;
  registry: Address;
  rpc: RpcConfig;
  /** Largest request body, bytes. */
  bodyLimitBytes: number;
  rateLimit: RateLimitConfig;
  /** Most attendees in one bulk request; above `bulkSyncLimit` the request becomes a job (202). */
  bulkMaxItems: number;
  bulkSyncLimit: number;
  worker: WorkerConfig;
  logLevel: string;
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
    publicRpcUrl: overrides.rpcUrl,
    ...overrides,
    rpc: { ...DEFAULT_RPC_CONFIG, ...overrides.rpc },
    worker: { ...DEFAULT_WORKER_CONFIG, ...overrides.worker },
  };
}

type Env = Record<string, string | undefined>;

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
    publicRpcUrl: env.INTYG_PUBLIC_RPC_URL || rpcUrl,
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
    bulkMaxItems: intFrom(env, "INTYG_BULK_MAX", 10_000, 1),
    bulkSyncLimit: intFrom(env, "INTYG_BULK_SYNC_LIMIT", 2_000, 1),
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
