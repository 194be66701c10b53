// The pages' files, gzipped for a browser that accepts it, compressed once per text rather than per request: the
// verifier page's script is 467 KB as text and 140 KB gzipped, and a phone on a slow network waits for every
// byte of it before its verdict.

import { gzipSync } from "node:zlib";
import type { Context } from "hono";

/** Texts compressed so far, by their content (a page is built once; a reconfigured one replaces its HTML). */
const cache = new Map<string, Uint8Array<ArrayBuffer>>();
const CACHE_ENTRIES = 32;

/** Whether `accept-encoding` allows gzip (listed, and not with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? "").split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function gzipped(text: string): Uint8Array<ArrayBuffer> {
  let body = cache.get(text);
  if (body === undefined) {
    body = new Uint8Array(gzipSync(text, { level: 9 }));
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    cache.set(text, body);
  }
  return body;
}

/** Sends `text` as `type`, gzipped when the request accepts it. */
export function sendText(c: Context, text: string, type: string): Response {
  c.header("content-type", type);
  c.header("vary", "accept-encoding");
  if (!acceptsGzip(c.req.header("accept-encoding"))) return c.body(text);
  c.header("content-encoding", "gzip");
  return c.body(gzipped(text));
}
