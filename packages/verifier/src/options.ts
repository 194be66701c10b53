// The options of a verification, and the registry readers they lead to.

import { createSignerCache, type SignerCache } from "@intyg/credential";
import { type Address, type Client, isAddressEqual } from "viem";
import { getBlock, getChainId } from "viem/actions";
import type { ChainView } from "./chain-checks";
import { RegistryReadError } from "./errors";
import { DEFAULT_INPUT_LIMITS, type InputLimits } from "./input";
import { createReadClient, createRpcReader } from "./registry/rpc";
import {
  createSnapshotReader,
  type ParsedSnapshot,
  parseSnapshot,
  type RegistrySnapshot,
} from "./registry/snapshot";
import type { ReaderContext, RegistryQuery, RegistryReader } from "./registry/state";
import type { Lang, TrustSource } from "./types";

export type VerifyOptions = {
  /** The language of the report's messages (default Swedish). */
  lang?: Lang;
  /** The JSON-RPC URL of a node of the registry's chain. */
  rpcUrl?: string;
  /** A viem client (a public client, or one of `createReadClient`), instead of `rpcUrl`. */
  client?: Client;
  /**
   * The registry the verifier trusts (its governance decides who may issue). Without it, each credential's own
   * registry is read, but the issuer check fails (`untrusted-registry`) unless `trustCredentialRegistry` is set:
   * anyone can deploy a registry and accredit themselves in it.
   */
  registry?: Address;
  /**
   * The chain id the verifier trusts. When set, a node on another chain, or a snapshot of another chain, is
   * refused (`wrong-chain`) before any of its answers is used.
   */
  chainId?: number;
  /**
   * Who chose `registry` and `chainId`, for the report's trust anchor (default `caller`, or `none` when no
   * registry is given). `detail` names it, e.g. the configuration file's path.
   */
  trustSource?: { source: TrustSource; detail?: string };
  /** Accept the registry a credential names when no `registry` is given (development only). */
  trustCredentialRegistry?: boolean;
  /** Verify offline against a recorded snapshot (an object or its JSON text): no network at all. */
  snapshot?: RegistrySnapshot | ParsedSnapshot | string;
  /** A reader to use (and share across runs), instead of `rpcUrl`, `client` or `snapshot`. */
  reader?: RegistryReader;
  /** The time to check validity against (default now). */
  now?: Date | number;
  /** Recovered signers by digest and signature; share one across runs to keep recoveries. */
  signerCache?: SignerCache;
  /** Compare the issuer profile and the achievement with their hashes in the registry (default true). */
  checkMetadata?: boolean;
  /** Input size limits. */
  limits?: Partial<InputLimits>;
  /**
   * Read the node at this block instead of the latest (with `rpcUrl` or `client`): how the threads of a parallel
   * run all read the one block their run pinned.
   */
  blockNumber?: bigint;
};

export type ResolvedOptions = {
  lang: Lang;
  /** Whether a registry named only by the credential is accepted. */
  trustCredentialRegistry: boolean;
  now: number;
  nowIso: string;
  signerCache: SignerCache;
  checkMetadata: boolean;
  limits: InputLimits;
  /** The registry and chain the verifier pinned, and who chose them. */
  trust: { source: TrustSource; detail?: string; registry?: Address; chainId?: number };
};

export function resolveOptions(options: VerifyOptions): ResolvedOptions {
  const nowMs =
    options.now === undefined
      ? Date.now()
      : typeof options.now === "number"
        ? options.now
        : options.now.getTime();
  const safeNow = Number.isFinite(nowMs) ? nowMs : Date.now();
  return {
    lang: options.lang === "en" ? "en" : "sv",
    trustCredentialRegistry: options.trustCredentialRegistry === true,
    now: Math.floor(safeNow / 1000),
    nowIso: new Date(safeNow).toISOString(),
    signerCache: options.signerCache ?? createSignerCache(),
    checkMetadata: options.checkMetadata ?? true,
    limits: { ...DEFAULT_INPUT_LIMITS, ...options.limits },
    trust: {
      source:
        options.trustSource?.source ??
        (options.registry ? "caller" : options.trustCredentialRegistry ? "credential" : "none"),
      ...(options.trustSource?.detail ? { detail: options.trustSource.detail } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.chainId !== undefined ? { chainId: options.chainId } : {}),
    },
  };
}

/** A reader's failure as a reason code and a short detail (a damaged snapshot may hold very long keys). */
function describe(error: unknown): { code: string; detail: string } {
  const text = (message: string) => (message.length > 300 ? `${message.slice(0, 300)}…` : message);
  if (error instanceof RegistryReadError) return { code: error.reason, detail: text(error.message) };
  return { code: "read-failed", detail: text(error instanceof Error ? error.message : String(error)) };
}

