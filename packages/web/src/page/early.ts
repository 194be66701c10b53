// The verifier page's first script (verify-early.js, about a kilobyte, loaded `async` from the page's head).
// When the page opens a share link, it asks the node the page is configured with for the chain context (chain id,
// latest block, whether the registry has code) at once, while verify.js is still on its way: on a phone's slow
// network that round trip is then over before the verifier starts, which takes the answer from here (main.ts,
// `primedFetch`) and checks it as it checks the node's. Nothing of the credential is sent.

import { contextCalls, readEarly } from "@intyg/verifier/early";
import { EARLY_READ, meta, type PageEarlyRead } from "./early-read";

const rpcUrl = meta("intyg-rpc") ?? "";
const registry = meta("intyg-registry") ?? "";
// The fragments main.ts verifies on load (fragmentInput): a share link's credential.
if (rpcUrl && /^0x[0-9a-fA-F]{40}$/.test(registry) && /^#(c1\.|c=)/.test(location.hash)) {
  const early: PageEarlyRead = { rpcUrl, registry, read: readEarly(rpcUrl, contextCalls(registry)) };
  (globalThis as Record<string, unknown>)[EARLY_READ] = early;
}
