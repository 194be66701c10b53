// The chain context a verification against a node reads first (the chain id, the latest block, and whether the
// registry has code), asked for before the verifier has loaded. A page whose script is large can send this one
// batch from a small script of its own as soon as its HTML is read, while the large one still downloads, and
// give the answer to the verifier's node client (`primedFetch`): the client then takes its first, identical
// batch from that answer instead of sending it, and the verifier checks what it got exactly as it checks what
// the node answers. Nothing of a credential is sent. No viem here, so that the small script stays small.

/** One JSON-RPC call. */
export type RpcCall = { method: string; params?: readonly unknown[] };

/**
 * What the registry reader asks to learn that the registry has code: ERC-165's `supportsInterface(0x01ffc9a7)`,
 * true from any ERC-165 contract, the registry among them, and one word to send back (its code would be 45 KB).
 */
export const REGISTRY_PROBE = `0x01ffc9a701ffc9a7${"0".repeat(56)}` as const;

/** The batch that reads the chain context of `registry` at the latest block, as the registry reader sends it. */
export function contextCalls(registry: string): RpcCall[] {
  return [
    { method: "eth_chainId" },
    { method: "eth_getBlockByNumber", params: ["latest", false] },
    { method: "eth_call", params: [{ data: REGISTRY_PROBE, to: registry }, "latest"] },
  ];
}

/** The node's answer to an early batch: a result for each call, in their order, and when it arrived. */
export type EarlyAnswer = { results: unknown[]; receivedAt: number };

/** A batch sent early: its calls, and the node's answer (undefined when the node failed or answered an error). */
export type EarlyRead = { calls: RpcCall[]; answer: Promise<EarlyAnswer | undefined> };

export type ReadEarlyOptions = {
  /** The fetch to send it with (default: the global one). */
  fetchFn?: typeof fetch;
  /** The clock stamped on the answer (default `Date.now`). */
  now?: () => number;
};

/** The JSON-RPC request of `calls`, their ids 0, 1, 2… */
function batchBody(calls: readonly RpcCall[]): string {
  return JSON.stringify(
    calls.map((call, id) => ({
      jsonrpc: "2.0",
      id,
      method: call.method,
      ...(call.params ? { params: call.params } : {}),
    })),
  );
}

/** The results of a batch answer in the order of its ids 0…count-1, or undefined unless each has a result. */
function resultsOf(answer: unknown, count: number): unknown[] | undefined {
  if (!Array.isArray(answer) || answer.length !== count) return undefined;
  const results: unknown[] = new Array(count);
  const seen = new Set<number>();
  for (const item of answer) {
    if (!item || typeof item !== "object") return undefined;
    const { id, result } = item as { id?: unknown; result?: unknown };
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= count || seen.has(id))
      return undefined;
    if (result === undefined || "error" in item) return undefined;
    seen.add(id);
    results[id] = result;
  }
  return results;
}

/** Sends `calls` to the node at `rpcUrl` now, as one JSON-RPC batch. Never rejects. */
export function readEarly(rpcUrl: string, calls: RpcCall[], options: ReadEarlyOptions = {}): EarlyRead {
  const fetchFn = options.fetchFn ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = options.now ?? Date.now;
  const answer = (async (): Promise<EarlyAnswer | undefined> => {
    try {
      const response = await fetchFn(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: batchBody(calls),
      });
      if (!response.ok) return undefined;
      const results = resultsOf(await response.json(), calls.length);
      return results ? { results, receivedAt: now() } : undefined;
    } catch {
      return undefined;
    }
  })();
  return { calls, answer };
}

/** A value as compared between calls: keys in order, hex and addresses in lower case. */
function canonical(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(/^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const callKey = (call: { method?: unknown; params?: unknown }) =>
  `${String(call.method)}|${canonical(call.params ?? [])}`;

/** The batch a request body holds, when it holds exactly `calls` in their order (any ids). */
function sameBatch(body: unknown, calls: readonly RpcCall[]): { id: unknown }[] | undefined {
  if (typeof body !== "string" || !body.startsWith("[")) return undefined;
  let requests: unknown;
  try {
    requests = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(requests) || requests.length !== calls.length) return undefined;
  for (let i = 0; i < calls.length; i++) {
    const request = requests[i] as { method?: unknown; params?: unknown } | null;
    if (!request || typeof request !== "object" || callKey(request) !== callKey(calls[i]!)) return undefined;
  }
  return requests as { id: unknown }[];
}

export type PrimedFetchOptions = {
  /** The fetch for everything else (default: the global one). */
  fetchFn?: typeof fetch;
  /** An answer older than this is not used (default 30 s): the node is asked again. */
  maxAgeMs?: number;
  /** The clock the answer's age is read on (default `Date.now`, as {@link readEarly} stamps it). */
  now?: () => number;
};

/**
 * A fetch for the verifier's node client that answers the first request holding the early batch's calls (in
 * their order, with any ids) from the early answer, and sends every other request, or that one too when the
 * early read failed or is older than `maxAgeMs`. The early answer is used at most once.
 */
export function primedFetch(early: EarlyRead, options: PrimedFetchOptions = {}): typeof fetch {
  const fetchFn = options.fetchFn ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const now = options.now ?? Date.now;
  let used = false;
  return async (input, init) => {
    const requests = used ? undefined : sameBatch(init?.body, early.calls);
    if (requests) {
      used = true;
      const answer = await early.answer;
      if (answer && now() - answer.receivedAt <= maxAgeMs) {
        const body = requests.map((request, i) => ({
          jsonrpc: "2.0",
          id: request.id,
          result: answer.results[i],
        }));
        return new Response(JSON.stringify(body), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      }
    }
    return fetchFn(input, init);
  };
}
