// Reads the registry from a JSON-RPC node. All the reads of a run are pinned to one block and sent
// together: a deployless multicall (one `eth_call` per hundred or so reads, no multicall contract needed on
// the chain), over a batching HTTP transport. Every value is read once per reader.

import { intygRegistryAbi } from "@intyg/registry";
import {
  type Address,
  type ContractFunctionParameters,
  createPublicClient,
  type Hex,
  http,
  type PublicClient,
} from "viem";
import { RegistryReadError } from "../errors";
import {
  emptyValue,
  queryKey,
  type ReaderContext,
  type RegistryQuery,
  type RegistryReader,
  type RegistryValue,
  ZERO_ADDRESS,
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
  /**
   * Most reads per `eth_call` in multicall mode (default 120, under the 49,152-byte init code limit); a
   * deployless multicall also stops where its results would pass 24,000 bytes (EIP-170).
   */
  chunkSize?: number;
  /** Milliseconds per HTTP request. */
  timeoutMs?: number;
  /** First block of the registry's events (default 0), for the log queries of large batches. */
  fromBlock?: bigint;
};

/** A batch root with at least this many leaves in one run has its leaf revocations found from events. */
const LOG_THRESHOLD = 16;

const HISTORY_EVENTS = intygRegistryAbi.filter(
  (item) => item.type === "event" && (item.name === "EventCreated" || item.name === "EventMetadataUpdated"),
);

const LEAF_EVENTS = intygRegistryAbi.filter(
  (item) =>
    item.type === "event" && (item.name === "BatchLeafRevoked" || item.name === "CredentialSuperseded"),
);

/** The most result bytes one deployless multicall may return: EIP-170's 24,576, less a margin. */
const MAX_DEPLOYLESS_RESULT_BYTES = 24_000;
/** Multicall3's `Result[]` encoding: the array's offset and length, then per read its offset, `success`, the
 * offset and length of `returnData`, and the data itself. */
const RESULT_HEAD_BYTES = 64;
const RESULT_ENTRY_BYTES = 4 * 32;

function wordsOf(parameter: { type: string; components?: readonly unknown[] }): number {
  if (parameter.type === "tuple" && parameter.components) {
    return (parameter.components as { type: string; components?: readonly unknown[] }[]).reduce(
      (sum, component) => sum + wordsOf(component),
      0,
    );
  }
  return 1;
}

const returnBytesByFunction = new Map<string, number>();

/** A profile history's result allowance: its offset and length, and this many versions of two words each. */
const PROFILE_VERSIONS_ALLOWED = 8;

/** The bytes one read adds to a multicall's result (every other view the verifier reads returns static values). */
function resultBytes(query: RegistryQuery): number {
  if (query.kind === "metadataHistory") return RESULT_ENTRY_BYTES;
  if (query.kind === "profileHistory") return RESULT_ENTRY_BYTES + 64 + 64 * PROFILE_VERSIONS_ALLOWED;
  const { functionName } = contractCall(ZERO_ADDRESS, query) as { functionName: string };
  let bytes = returnBytesByFunction.get(functionName);
  if (bytes === undefined) {
    const item = intygRegistryAbi.find((entry) => entry.type === "function" && entry.name === functionName) as
      | { outputs: readonly { type: string; components?: readonly unknown[] }[] }
      | undefined;
    bytes = 32 * (item?.outputs.reduce((sum, output) => sum + wordsOf(output), 0) ?? 1);
    returnBytesByFunction.set(functionName, bytes);
  }
  return RESULT_ENTRY_BYTES + bytes;
}