/** Why a reader's answers were refused before any was used: it is not of the chain or registry the verifier pinned. */
export type PinMismatch = {
  code: "wrong-chain" | "wrong-registry" | "snapshot-not-on-chain";
  source: "rpc" | "snapshot";
  expected: string;
  actual: string;
};

/** Compares a reader's context with what the verifier pinned (registry and chain id). */
function checkPinned(context: ReaderContext, options: VerifyOptions): PinMismatch | undefined {
  if (options.chainId !== undefined && context.chainId !== options.chainId) {
    return {
      code: "wrong-chain",
      source: context.source,
      expected: String(options.chainId),
      actual: String(context.chainId),
    };
  }
  if (options.registry && !isAddressEqual(context.registry, options.registry)) {
    return {
      code: "wrong-registry",
      source: context.source,
      expected: options.registry,
      actual: context.registry,
    };
  }
  return undefined;
}

/**
 * With a snapshot and a node both given: the node (which the verifier trusts) must have the snapshot's block
 * with the snapshot's hash, or the snapshot is of another chain, or invented. A node that cannot be reached
 * leaves the snapshot unchecked (that is what offline means); the report's chain note says so.
 */
async function checkSnapshotOnNode(
  snapshot: ReaderContext,
  options: VerifyOptions,
): Promise<PinMismatch | "unchecked" | "matched"> {
  if (!options.rpcUrl && !options.client) return "unchecked";
  try {
    const client = options.client ?? createReadClient(options.rpcUrl!);
    const [chainId, block] = await Promise.all([
      getChainId(client),
      getBlock(client, { blockNumber: snapshot.blockNumber }).catch(() => undefined),
    ]);
    if (chainId !== snapshot.chainId) {
      return {
        code: "wrong-chain",
        source: "snapshot",
        expected: String(chainId),
        actual: String(snapshot.chainId),
      };
    }
    if (!block || !snapshot.blockHash || block.hash?.toLowerCase() !== snapshot.blockHash.toLowerCase()) {
      return {
        code: "snapshot-not-on-chain",
        source: "snapshot",
        expected: block?.hash ?? "—",
        actual: snapshot.blockHash ?? "—",
      };
    }
    return "matched";
  } catch {
    return "unchecked";
  }
}

type ReaderEntry = { reader: RegistryReader; source: "options" | "credential" };

/** What the parts of one run share (see {@link ChainViews.next}). */
type CarriedViews = {
  readers: Map<string, ReaderEntry>;
  shared?: RegistryReader | undefined;
  sharedFailure?: { code: string; detail: string } | undefined;
  snapshotCheck?: Promise<PinMismatch | "unchecked" | "matched"> | undefined;
};

/**
 * Gives each registry a reader for one run: the options' reader or snapshot, or an RPC reader per registry
 * (the trusted one, or each credential's own when none is set). A reader whose chain or registry is not the
 * pinned one is refused before any of its answers is used.
 */
export class ChainViews {
  private readonly readers: Map<string, ReaderEntry> = new Map();
  private readonly failures = new Map<string, { code: string; detail: string }>();
  private readonly shared?: RegistryReader;
  private readonly sharedFailure?: { code: string; detail: string };
  private snapshotCheck?: Promise<PinMismatch | "unchecked" | "matched">;
  /** Registries whose reader could not give its chain context in this part of the run. */
  private readonly broken = new Set<string>();

  constructor(
    private readonly options: VerifyOptions,
    carried?: CarriedViews,
  ) {
    if (carried) {
      this.readers = carried.readers;
      this.shared = carried.shared;
      this.sharedFailure = carried.sharedFailure;
      this.snapshotCheck = carried.snapshotCheck;
    } else if (options.reader) this.shared = options.reader;
    else if (options.snapshot !== undefined) {
      try {
        const given = options.snapshot;
        const parsed =
          typeof given === "object" && "values" in given && given.values instanceof Map
            ? given
            : parseSnapshot(given);
        this.shared = createSnapshotReader(parsed);
        this.snapshotCheck = checkSnapshotOnNode(parsed.context, options);
      } catch (error) {
        this.sharedFailure = { code: "bad-snapshot", detail: describe(error).detail };
      }
    }
  }

  /**
   * The views for the next part of the same run (the chunks of a large run on one thread): every reader that
   * answered is kept, with what it read, so that a value is read once per run; a registry whose reads or chain
   * context failed in this part gets a new reader, so that its failure holds for this part only, as when each
   * part was verified on its own.
   */
  next(): ChainViews {
    const readers = new Map(
      [...this.readers].filter(([key]) => !this.failures.has(key) && !this.broken.has(key)),
    );
    return new ChainViews(this.options, {
      readers,
      shared: this.shared,
      sharedFailure: this.sharedFailure,
      snapshotCheck: this.snapshotCheck,
    });
  }

