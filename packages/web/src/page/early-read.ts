// The verifier reader's first request, answered from verify-early.js's early read (see early.ts) when it is the
// same request. Only types are imported: nothing here runs before the page's own code.

import type { JsonRpcCall } from "@intyg/verifier/context-read";

/** The early read: where it was sent, each call's key (by its id), and the node's answers. */
export type EarlyRead = { rpcUrl: string; keys: string[]; answers: Promise<unknown> };

/** Where verify-early.js leaves its read for the page's script. */
export const EARLY_READ_KEY = "intygEarlyRead";

/**
 * A call's method and parameters, as compared between the early read and the reader's request: hex in either
 * case is the same value (the verifier may write the registry's address checksummed, the page's tag not).
 */
export const keyOf = (call: JsonRpcCall) =>
  JSON.stringify([call.method, call.params ?? []], (_, value: unknown) =>
    typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value,
  );

/** The early read, taken once: only the first request that asks the same may be answered with it. */
function takeEarlyRead(): EarlyRead | undefined {
  const store = globalThis as Record<string, unknown>;
  const read = store[EARLY_READ_KEY] as EarlyRead | undefined;
  if (read === undefined) return undefined;
  delete store[EARLY_READ_KEY];
  return read;
}

/** Taken at the first request (an early read not there by then is not waited for); null once used. */
let early: EarlyRead | null | undefined;

/** The node's answer to each of `asked` from the early read, under `asked`'s ids; undefined when it has none. */
async function answer(read: EarlyRead, asked: { id: unknown }[]): Promise<unknown[] | undefined> {
  const answers = await read.answers;
  if (!Array.isArray(answers) || answers.length !== read.keys.length) return undefined;
  const byKey = new Map<string, Record<string, unknown>>();
  for (const item of answers as Record<string, unknown>[]) {
    const index = item?.id;
    if (typeof index !== "number" || !read.keys[index] || !("result" in item || "error" in item))
      return undefined;
    byKey.set(read.keys[index]!, item);
  }
  const out: unknown[] = [];
  for (const request of asked) {
    const item = byKey.get(keyOf(request as unknown as JsonRpcCall));
    if (!item) return undefined;
    out.push({ ...item, id: request.id });
  }
  return out;
}

/** Whether two URLs are the same once resolved (viem's transport writes `http://host:port` as `http://host:port/`). */
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a, location.href).href === new URL(b, location.href).href;
  } catch {
    return false;
  }
}

/**
 * `fetch` for the verifier's reader: its first request that asks exactly what the early read asked (same URL,
 * same calls) gets the node's answers to the early read; every other request, and that one when the early read
 * has no answers, is sent as it is.
 */
export const earlyFetch: typeof fetch = async (input, init) => {
  if (early === undefined) early = takeEarlyRead() ?? null;
  const read = early;
  if (read && sameUrl(String(input), read.rpcUrl) && typeof init?.body === "string") {
    let asked: unknown;
    try {
      asked = JSON.parse(init.body);
    } catch {
      asked = undefined;
    }
    const keys = Array.isArray(asked) ? (asked as JsonRpcCall[]).map(keyOf).sort() : [];
    if (keys.length > 0 && JSON.stringify(keys) === JSON.stringify([...read.keys].sort())) {
      early = null;
      const out = await answer(read, asked as { id: unknown }[]);
      if (out) return new Response(JSON.stringify(out), { headers: { "content-type": "application/json" } });
    }
  }
  return fetch(input, init);
};
