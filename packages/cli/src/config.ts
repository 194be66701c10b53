// Where the chain is: flags first, then INTYG_RPC_URL / INTYG_REGISTRY, then `.intyg/dev.json` (written by
// `pnpm start`) in the working directory or above it.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Address, isAddress } from "viem";
import { CliError } from "./errors";
import type { CliIo } from "./io";

export type ChainConfig = { rpcUrl?: string; registry?: Address; source: string };

export type DevConfig = {
  rpcUrl?: string;
  registry?: string;
  /** The local service and the demo organisation's API key (organiser commands). */
  serviceUrl?: string;
  apiKey?: string;
  file: string;
};

/** The `.intyg/dev.json` of a local `pnpm start`, searched from `cwd` upwards. */
export function findDevConfig(cwd: string): DevConfig | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, ".intyg", "dev.json");
    if (existsSync(file)) {
      try {
        const value = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        return {
          ...(typeof value.rpcUrl === "string" ? { rpcUrl: value.rpcUrl } : {}),
          ...(typeof value.registry === "string" ? { registry: value.registry } : {}),
          ...(typeof value.serviceUrl === "string" ? { serviceUrl: value.serviceUrl } : {}),
          ...(typeof value.apiKey === "string" ? { apiKey: value.apiKey } : {}),
          file,
        };
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function checkRpcUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--rpc: not a URL: ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError(`--rpc: use an http(s) URL: ${value}`);
  return value;
}

export function checkRegistry(value: string): Address {
  if (!isAddress(value, { strict: false })) throw new CliError(`--registry: not an address: ${value}`);
  return value as Address;
}

/** The chain to read, from flags, environment or the local dev config. */
export function resolveChain(io: CliIo, flags: { rpc?: string; registry?: string }): ChainConfig {
  if (flags.rpc || flags.registry) {
    const dev = flags.rpc ? undefined : findDevConfig(io.cwd);
    const rpc = flags.rpc ?? io.env.INTYG_RPC_URL ?? dev?.rpcUrl;
    return {
      ...(rpc ? { rpcUrl: checkRpcUrl(rpc) } : {}),
      ...(flags.registry ? { registry: checkRegistry(flags.registry) } : {}),
      source: "flags",
    };
  }
  if (io.env.INTYG_RPC_URL) {
    return {
      rpcUrl: checkRpcUrl(io.env.INTYG_RPC_URL),
      ...(io.env.INTYG_REGISTRY ? { registry: checkRegistry(io.env.INTYG_REGISTRY) } : {}),
      source: "environment",
    };
  }
  const dev = findDevConfig(io.cwd);
  if (dev?.rpcUrl) {
    return {
      rpcUrl: checkRpcUrl(dev.rpcUrl),
      ...(dev.registry ? { registry: checkRegistry(dev.registry) } : {}),
      source: dev.file,
    };
  }
  return { source: "none" };
}