  /**
   * Starts reading the trusted registry's chain context (chain id, block, code) from the node now, so that it is
   * known by the time the inputs are prepared: the registry reads that follow need it, and on a slow network
   * each round trip costs more than preparing a credential. Nothing of a credential is sent. Whether a read
   * started (only with a node and a trusted registry); its failure is reported where the context is used.
   */
  prefetchContext(): boolean {
    if (this.shared || this.sharedFailure || !this.options.registry) return false;
    const entry = this.entry(this.options.registry);
    if (!entry) return false;
    entry.reader.context().catch(() => undefined);
    return true;
  }

  /**
   * Resolves once the chain context of every node reader in use has been read (or has failed), when the reads
   * waiting for it are asked for: whether there is any (none with a snapshot or a reader given).
   */
  async nodeContexts(): Promise<boolean> {
    if (this.shared || this.sharedFailure || this.readers.size === 0) return false;
    await Promise.allSettled([...this.readers.values()].map(({ reader }) => reader.context()));
    return true;
  }

  /** For a snapshot also given a node: whether the node confirmed the snapshot's block. */
  async snapshotConfirmed(): Promise<"unchecked" | "matched" | undefined> {
    const result = await this.snapshotCheck;
    return typeof result === "string" ? result : undefined;
  }

  private entry(registry: Address) {
    if (this.shared) return { reader: this.shared, source: "options" as const };
    if (!this.options.rpcUrl && !this.options.client) return undefined;
    const trusted = this.options.registry ?? registry;
    const key = trusted.toLowerCase();
    let entry = this.readers.get(key);
    if (!entry) {
      const reader = createRpcReader({
        registry: trusted,
        ...(this.options.client ? { client: this.options.client } : { rpcUrl: this.options.rpcUrl! }),
        ...(this.options.blockNumber === undefined ? {} : { blockNumber: this.options.blockNumber }),
      });
      entry = { reader, source: this.options.registry ? "options" : "credential" };
      this.readers.set(key, entry);
    }
    return entry;
  }

  /**
   * Starts reading what a document claims its checks will need from the node, before they run: only from the
   * trusted registry's reader (so a document cannot have another registry read), and a failure is not kept as
   * the run's (the reads its checked target names are asked for again, and fail or succeed on their own). The
   * promise, which never rejects, settles when the reads have; undefined when nothing was asked for.
   */
  preload(requests: { registry: Address; queries: RegistryQuery[] }[]): Promise<void> | undefined {
    const trusted = this.options.registry;
    if (this.shared || this.sharedFailure || !trusted) return undefined;
    const queries = requests.flatMap((request) =>
      request.registry.toLowerCase() === trusted.toLowerCase() ? request.queries : [],
    );
    const entry = queries.length > 0 ? this.entry(trusted) : undefined;
    if (!entry) return undefined;
    return (async () => {
      try {
        const context = await entry.reader.context();
        if (!checkPinned(context, this.options)) await entry.reader.load(queries);
      } catch {
        // A hint only: the run's own reads report what failed.
      }
    })();
  }

  /** Loads every query, grouped by reader, in as few round trips as the readers allow. */
  async load(requests: { registry: Address; queries: RegistryQuery[] }[]): Promise<void> {
    const byReader = new Map<RegistryReader, { key: string; queries: RegistryQuery[] }>();
    for (const { registry, queries } of requests) {
      const entry = this.entry(registry);
      if (!entry) continue;
      const group = byReader.get(entry.reader) ?? { key: this.keyOf(registry), queries: [] };
      group.queries.push(...queries);
      byReader.set(entry.reader, group);
    }
    await Promise.all(
      [...byReader].map(async ([reader, { key, queries }]) => {
        try {
          const context = await reader.context();
          // Nothing is asked of a node or snapshot that is not the pinned one.
          if (checkPinned(context, this.options)) return;
          await reader.load(queries);
        } catch (error) {
          this.failures.set(key, describe(error));
        }
      }),
    );
  }

  private keyOf(registry: Address): string {
    return this.shared ? "shared" : (this.options.registry ?? registry).toLowerCase();
  }

  /** The view of the chain for a credential of `registry` (after {@link load}). */
  async view(registry: Address): Promise<ChainView> {
    if (this.sharedFailure) return { status: "unavailable", ...this.sharedFailure };
    const entry = this.entry(registry);
    if (!entry) return { status: "none" };
    const failure = this.failures.get(this.keyOf(registry));
    if (failure) return { status: "unavailable", ...failure };
    try {
      const context = await entry.reader.context();
      const mismatch = checkPinned(context, this.options);
      if (mismatch) return { status: "mismatch", ...mismatch };
      const onNode = await this.snapshotCheck;
      if (onNode && typeof onNode === "object") return { status: "mismatch", ...onNode };
      return { status: "ready", reader: entry.reader, context, registrySource: entry.source };
    } catch (error) {
      this.broken.add(this.keyOf(registry));
      return { status: "unavailable", ...describe(error) };
    }
  }
}