/** Creates a viem public client for a URL with JSON-RPC batching on. */
export function createRegistryClient(rpcUrl: string, timeoutMs = 30_000): PublicClient {
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
      return { ...base, functionName: "record", args: [query.organisationId, query.commitment] };
    case "leafRevocation":
      return {
        ...base,
        functionName: "leafRevocation",
        args: [query.organisationId, query.root, query.leaf],
      };
    case "supersededBy":
      return { ...base, functionName: "supersededBy", args: [query.organisationId, query.root, query.leaf] };
    case "profileHistory":
      return { ...base, functionName: "organisationProfiles", args: [query.organisationId] };
    case "metadataHistory":
      throw new RegistryReadError(`${query.kind} is read from events, not a view`);
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
        organisationNumberHash: value.organisationNumberHash as `0x${string}`,
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
        anchoredBy: Number(value.anchoredBy),
      };
    case "leafRevocation":
      return { revokedAt: Number(value.revokedAt), reason: Number(value.reason) };
    case "supersededBy":
      return raw as `0x${string}`;
    case "profileHistory":
      return (raw as { profileHash: Hex; since: number | bigint }[]).map((version) => ({
        profileHash: version.profileHash,
        since: Number(version.since),
      }));
    case "metadataHistory":
      return raw as Hex[];
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
  // A deployless multicall is contract creation code, which EIP-3860 caps at 49,152 bytes: about 150 reads.
  const chunkSize = parameters.chunkSize ?? 120;
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
        ...(block.hash ? { blockHash: block.hash } : {}),
      };
    } catch (error) {
      if (error instanceof RegistryReadError) throw error;
      throw new RegistryReadError(`The chain could not be reached: ${describe(error)}`, {
        cause: error,
        reason: "chain-unavailable",
      });
    }
  }

  let lastFailure: unknown;

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
        else lastFailure = result.reason;
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
      else lastFailure = result.error;
    });
  }

  async function readAll(list: RegistryQuery[], blockNumber: bigint, size: number): Promise<void> {
    // A deployless multicall hands its results back as the code of the contract it "deploys", which EIP-170
    // caps at 24,576 bytes (nodes refuse more: "code is too large"): chunks fit that as well as `size` reads.
    const budget =
      (parameters.multicall ?? "deployless") === "deployless" ? MAX_DEPLOYLESS_RESULT_BYTES : Infinity;
    const chunks: RegistryQuery[][] = [];
    let chunk: RegistryQuery[] = [];
    let bytes = RESULT_HEAD_BYTES;
    for (const query of list) {
      const cost = resultBytes(query);
      if (chunk.length > 0 && (chunk.length >= size || bytes + cost > budget)) {
        chunks.push(chunk);
        chunk = [];
        bytes = RESULT_HEAD_BYTES;
      }
      chunk.push(query);
      bytes += cost;
    }
    if (chunk.length > 0) chunks.push(chunk);
    await Promise.all(chunks.map((c) => readChunk(c, blockNumber)));
  }

  /**
   * For roots with many leaves in this run, the registry's own events say which leaves were revoked or
   * superseded: one `eth_getLogs` for all such roots instead of two reads per leaf. Leaves without an event
   * read as zero (what the views return); the few revoked leaves are then read from the view. Returns the
   * queries still to read, or all of them when the node refuses the log query.
   */
  async function resolveLeavesByLogs(list: RegistryQuery[], blockNumber: bigint): Promise<RegistryQuery[]> {
    const perRoot = new Map<string, number>();
    for (const query of list) {
      if (query.kind === "leafRevocation" || query.kind === "supersededBy") {
        const root = query.root.toLowerCase();
        perRoot.set(root, (perRoot.get(root) ?? 0) + 1);
      }
    }
    // Events name the organisation: a pair is keyed by it too, so one organisation's events never answer
    // for another's namespace.
    const roots = [...perRoot].filter(([, count]) => count >= LOG_THRESHOLD).map(([root]) => root as Hex);
    if (roots.length === 0) return list;
    let logs: Awaited<ReturnType<typeof client.getLogs>>;
    try {
      logs = await client.getLogs({
        address: registry,
        events: LEAF_EVENTS,
        args: { root: roots } as never,
        fromBlock: parameters.fromBlock ?? 0n,
        toBlock: blockNumber,
      } as never);
    } catch {
      return list;
    }
    const revoked = new Set<string>();
    const replaced = new Map<string, Hex>();
    for (const log of logs as unknown as {
      eventName: string;
      args: { organisationId: number; root: Hex; leaf: Hex; replacement?: Hex };
    }[]) {
      const pair = `${Number(log.args.organisationId)}:${log.args.root.toLowerCase()}:${log.args.leaf.toLowerCase()}`;
      if (log.eventName === "BatchLeafRevoked") revoked.add(pair);
      else if (log.eventName === "CredentialSuperseded" && log.args.replacement)
        replaced.set(pair, log.args.replacement);
    }
    const rootSet = new Set(roots);
    const rest: RegistryQuery[] = [];
    for (const query of list) {
      if (
        (query.kind === "leafRevocation" || query.kind === "supersededBy") &&
        rootSet.has(query.root.toLowerCase() as Hex)
      ) {
        const pair = `${query.organisationId}:${query.root.toLowerCase()}:${query.leaf.toLowerCase()}`;
        if (query.kind === "supersededBy")
          values.set(queryKey(query), replaced.get(pair) ?? emptyValue(query));
        else if (revoked.has(pair)) rest.push(query);
        else values.set(queryKey(query), emptyValue(query));
      } else {
        rest.push(query);
      }
    }
    return rest;
  }

  /** Metadata histories, from the registry's events (one `eth_getLogs` for all of them). */
  async function readHistories(list: RegistryQuery[], blockNumber: bigint): Promise<RegistryQuery[]> {
    const histories = list.filter((q) => q.kind === "metadataHistory");
    if (histories.length === 0) return list;
    const logs = (await client.getLogs({
      address: registry,
      events: HISTORY_EVENTS,
      fromBlock: parameters.fromBlock ?? 0n,
      toBlock: blockNumber,
    } as never)) as unknown as { eventName: string; args: Record<string, unknown> }[];
    const metadata = new Map<bigint, Hex[]>();
    for (const { args } of logs) {
      const id = BigInt(args.eventId as bigint);
      metadata.set(id, [...(metadata.get(id) ?? []), args.metadataHash as Hex]);
    }
    for (const query of histories) {
      values.set(queryKey(query), metadata.get((query as { eventId: bigint }).eventId) ?? []);
    }
    return list.filter((q) => q.kind !== "metadataHistory");
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
      try {
        const views = await readHistories([...pending.values()], blockNumber);
        const list = await resolveLeavesByLogs(views, blockNumber);
        await readAll(list, blockNumber, chunkSize);
        // One more try, in smaller pieces, for whatever a busy node did not answer.
        const missing = list.filter((query) => !values.has(queryKey(query)));
        if (missing.length > 0) await readAll(missing, blockNumber, Math.max(1, Math.floor(chunkSize / 4)));
      } catch (error) {
        throw new RegistryReadError(`The registry could not be read: ${describe(error)}`, { cause: error });
      }
      const stillMissing = [...pending.values()].filter((query) => !values.has(queryKey(query)));
      if (stillMissing.length > 0) {
        throw new RegistryReadError(
          `The registry could not be read (${stillMissing.length} value(s)): ${describe(lastFailure)}`,
          { cause: lastFailure },
        );
      }
    },

    get(query) {
      return values.get(queryKey(query)) as never;
    },
  };
}
