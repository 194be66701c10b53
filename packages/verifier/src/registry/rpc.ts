// Reads the registry from a JSON-RPC node. All the reads of a run are pinned to one block and sent
// together: a deployless multicall (one `eth_call` per hundred or so reads, no multicall contract needed on
// the chain), over a batching HTTP transport. Every value is read once per reader.

import {
  intygRegistryReadAbi,
  type RegistryViewKind,
  readRegistryView,
  readRegistryViews,
  registryViewCall,
  ZERO_ADDRESS,
} from "@intyg/registry";
import {
  type AbiParameter,
  type Address,
  BaseError,
  type Client,
  createClient,
  createPublicClient,
  ExecutionRevertedError,
  getAbiItem,
  type Hex,
  http,
  type PublicClient,
} from "viem";
import { call, getBlock, getChainId, getLogs } from "viem/actions";
import { REGISTRY_PROBE } from "../early";
import { RegistryReadError } from "../errors";
import {
  emptyValue,
  queryKey,
  type ReaderContext,
  type RegistryQuery,
  type RegistryReader,
  type RegistryValue,
  type RegistryViewQuery,
} from "./state";

export type CreateRpcReaderParameters = {
  registry: Address;
  /** The node's JSON-RPC URL (http or https). Ignored when `client` is given. */
  rpcUrl?: string;
  /** A viem client to use instead of `rpcUrl` (a public client, or one of {@link createReadClient}). */
  client?: Client;
  /** Read at this block instead of the latest. */
  blockNumber?: bigint;
  /**
   * How reads are grouped: `deployless` runs a multicall in a single `eth_call` without a deployed contract;
   * `calls` sends one `eth_call` per read, in JSON-RPC batches; an address uses that Multicall3. By default
   * fewer than {@link FEW_READS} reads go as `calls`, more `deployless`.
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

const HISTORY_EVENTS = [
  getAbiItem({ abi: intygRegistryReadAbi, name: "EventCreated" }),
  getAbiItem({ abi: intygRegistryReadAbi, name: "EventMetadataUpdated" }),
] as const;

const LEAF_EVENTS = [
  getAbiItem({ abi: intygRegistryReadAbi, name: "BatchLeafRevoked" }),
  getAbiItem({ abi: intygRegistryReadAbi, name: "CredentialSuperseded" }),
] as const;

/**
 * A deployless multicall sends Multicall3's creation code with every `eth_call` (8 KB as hex): below this many
 * reads, single `eth_call`s in one JSON-RPC batch send less (a verifier page's one credential needs about 15
 * reads: 16 KB up as a multicall, a tenth of a second at a phone's 750 kbit/s, 5 KB as calls). Both are one
 * HTTP request, pinned to one block. Decided per run of reads, so that a large run stays in multicalls to its
 * last one.
 */
export const FEW_READS = 32;

/** The most result bytes one deployless multicall may return: EIP-170's 24,576, less a margin. */
const MAX_DEPLOYLESS_RESULT_BYTES = 24_000;
/** Multicall3's `Result[]` encoding: the array's offset and length, then per read its offset, `success`, the
 * offset and length of `returnData`, and the data itself. */
const RESULT_HEAD_BYTES = 64;
const RESULT_ENTRY_BYTES = 4 * 32;

function wordsOf(parameter: AbiParameter): number {
  if (parameter.type === "tuple" && "components" in parameter) {
    return parameter.components.reduce((sum, component) => sum + wordsOf(component), 0);
  }
  return 1;
}

/** The words a registry function's result takes, from its ABI (one for a function it does not have). */
function returnWords(functionName: string): number {
  for (const item of intygRegistryReadAbi) {
    if (item.type === "function" && item.name === functionName) {
      const outputs: readonly AbiParameter[] = item.outputs;
      return outputs.reduce((sum, output) => sum + wordsOf(output), 0);
    }
  }
  return 1;
}

const returnBytesByKind = new Map<RegistryViewKind, number>();

/** A profile history's result allowance: its offset and length, and this many versions of two words each. */
const PROFILE_VERSIONS_ALLOWED = 8;

/** The bytes one read adds to a multicall's result (every other view the verifier reads returns static values). */
function resultBytes(query: RegistryViewQuery): number {
  if (query.kind === "profileHistory") return RESULT_ENTRY_BYTES + 64 + 64 * PROFILE_VERSIONS_ALLOWED;
  let bytes = returnBytesByKind.get(query.kind);
  if (bytes === undefined) {
    bytes = 32 * returnWords(registryViewCall(ZERO_ADDRESS, query).functionName);
    returnBytesByKind.set(query.kind, bytes);
  }
  return RESULT_ENTRY_BYTES + bytes;
}

export type ReadClientOptions = {
  /** How long a request may take (default 30 s). */
  timeoutMs?: number;
  /** The fetch to send requests with (default: the global one), e.g. `primedFetch` of `@intyg/verifier/early`. */
  fetchFn?: typeof fetch;
};

const transportOf = (rpcUrl: string, options: ReadClientOptions = {}) =>
  http(rpcUrl, {
    batch: { batchSize: 500, wait: 0 },
    timeout: options.timeoutMs ?? 30_000,
    retryCount: 1,
    ...(options.fetchFn ? { fetchFn: options.fetchFn } : {}),
  });

/** Creates a viem public client for a URL with JSON-RPC batching on. */
export function createRegistryClient(rpcUrl: string, timeoutMs = 30_000): PublicClient {
  return createPublicClient({ transport: transportOf(rpcUrl, { timeoutMs }) });
}

/**
 * The same transport without a public client's methods: the readers call the few viem actions they use as
 * functions, so that a browser bundle holds those actions only (a public client's methods bring in every action
 * viem has, about a fifth of the verifier page's script).
 */
export function createReadClient(rpcUrl: string, options: ReadClientOptions = {}): Client {
  return createClient({ transport: transportOf(rpcUrl, options) });
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
  const client: Client =
    parameters.client ??
    createReadClient(parameters.rpcUrl!, {
      ...(parameters.timeoutMs === undefined ? {} : { timeoutMs: parameters.timeoutMs }),
    });
  const registry = parameters.registry;
  // A deployless multicall is contract creation code, which EIP-3860 caps at 49,152 bytes: about 150 reads.
  const chunkSize = parameters.chunkSize ?? 120;
  const values = new Map<string, RegistryValue<RegistryQuery>>();
  let contextPromise: Promise<ReaderContext> | undefined;

  /**
   * Whether there is a contract at the registry's address, asked as a call of ERC-165's `supportsInterface`,
   * which the registry answers with one word: `eth_getCode` would send its whole code (45 KB, a quarter of a
   * second on a phone's slow network, before any credential can be read). An address without code answers
   * nothing; a contract that is not the registry may revert.
   */
  async function hasCode(): Promise<boolean> {
    try {
      const { data } = await call(client, {
        to: registry,
        data: REGISTRY_PROBE,
        ...(parameters.blockNumber === undefined ? {} : { blockNumber: parameters.blockNumber }),
      });
      return data !== undefined && data !== "0x";
    } catch (error) {
      if (error instanceof BaseError && error.walk((e) => e instanceof ExecutionRevertedError)) return false;
      throw error;
    }
  }

  async function readContext(): Promise<ReaderContext> {
    try {
      const [chainId, block, deployed] = await Promise.all([
        getChainId(client),
        parameters.blockNumber === undefined
          ? getBlock(client, { blockTag: "latest" })
          : getBlock(client, { blockNumber: parameters.blockNumber }),
        hasCode(),
      ]);
      if (!deployed) {
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

  async function readChunk(
    views: RegistryViewQuery[],
    blockNumber: bigint,
    mode: "deployless" | "calls" | Address,
  ): Promise<void> {
    if (mode === "calls") {
      const results = await Promise.allSettled(
        views.map((view) => readRegistryView(client, { address: registry, view, blockNumber })),
      );
      results.forEach((result, i) => {
        if (result.status === "fulfilled") values.set(queryKey(views[i]!), result.value);
        else lastFailure = result.reason;
      });
      return;
    }
    const results = await readRegistryViews(client, {
      address: registry,
      views,
      blockNumber,
      multicall: mode,
    });
    results.forEach((result, i) => {
      if (result.status === "success") values.set(queryKey(views[i]!), result.value);
      else lastFailure = result.error;
    });
  }

  async function readAll(list: RegistryViewQuery[], blockNumber: bigint, size: number): Promise<void> {
    // A deployless multicall hands its results back as the code of the contract it "deploys", which EIP-170
    // caps at 24,576 bytes (nodes refuse more: "code is too large"): chunks fit that as well as `size` reads.
    const mode = parameters.multicall ?? (list.length < FEW_READS ? "calls" : "deployless");
    const budget = mode === "deployless" ? MAX_DEPLOYLESS_RESULT_BYTES : Infinity;
    const chunks: RegistryViewQuery[][] = [];
    let chunk: RegistryViewQuery[] = [];
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
    await Promise.all(chunks.map((c) => readChunk(c, blockNumber, mode)));
  }

  /**
   * For roots with many leaves in this run, the registry's own events say which leaves were revoked or
   * superseded: one `eth_getLogs` for all such roots instead of two reads per leaf. Leaves without an event
   * read as zero (what the views return); the few revoked leaves are then read from the view. Returns the
   * queries still to read, or all of them when the node refuses the log query.
   */
  async function resolveLeavesByLogs(
    list: RegistryViewQuery[],
    blockNumber: bigint,
  ): Promise<RegistryViewQuery[]> {
    const perRoot = new Map<string, number>();
    for (const query of list) {
      if (query.kind === "leafRevocation" || query.kind === "supersededBy") {
        const root = query.root.toLowerCase();
        perRoot.set(root, (perRoot.get(root) ?? 0) + 1);
      }
    }
    // Events name the organisation: a pair is keyed by it too, so one organisation's events never answer
    // for another's namespace.
    const roots = new Set([...perRoot].filter(([, count]) => count >= LOG_THRESHOLD).map(([root]) => root));
    if (roots.size === 0) return list;
    let logs: Awaited<ReturnType<typeof readLeafLogs>>;
    try {
      logs = await readLeafLogs(blockNumber);
    } catch {
      return list;
    }
    const revoked = new Set<string>();
    const replaced = new Map<string, Hex>();
    for (const log of logs) {
      const { organisationId, root, leaf } = log.args;
      if (!root || !roots.has(root.toLowerCase())) continue;
      const pair = `${Number(organisationId)}:${root.toLowerCase()}:${leaf!.toLowerCase()}`;
      if (log.eventName === "BatchLeafRevoked") revoked.add(pair);
      else if (log.args.replacement) replaced.set(pair, log.args.replacement);
    }
    const rest: RegistryViewQuery[] = [];
    for (const query of list) {
      if (
        (query.kind === "leafRevocation" || query.kind === "supersededBy") &&
        roots.has(query.root.toLowerCase())
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

  // The leaf events up to the reader's block, read once: a run read in parts (a large run's chunks) asks for
  // them with every part that holds many leaves of a batch. A failed read is not kept, so a later part retries.
  let leafLogs: { blockNumber: bigint; logs: ReturnType<typeof getLeafLogs> } | undefined;

  /** Every leaf revocation and supersession of the registry up to `blockNumber`. */
  function readLeafLogs(blockNumber: bigint) {
    if (leafLogs?.blockNumber !== blockNumber) {
      const logs = getLeafLogs(blockNumber);
      leafLogs = { blockNumber, logs };
      logs.catch(() => {
        if (leafLogs?.logs === logs) leafLogs = undefined;
      });
    }
    return leafLogs.logs;
  }

  function getLeafLogs(blockNumber: bigint) {
    return getLogs(client, {
      address: registry,
      events: LEAF_EVENTS,
      fromBlock: parameters.fromBlock ?? 0n,
      toBlock: blockNumber,
    });
  }

  /** Metadata histories, from the registry's events (one `eth_getLogs` for all of them); the views to read. */
  async function readHistories(list: RegistryQuery[], blockNumber: bigint): Promise<RegistryViewQuery[]> {
    const views: RegistryViewQuery[] = [];
    const histories: { kind: "metadataHistory"; eventId: bigint }[] = [];
    for (const query of list) {
      if (query.kind === "metadataHistory") histories.push(query);
      else views.push(query);
    }
    if (histories.length === 0) return views;
    const logs = await getLogs(client, {
      address: registry,
      events: HISTORY_EVENTS,
      fromBlock: parameters.fromBlock ?? 0n,
      toBlock: blockNumber,
    });
    const metadata = new Map<bigint, Hex[]>();
    for (const { args } of logs) {
      const id = BigInt(args.eventId!);
      metadata.set(id, [...(metadata.get(id) ?? []), args.metadataHash!]);
    }
    for (const query of histories) values.set(queryKey(query), metadata.get(query.eventId) ?? []);
    return views;
  }

  // The reads asked for and not yet answered, by key: a load that needs one of them waits for it instead of asking
  // again (a run's claimed reads, then its checked credentials' own).
  const inFlight = new Map<string, Promise<void>>();

  /** Reads `list` at `blockNumber`, once more in smaller pieces for what a busy node did not answer. */
  async function readQueries(list: RegistryQuery[], blockNumber: bigint): Promise<void> {
    try {
      const views = await readHistories(list, blockNumber);
      const rest = await resolveLeavesByLogs(views, blockNumber);
      await readAll(rest, blockNumber, chunkSize);
      // One more try, in smaller pieces, for whatever a busy node did not answer.
      const missing = rest.filter((query) => !values.has(queryKey(query)));
      if (missing.length > 0) await readAll(missing, blockNumber, Math.max(1, Math.floor(chunkSize / 4)));
    } catch (error) {
      throw new RegistryReadError(`The registry could not be read: ${describe(error)}`, { cause: error });
    }
    const stillMissing = list.filter((query) => !values.has(queryKey(query)));
    if (stillMissing.length > 0) {
      throw new RegistryReadError(
        `The registry could not be read (${stillMissing.length} value(s)): ${describe(lastFailure)}`,
        { cause: lastFailure },
      );
    }
  }

  return {
    context() {
      contextPromise ??= readContext();
      return contextPromise;
    },

    async load(queries) {
      const { blockNumber } = await this.context();
      const pending = new Map<string, RegistryQuery>();
      const others = new Set<Promise<void>>();
      for (const query of queries) {
        const key = queryKey(query);
        if (values.has(key)) continue;
        const flight = inFlight.get(key);
        if (flight) others.add(flight);
        else pending.set(key, query);
      }
      const own = pending.size > 0 ? readQueries([...pending.values()], blockNumber) : undefined;
      if (own) {
        const settled = own.then(
          () => undefined,
          () => undefined,
        );
        for (const key of pending.keys()) inFlight.set(key, settled);
        void settled.then(() => {
          for (const key of pending.keys()) if (inFlight.get(key) === settled) inFlight.delete(key);
        });
      }
      await Promise.all([own, ...others]);
      // What another load was reading and did not get is read here, as it would have been without that load.
      const rest = new Map<string, RegistryQuery>();
      for (const query of queries) {
        const key = queryKey(query);
        if (!values.has(key) && !pending.has(key)) rest.set(key, query);
      }
      if (rest.size > 0) await readQueries([...rest.values()], blockNumber);
    },

    get<Q extends RegistryQuery>(query: Q) {
      // The cache holds each query's value under its key, as read or decoded for that query.
      return values.get(queryKey(query)) as RegistryValue<Q> | undefined;
    },
  };
}
