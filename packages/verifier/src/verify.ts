// verifyCredential and verifyCredentials: offline checks per credential (signatures recovered once per
// digest), batched reads of the registry pinned to one block (sent slice by slice while the rest is prepared),
// then the chain checks.

import { checkProofBinding, keccakReady } from "@intyg/credential";
import type { Address } from "viem";
import { type ChainView, chainQueries, historyQueries, runChainChecks } from "./chain-checks";
import { CheckList } from "./checks";
import { describeCredential } from "./describe";
import { prepareFormatters } from "./formatters";
import { type InputResult, readDocument } from "./input";
import { formatAge, message } from "./messages";
import { ChainViews, type ResolvedOptions, resolveOptions, type VerifyOptions } from "./options";
import { type PreparedCredential, prepareCredential } from "./prepare";
import type { RegistryQuery } from "./registry/state";
import { isShareLink, readShareLinkDocument } from "./share";
import type { ChainSummary, Lang, RecordStatus, TrustAnchor, VerificationReport } from "./types";

/** Credentials prepared before their registry reads are sent, in a run of many. */
const PIPELINE_SLICE = 200;
const YIELD_EVERY = 16;
/** Runs up to this long read their first document's claimed registry values before checking it. */
const CLAIMED_READS_MAX = 16;

/** One turn of the event loop (I/O and due timers run); setImmediate where there is one, as in Node. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * Until the timers due now have run: viem's batching transport sends what was asked in one tick from a zero-delay
 * timer, so a read asked for before CPU-bound work is only on the wire once this has resolved.
 */
const afterDueTimers = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Reads one input: JSON text, bytes, a parsed value or a share link (never throws). */
function readInput(input: unknown, resolved: ResolvedOptions): InputResult {
  const read = readDocument(input, resolved.limits);
  if (!read.ok && read.code === "not-json" && typeof input === "string" && isShareLink(input)) {
    return readShareLinkDocument(input, resolved.limits);
  }
  return read;
}

/** Prepares an input already read (never throws). */
async function prepareRead(read: InputResult, resolved: ResolvedOptions): Promise<PreparedCredential> {
  if (!read.ok) {
    const checks = new CheckList(resolved.lang);
    checks.fail("format", read.code, read.key, read.params);
    return { checks, summary: {} };
  }
  try {
    return await prepareCredential(read.value, resolved.lang, resolved.signerCache, {
      json: read.json === true,
      ...(read.sections ? { sections: read.sections } : {}),
    });
  } catch {
    // The format package promises not to throw; this is a last line of defence.
    const checks = new CheckList(resolved.lang);
    checks.fail("format", "unreadable", "format.not-object");
    return { checks, summary: {} };
  }
}

/** Reads and prepares one input (never throws). */
export async function prepareInput(input: unknown, resolved: ResolvedOptions): Promise<PreparedCredential> {
  return prepareRead(readInput(input, resolved), resolved);
}

/**
 * The registry reads a document's proof claims it needs (its organisation, signer, event and commitment), before
 * any check: to be asked for while the checks run. Only a hint, never a verdict: the reads of a credential whose
 * checks pass are the ones its checked target names, and a claim that was false only cost a read.
 */
function claimedReads(read: InputResult): { registry: Address; queries: RegistryQuery[] } | undefined {
  if (!read.ok) return undefined;
  const claimed = checkProofBinding(read.value);
  return claimed.ok ? { registry: claimed.registry, queries: chainQueries(claimed) } : undefined;
}

export function chainSummary(view: ChainView, now: number, lang: Lang): ChainSummary | undefined {
  if (view.status !== "ready") return undefined;
  const { context } = view;
  const blockTime = new Date(context.blockTimestamp * 1000).toISOString();
  return {
    source: context.source,
    chainId: context.chainId,
    registry: context.registry,
    registrySource: view.registrySource,
    blockNumber: context.blockNumber.toString(),
    blockTime,
    ...(context.source === "snapshot"
      ? {
          snapshot: {
            blockNumber: context.blockNumber.toString(),
            blockTime,
            ageSeconds: Math.max(0, now - context.blockTimestamp),
          },
          note: message(lang, "snapshot.note", {
            block: context.blockNumber.toString(),
            age: formatAge(lang, now - context.blockTimestamp),
          }),
        }
      : {}),
  };
}

