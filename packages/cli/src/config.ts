// Where the chain is, and which registry to trust. Only the user decides: a flag (--rpc, --registry,
// --chain-id), a configuration file the user names (--config FILE, e.g. the .intyg/dev.json that `pnpm start`
// writes), or the environment (INTYG_RPC_URL, INTYG_REGISTRY, INTYG_CHAIN_ID). Nothing is read from a file the
// user did not name for verification, and no parent folder is ever searched: a folder someone sends you must
// not decide what you trust.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TrustSource } from "@intyg/verifier";
import { type Address, isAddress } from "viem";
import { CliError } from "./errors";
import type { CliIo } from "./io";

export type ChainConfig = {
  rpcUrl?: string;
  registry?: Address;
  chainId?: number;
  /** Who chose the registry: reported with every verdict. */
  trust: { source: TrustSource; detail?: string };
};

export type DevConfig = {
  rpcUrl?: string;
  registry?: string;
  chainId?: number;
  /** The local service and the demo organisation's API key (organiser commands). */
  serviceUrl?: string;
  apiKey?: string;
  file: string;
};

function parseDevConfig(file: string, text: string): DevConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`--config: ${file} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new CliError(`--config: ${file} is not a JSON object`);
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.rpcUrl === "string" ? { rpcUrl: v.rpcUrl } : {}),
    ...(typeof v.registry === "string" ? { registry: v.registry } : {}),
    ...(typeof v.chainId === "number" ? { chainId: v.chainId } : {}),
    ...(typeof v.serviceUrl === "string" ? { serviceUrl: v.serviceUrl } : {}),
    ...(typeof v.apiKey === "string" ? { apiKey: v.apiKey } : {}),
    file,
  };
}

/** A configuration file the user named (`--config`): `{ rpcUrl, registry, chainId }`, as `pnpm start` writes. */
export function readConfigFile(io: Pick<CliIo, "cwd">, file: string): DevConfig {
  const resolved = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(resolved, "utf8");
  } catch {
    throw new CliError(`--config: cannot read ${file}`);
  }
  return parseDevConfig(file, text);
}

/**
 * The `.intyg/dev.json` of a local `pnpm start` in the working directory itself (never a parent folder), for
 * the organiser commands' local service and demo key. Verification never reads it unless named with --config.
 */
export function findDevConfig(cwd: string): DevConfig | undefined {
  const file = path.join(path.resolve(cwd), ".intyg", "dev.json");
  if (!existsSync(file)) return undefined;
  try {
    return parseDevConfig(file, readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

export function checkRpcUrl(value: string, where = "--rpc"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${where}: not a URL: ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError(`${where}: use an http(s) URL: ${value}`);
  return value;
}

export function checkRegistry(value: string, where = "--registry"): Address {
  if (!isAddress(value, { strict: false })) throw new CliError(`${where}: not an address: ${value}`);
  return value as Address;
}

export function checkChainId(value: string | number, where = "--chain-id"): number {
  const text = String(value);
  if (!/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new CliError(`${where}: not a chain id (a positive whole number): ${text}`);
  return Number(text);
}

export type ChainFlags = { rpc?: string; registry?: string; chainId?: string; config?: string };

/**
 * The chain to read and the registry to trust: each from its flag, then the configuration file named with
 * --config, then the environment. The trust source is whatever supplied the registry.
 */
export function resolveChain(io: Pick<CliIo, "cwd" | "env">, flags: ChainFlags): ChainConfig {
  const file = flags.config ? readConfigFile(io, flags.config) : undefined;
  const where = file ? `--config ${file.file}` : "";
  const env = io.env;

  let rpcUrl: string | undefined;
  if (flags.rpc) rpcUrl = checkRpcUrl(flags.rpc);
  else if (file?.rpcUrl) rpcUrl = checkRpcUrl(file.rpcUrl, `${where}: rpcUrl`);
  else if (env.INTYG_RPC_URL) rpcUrl = checkRpcUrl(env.INTYG_RPC_URL, "INTYG_RPC_URL");

  let registry: Address | undefined;
  let trust: ChainConfig["trust"] = { source: "none" };
  if (flags.registry) {
    registry = checkRegistry(flags.registry);
    trust = { source: "flag", detail: "--registry" };
  } else if (file?.registry) {
    registry = checkRegistry(file.registry, `${where}: registry`);
    trust = { source: "config-file", detail: file.file };
  } else if (env.INTYG_REGISTRY) {
    registry = checkRegistry(env.INTYG_REGISTRY, "INTYG_REGISTRY");
    trust = { source: "environment", detail: "INTYG_REGISTRY" };
  }

  let chainId: number | undefined;
  if (flags.chainId !== undefined) chainId = checkChainId(flags.chainId);
  else if (file?.chainId !== undefined) chainId = checkChainId(file.chainId, `${where}: chainId`);
  else if (env.INTYG_CHAIN_ID) chainId = checkChainId(env.INTYG_CHAIN_ID, "INTYG_CHAIN_ID");

  return {
    ...(rpcUrl ? { rpcUrl } : {}),
    ...(registry ? { registry } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
    trust,
  };
}
