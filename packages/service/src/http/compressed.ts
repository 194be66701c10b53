// The pages' files, compressed for a browser that accepts it, once per text rather than per request: the verifier
// page's script is 458 KB as text, 142 KB gzipped and 119 KB with Brotli, and a phone on a slow network waits for
// every byte of it before its verdict. Brotli at its best setting takes most of a second for that script, so it
// runs on libuv's thread pool the first time a text is asked for, and the text goes out gzipped until it is done.

import { brotliCompress, constants, gzipSync } from "node:zlib";
import type { Context } from "hono";

/** Texts compressed so far, by their content (a page is built once; a reconfigured one replaces its HTML). */
const gzipCache = new Map<string, Uint8Array<ArrayBuffer>>();
/** Brotli's, or null while it is being made (or after it failed: the text then stays gzipped). */
const brotliCache = new Map<string, Uint8Array<ArrayBuffer> | null>();
const CACHE_ENTRIES = 32;

/** A content coding the pages' files are sent in. */
export type ContentCoding = "br" | "gzip";

/**
 * The weight `accept-encoding` gives `coding`: its q-value (1 when listed without one), or that of `*` when it is
 * not listed; 0 when neither is.
 */
function weight(header: string | undefined, coding: ContentCoding): number {
  let star = 0;
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name !== coding && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    const accepted = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
    if (name === coding) return accepted;
    star = accepted;
  }
  return star;
}

/** Whether `accept-encoding` allows gzip (listed, or covered by `*`, and not with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  return weight(header, "gzip") > 0;
}

/** The coding to send: Brotli (smaller) unless the header weighs gzip higher; none when it accepts neither. */
export function preferredCoding(header: string | undefined): ContentCoding | undefined {
  const br = weight(header, "br");
  const gzip = weight(header, "gzip");
  if (br > 0 && br >= gzip) return "br";
  return gzip > 0 ? "gzip" : undefined;
}

function remember<T>(cache: Map<string, T>, text: string, value: T): void {
  if (!cache.has(text) && cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(text, value);
}

function gzipped(text: string): Uint8Array<ArrayBuffer> {
  let body = gzipCache.get(text);
  if (body === undefined) {
    body = new Uint8Array(gzipSync(text, { level: 9 }));
    remember(gzipCache, text, body);
  }
  return body;
}

/**
 * Brotli compressions running at once: more wait for a later request (their texts go out gzipped meanwhile), so
 * that texts outnumbering the cache cannot fill the thread pool with compressions whose results it drops.
 */
const BROTLI_AT_ONCE = 2;
let brotliRunning = 0;

/** How many Brotli compressions are running now (at most {@link BROTLI_AT_ONCE}). */
export function brotliCompressionsRunning(): number {
  return brotliRunning;
}

/** The text compressed with Brotli once it has been; the first call starts that and gives undefined. */
function brotli(text: string): Uint8Array<ArrayBuffer> | undefined {
  const body = brotliCache.get(text);
  if (body !== undefined) return body ?? undefined;
  if (brotliRunning >= BROTLI_AT_ONCE) return undefined;
  remember(brotliCache, text, null);
  brotliRunning++;
  compressWithBrotli(text)
    .then(
      (compressed) => {
        // Only if the entry is still this text's (the cache may have started over meanwhile).
        if (brotliCache.get(text) === null) brotliCache.set(text, compressed);
      },
      () => undefined,
    )
    .finally(() => {
      brotliRunning--;
    });
  return undefined;
}

/** Brotli at its best quality, on the thread pool, as this module sends a text (the phone benchmark serves it too). */
export function compressWithBrotli(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const input = Buffer.from(text, "utf8");
  return new Promise((resolve, reject) => {
    brotliCompress(
      input,
      {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
        },
      },
      (error, result) => (error ? reject(error) : resolve(new Uint8Array(result))),
    );
  });
}

/**
 * Sends `text` as `type`, compressed as the request accepts: with Brotli once this text has been compressed with
 * it (started by the first request that accepts it), gzipped until then or where Brotli is not accepted.
 */
export function sendText(c: Context, text: string, type: string): Response {
  c.header("content-type", type);
  c.header("vary", "accept-encoding");
  const accepted = c.req.header("accept-encoding");
  const coding = preferredCoding(accepted);
  if (coding === undefined) return c.body(text);
  const br = coding === "br" ? brotli(text) : undefined;
  if (br !== undefined) {
    c.header("content-encoding", "br");
    return c.body(br);
  }
  if (coding !== "gzip" && !acceptsGzip(accepted)) return c.body(text);
  c.header("content-encoding", "gzip");
  return c.body(gzipped(text));
}