/** The report's trust anchor: what the verifier pinned, who chose it, and the organisation checked. */
export function trustAnchor(
  resolved: ResolvedOptions,
  lang: Lang,
  organisationId: number | undefined,
  chain: ChainSummary | undefined,
): TrustAnchor {
  const { trust } = resolved;
  const source = message(lang, `trust.source.${trust.source}`, trust.detail ? { detail: trust.detail } : {});
  const chainId = trust.chainId ?? (trust.registry ? chain?.chainId : undefined);
  const text = trust.registry
    ? message(lang, "trust.anchor", {
        registry: trust.registry,
        chain: chainId === undefined ? message(lang, "trust.any-chain") : String(chainId),
        source,
        organisationId,
      })
    : message(lang, "trust.anchor-none", { source });
  return {
    source: trust.source,
    ...(trust.detail ? { detail: trust.detail } : {}),
    ...(trust.registry ? { registry: trust.registry } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
    ...(organisationId !== undefined ? { organisationId } : {}),
    message: text,
  };
}

/** Turns finished checks into a report. */
export function buildReport(
  prepared: PreparedCredential,
  kind: "credential" | "presentation",
  lang: Lang,
  resolved: ResolvedOptions,
  chain: ChainSummary | undefined,
  holder?: `0x${string}`,
): VerificationReport {
  prepared.checks.skipRest();
  const checks = prepared.checks.list();
  const verified = checks.every(
    (check) =>
      check.status === "passed" ||
      (check.id === "holder" && kind === "credential" && check.status === "skipped"),
  );
  const firstFailure =
    checks.find((check) => check.status === "failed") ?? checks.find((c) => c.status === "skipped");
  const verdict = verified
    ? message(lang, kind === "presentation" ? "verdict.verified-presentation" : "verdict.verified")
    : message(lang, "verdict.failed", { reason: firstFailure?.message ?? "" });
  // What the chain says of the record is a fact only once the credential is known to be the one anchored.
  const recordKnown = ["integrity", "signature", "anchor"].every(
    (id) => checks.find((check) => check.id === id)?.status === "passed",
  );
  const { anchoredAt, revokedAt, revocationReason, supersededBy } = prepared.summary;
  const status: RecordStatus = {
    ...(anchoredAt ? { anchoredAt } : {}),
    ...(revokedAt ? { revokedAt } : {}),
    ...(revocationReason ? { revocationReason } : {}),
    ...(supersededBy ? { supersededBy } : {}),
  };
  return {
    verified,
    kind,
    lang,
    verdict,
    checks,
    // A credential that fails any check proves nothing about its claims: none are reported.
    ...(verified ? { credential: prepared.summary } : {}),
    ...(verified && prepared.credential
      ? {
          description: describeCredential(prepared.credential, lang, {
            ...(prepared.summary.anchoredAt ? { anchoredAt: prepared.summary.anchoredAt } : {}),
            ...(prepared.summary.hiddenClaims ? { hiddenClaims: prepared.summary.hiddenClaims } : {}),
          }),
        }
      : {}),
    ...(recordKnown ? { status } : {}),
    trust: trustAnchor(resolved, lang, prepared.target?.organisationId, chain),
    ...(chain ? { chain } : {}),
    ...(holder ? { holder } : {}),
    verifiedAt: resolved.nowIso,
  };
}

/**
 * Verifies many credentials in one run: each signature digest is recovered once (a batch of 1,000 costs one
 * recovery), and the registry reads go out in slices while the rest is prepared, all pinned to one block.
 * Never throws; each input gets its own report, in order.
 */
export async function verifyCredentials(
  inputs: readonly unknown[],
  options: VerifyOptions = {},
): Promise<VerificationReport[]> {
  // Async, so that nothing can throw past "never throws", not even the views' set-up.
  return verifyWithViews(inputs, options, new ChainViews(options));
}

/**
 * A verifier for a run taken in parts, one after another (the chunks of a run on several threads): the parts
 * share what was read of the chain. Each registry value is read once, a snapshot is checked against the node
 * once, and a batch's leaf events are fetched once, instead of once per part: a node asked for every chunk was
 * what kept a run that reads it from using a second core. A registry that could not be read in one part is read
 * afresh in the next, as each part on its own would.
 */
export function createRunVerifier(
  options: VerifyOptions,
): (inputs: readonly unknown[]) => Promise<VerificationReport[]> {
  let views: ChainViews | undefined;
  return (inputs) => {
    views = views ? views.next() : new ChainViews(options);
    return verifyWithViews(inputs, options, views);
  };
}

async function verifyWithViews(
  inputs: readonly unknown[],
  options: VerifyOptions,
  views: ChainViews,
): Promise<VerificationReport[]> {
  // Hashing dominates a large run: start it on the WebAssembly engine (same digests) once that is compiled.
  if (inputs.length > 1) await keccakReady();
  const resolved = resolveOptions(options);
  // The chain's context is read while the inputs are prepared: one round trip fewer before the verdict.
  const prefetched = views.prefetchContext();
  // A short run (a page opening a share link): the reads its first document claims to need are asked for before
  // its checks, so that the node answers while the signature is recovered, not after; and before this function
  // first waits, which saves a turn of the timers (viem's batching still sends them from a timer, so a page lays
  // itself out first).
  const first =
    inputs.length > 0 && inputs.length <= CLAIMED_READS_MAX ? readInput(inputs[0], resolved) : undefined;
  const claimed = first && claimedReads(first);
  const preloaded = claimed && views.preload([claimed]);
  // The context's request is on the wire after one turn of the timers; the claimed reads, asked for once the
  // context is known (at once when the page read it early), after a second.
  if (prefetched || preloaded) await afterDueTimers();
  if (preloaded) await afterDueTimers();
  const prepared: PreparedCredential[] = [];
  // The registry reads of each slice go out as soon as the slice is prepared, and the node answers while the
  // next slice's signatures are recovered; every read is still pinned to the block the first one fixed.
  const loads: Promise<void>[] = [];
  let sliceStart = 0;
  const sendSlice = () => {
    const slice = prepared.slice(sliceStart);
    sliceStart = prepared.length;
    const requests = slice.flatMap((p) =>
      p.target ? [{ registry: p.target.registry, queries: chainQueries(p.target) }] : [],
    );
    if (requests.length === 0) return;
    // What the claimed reads are still reading is waited for, not asked for again (the reader's loads share it).
    loads.push(views.load(requests));
  };
  for (const [index, input] of inputs.entries()) {
    const read = index === 0 && first ? first : readInput(input, resolved);
    prepared.push(await prepareRead(read, resolved));
    if (prepared.length - sliceStart >= PIPELINE_SLICE) sendSlice();
    // Preparing is CPU-bound: give the event loop a turn now and then, so that the reads in flight are sent
    // and their answers taken in while the rest is prepared.
    if (loads.length > 0 && prepared.length % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  sendSlice();
  if (loads.length > 0 && (await views.nodeContexts())) {
    // While the node answers, the formatters the report needs are made (the first costs a tenth of a second on
    // a phone: the time zone's data). The reads are asked for in the microtasks after the chain's context, and
    // sent from a timer due then: they are on the wire after a second turn of the timers.
    await afterDueTimers();
    await afterDueTimers();
    prepareFormatters(resolved.lang);
  }
  // Not the claimed reads of a credential that failed its checks: its verdict does not wait for the node (as the
  // chain's context, read ahead, is not waited for either).
  await Promise.all(loads);
  const chainViews: ChainView[] = [];
  const histories: { registry: `0x${string}`; queries: RegistryQuery[] }[] = [];
  for (const p of prepared) {
    const view: ChainView = p.target ? await views.view(p.target.registry) : { status: "none" };
    chainViews.push(view);
    const queries = historyQueries(p, view, resolved.checkMetadata);
    if (p.target && queries.length > 0) histories.push({ registry: p.target.registry, queries });
  }
  if (histories.length > 0) await views.load(histories);
  const reports: VerificationReport[] = [];
  for (const [i, p] of prepared.entries()) {
    const view = chainViews[i]!;
    runChainChecks(p, view, {
      now: resolved.now,
      checkMetadata: resolved.checkMetadata,
      trustCredentialRegistry: resolved.trustCredentialRegistry,
    });
    p.checks.skip("holder", "not-a-presentation", "holder.not-presentation");
    reports.push(
      buildReport(p, "credential", resolved.lang, resolved, chainSummary(view, resolved.now, resolved.lang)),
    );
  }
  return reports;
}

/**
 * Verifies one credential (a JSON text, bytes or a parsed value) and returns a report of ordered checks.
 * Never throws: malformed, hostile or unknown input gives a failed report that says why.
 */
export async function verifyCredential(
  input: unknown,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const [report] = await verifyCredentials([input], options);
  return report!;
}
