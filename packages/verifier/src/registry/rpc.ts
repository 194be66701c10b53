// Reads the registry from a JSON-RPC node. All the reads of a run are pinned to one block and sent
// together: a deployless multicall (one `eth_call` per few hundred reads, no multicall contract needed on
// the chain), over a batching HTTP transport. Every value is read once per reader.

import { intygRegistryAbi } from "@intyg/registry";
import {
  type Address,
  type ContractFunctionParameters,
  createPublicClient,
  http,
  type PublicClient,
} from "viem";
import { RegistryReadError } from "../errors";
import {
  queryKey,
  type ReaderContext,
  type RegistryQuery,
  type RegistryReader,
  type RegistryValue,
} from "./state";

export type CreateRpcReaderParameters = {
  registry: Address;
  /** The node's JSON-RPC URL (http or https). Ignored when `client` is given. */
  rpcUrl?: string;
  /** A viem public client to use instead of `rpcUrl`. */
  client?: PublicClient;
  /** Read at this block instead of the latest. */
  blockNumber?: bigint;
  /**
   * How reads are grouped: `deployless` (default) runs a multicall in a single `eth_call` without a deployed
   * contract; `calls` sends one `eth_call` per read, in JSON-RPC batches; an address uses that Multicall3.
   */
  multicall?: "deployless" | "calls" | Address;
  /** Reads per `eth_call` in multicall mode. */
  chunkSize?: number;
  /** Milliseconds per HTTP request. */
  timeoutMs?: number;
};

/** Creates a viem public client for a URL with JSON-RPC batching on. */
export function createRegistryClient(rpcUrl: string, timeoutMs = 20_000): PublicClient {
  return createPublicClient({
    transport: http(rpcUrl, { batch: { batchSize: 500, wait: 0 }, timeout: timeoutMs, retryCount: 1 }),
  });
}

function contractCall(registry: Address, query: RegistryQuery): ContractFunctionParameters {
  const base = { address: registry, abi: intygRegistryAbi } as const;
  switch (query.kind) {
    case "organisation":
      return { ...base, functionName: "organisation", args: [query.organisationId] };
    case "signingKey":
      return { ...base, functionName: "signingKey", args: [query.key] };
    case "event":
      return { ...base, functionName: "eventInfo", args: [query.eventId] };
    case "record":
      return { ...base, functionName: "record", args: [query.commitment] };
    case "leafRevocation":
      return { ...base, functionName: "leafRevocation", args: [query.root, query.leaf] };
    case "supersededBy":
      return { ...base, functionName: "supersededBy", args: [query.root, query.leaf] };
  }
}

/** Normalises what viem decodes (numbers for ≤ 48 bits, bigint above) into the state shapes. */
function normalise(query: RegistryQuery, raw: unknown): RegistryValue<RegistryQuery> {
  const value = raw as Record<string, unknown>;
  switch (query.kind) {
    case "organisation":
      return {
        profileHash: value.profileHash as `0x${string}`,
        admin: value.admin as Address,
        status: Number(value.status),
        eventCount: Number(value.eventCount),
        suspendedAt: Number(value.suspendedAt),
      };
    case "signingKey":
      return {
        organisationId: Number(value.organisationId),
        validFrom: Number(value.validFrom),
        validUntil: Number(value.validUntil),
        suspended: Boolean(value.suspended),
      };
    case "event":
      return {
        metadataHash: value.metadataHash as `0x${string}`,
        parentId: BigInt(value.parentId as bigint),
        createdAt: Number(value.createdAt),
        kind: Number(value.kind),
      };
    case "record":
      return {
        eventId: BigInt(value.eventId as bigint),
        issuedAt: Number(value.issuedAt),
        validUntil: Number(value.validUntil),
        revokedAt: Number(value.revokedAt),
        revocationReason: Number(value.revocationReason),
        batchSize: Number(value.batchSize),
      };
    case "leafRevocation":
      return { revokedAt: Number(value.revokedAt), reason: Number(value.reason) };
    case "supersededBy":
      return raw as `0x${string}`;
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "shortMessage" in error) return String(error.shortMessage);
  return error instanceof Error ? error.message : String(error);
}

/** A registry reader over JSON-RPC. */
export function createRpcReader(parameters: CreateRpcReaderParameters): RegistryReader {
  if (!parameters.client && !parameters.rpcUrl) {
    throw new RegistryReadError("An RPC URL or a client is needed to read the registry");
  }
  const client = parameters.client ?? createRegistryClient(parameters.rpcUrl!, parameters.timeoutMs);
  const registry = parameters.registry;
  const chunkSize = parameters.chunkSize ?? 250;
  const values = new Map<string, RegistryValue<RegistryQuery>>();
  let contextPromise: Promise<ReaderContext> | undefined;

  async function readContext(): Promise<ReaderContext> {
    try {
      const [chainId, block, code] = await Promise.all([
        client.getChainId(),
        parameters.blockNumber === undefined
          ? client.getBlock({ blockTag: "latest" })
          : client.getBlock({ blockNumber: parameters.blockNumber }),
        parameters.blockNumber === undefined
          ? client.getCode({ address: registry })
          : client.getCode({ address: registry, blockNumber: parameters.blockNumber }),
      ]);
      if (!code || code === "0x") {
        throw new RegistryReadError(`There is no registry contract at ${registry} on chain ${chainId}`, {
          reason: "no-registry",
        });
      }
      return {
        source: "rpc",
        chainId,
        registry,
        blockNumber: block.number,
        blockTimestamp: Number(block.timestamp),
      };
    } catch (error) {
      if (error instanceof RegistryReadError) throw error;
      throw new RegistryReadError(`The chain could not be reached: ${describe(error)}`, {
        cause: error,
        reason: "chain-unavailable",
      });
    }
  }

  async function readChunk(queries: RegistryQuery[], blockNumber: bigint): Promise<void> {
    const mode = parameters.multicall ?? "deployless";
    if (mode === "calls") {
      const results = await Promise.allSettled(
        queries.map((query) =>
          client.readContract({ ...contractCall(registry, query), blockNumber } as never),
        ),
      );
      results.forEach((result, i) => {
        if (result.status === "fulfilled")
          values.set(queryKey(queries[i]!), normalise(queries[i]!, result.value));
      });
      return;
    }
    const results = await client.multicall({
      contracts: queries.map((query) => contractCall(registry, query)),
      allowFailure: true,
      blockNumber,
      batchSize: 0,
      ...(mode === "deployless" ? { deployless: true } : { multicallAddress: mode }),
    });
    results.forEach((result, i) => {
      if (result.status === "success")
        values.set(queryKey(queries[i]!), normalise(queries[i]!, result.result));
    });
  }

  return {
    context() {
      contextPromise ??= readContext();
      return contextPromise;
    },

    async load(queries) {
      const { blockNumber } = await this.context();
      const pending = new Map<string, RegistryQuery>();
      for (const query of queries) {
        const key = queryKey(query);
        if (!values.has(key)) pending.set(key, query);
      }
      if (pending.size === 0) return;
      const list = [...pending.values()];
      const chunks: RegistryQuery[][] = [];
      for (let i = 0; i < list.length; i += chunkSize) chunks.push(list.slice(i, i + chunkSize));
      try {
        await Promise.all(chunks.map((chunk) => readChunk(chunk, blockNumber)));
      } catch (error) {
        throw new RegistryReadError(`The registry could not be read: ${describe(error)}`, { cause: error });
      }
    },

    get(query) {
      return values.get(queryKey(query)) as never;
    },
  };
}
