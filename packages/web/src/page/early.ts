// The verifier page's first script (verify-early.js, about two kilobytes, loaded `async` from the page's head).
// When the page opens a share link, it asks the node the page is configured with for the chain context (chain id,
// latest block, whether the registry has code) at once, while verify.js is still on its way: on a phone's slow
// network that round trip is then over before the verifier starts, which takes the answer from here (main.ts,
// `primedFetch`) and checks it as it checks the node's. Nothing of the credential is sent. Then, while the page
// is otherwise idle, it makes the date, number and list formatters of a report: the first costs a tenth of a
// second on a phone (the time zone's and the locale's data, which the engine keeps for verify.js too).

import { contextCalls, readEarly } from "@intyg/verifier/early";
import { prepareFormatters } from "@intyg/verifier/formatters";
import { EARLY_READ, meta, type PageEarlyRead } from "./early-read";

const rpcUrl = meta("intyg-rpc") ?? "";
const registry = meta("intyg-registry") ?? "";
// The fragments main.ts verifies on load (fragmentInput): a share link's credential.
if (rpcUrl && /^0x[0-9a-fA-F]{40}$/.test(registry) && /^#(c1\.|c=)/.test(location.hash)) {
  const early: PageEarlyRead = { rpcUrl, registry, read: readEarly(rpcUrl, contextCalls(registry)) };
  (globalThis as Record<string, unknown>)[EARLY_READ] = early;
  // Both languages: the page's is chosen in verify.js (a stored choice, the browser's languages).
  const prepare = () => {
    prepareFormatters("sv");
    prepareFormatters("en");
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(prepare);
  else setTimeout(prepare, 0);
}
