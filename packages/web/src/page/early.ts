// verify-early.js: a share link's first chain read, sent before the page's script has arrived. That script is
// most of the page's bytes, and a phone spends a second or more downloading and compiling it; the node answers
// this read meanwhile, instead of one round trip after the script has run. It asks what the verifier's reader
// asks first for its context (the chain id, the latest block, whether the registry is there: `contextCalls`),
// of the node and registry the page's own tags configure, and nothing of the credential. The page's script
// answers its reader's own request with the node's answers to this one when it is the same request
// (`earlyFetch` in early-read.ts); the reader makes of them what it would of its own, and every check is the
// same. A page without this script, or whose early read failed, reads the node as usual.

import { contextCalls } from "@intyg/verifier/context-read";
import { EARLY_READ_KEY, type EarlyRead, keyOf } from "./early-read";

function send(): EarlyRead | undefined {
  const meta = (name: string) =>
    document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim() || undefined;
  const rpcUrl = meta("intyg-rpc");
  const registry = meta("intyg-registry");
  // Only for a share link, with the chain the page's own tags configure (as `loadConfig` reads them).
  if (!/^#(c1\.|c=)/.test(location.hash) || !rpcUrl || !registry || !/^0x[0-9a-fA-F]{40}$/.test(registry)) {
    return undefined;
  }
  const calls = contextCalls(registry as `0x${string}`);
  try {
    const answers = fetch(rpcUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
    })
      .then((response) => (response.ok ? response.json() : undefined))
      .catch(() => undefined);
    return { rpcUrl, keys: calls.map(keyOf), answers };
  } catch {
    return undefined;
  }
}

const read = send();
if (read) (globalThis as Record<string, unknown>)[EARLY_READ_KEY] = read;
