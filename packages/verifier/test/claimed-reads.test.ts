// A short run (a page opening a share link) asks the node for the registry values its first document claims to
// need before checking it, so that the node answers while the signature is recovered. Only a hint: without a
// trusted registry nothing is read on a document's word, a failed hint is not the run's failure, and the verdict
// is the checks'.
// Against a real node.

import { createSignerCache } from "@intyg/credential";
import { expect } from "chai";
import { createReadClient, type VerificationReport, verifyCredential, verifyCredentials } from "../src";
import { contextCalls, primedFetch, readEarly } from "../src/early";
import { ChainViews } from "../src/options";
import { createFixture, type Fixture } from "./fixture";

type Call = { method: string; to?: string; data?: string };

/**
 * A fetch to the node that notes the calls of each request it sends (and the contract each `eth_call` reads);
 * `fail` may refuse a request instead (as a node that drops one does).
 */
function recordingFetch(fail?: (calls: Call[]) => boolean): { fetchFn: typeof fetch; sent: Call[][] } {
  const sent: Call[][] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body)) as unknown;
    const calls = (Array.isArray(body) ? body : [body]).map((call: { method: string; params: unknown[] }) => {
      if (call.method !== "eth_call") return { method: call.method };
      const { to, data } = call.params[0] as { to: string; data: string };
      return { method: call.method, to: to.toLowerCase(), data };
    });
    sent.push(calls);
    if (fail?.(calls)) return new Response("busy", { status: 503 });
    return fetch(input, init);
  };
  return { fetchFn, sent };
}

/** The requests that read the registry's values (not the chain context, which probes the registry too). */
const registryReads = (sent: Call[][], registry: string) =>
  sent.filter(
    (calls) =>
      calls.some((call) => call.to === registry.toLowerCase()) &&
      !calls.some((call) => call.method === "eth_chainId"),
  );

const checkOf = (report: VerificationReport, id: string) => report.checks.find((c) => c.id === id);

describe("the registry reads a credential claims, asked for before its checks", function () {
  this.timeout(180_000);
  let fx: Fixture;

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  /**
   * With the chain's context read before the run (as the verify page's first script reads it), so that the claimed
   * reads go out before the checks run, not once the node has answered the run's own context read.
   */
  async function primed(fetchFn: typeof fetch) {
    const early = readEarly(fx.rpcUrl, contextCalls(fx.registry));
    await early.answer;
    return {
      client: createReadClient(fx.rpcUrl, { fetchFn: primedFetch(early, { fetchFn }) }),
      registry: fx.registry,
      chainId: fx.chainId,
      lang: "en" as const,
    };
  }

  function options(fetchFn: typeof fetch, registry: `0x${string}` = fx.registry) {
    return {
      client: createReadClient(fx.rpcUrl, { fetchFn }),
      registry,
      chainId: fx.chainId,
      lang: "en" as const,
    };
  }

  it("reads each value once: the checked credential's reads are the claimed ones, already answered", async () => {
    const credential = await fx.issue();
    // With the context read by the run itself, then as the page has it, read before the run.
    for (const primedContext of [false, true]) {
      const network = recordingFetch();
      const setup = primedContext ? await primed(network.fetchFn) : options(network.fetchFn);
      const report = await verifyCredential(credential, setup);
      expect(report.verified).to.equal(true);
      // One batch of registry reads, asked for before the checks; the checked target's reads found them all or
      // waited for them, and asked for none of them again.
      const reads = registryReads(network.sent, fx.registry);
      expect(reads).to.have.length(1);
      const calls = reads.flat().map((call) => `${call.to}|${call.data}`);
      expect(new Set(calls).size).to.equal(calls.length);
    }
  });

  it("sends them before the signature is recovered when the chain's context is known (as on the page)", async () => {
    const credential = await fx.issue();
    const events: string[] = [];
    const network = recordingFetch((calls) => {
      if (registryReads([calls], fx.registry).length > 0) events.push("registry read sent");
      return false;
    });
    // The recovered signer is looked up in the run's cache just before the recovery.
    const signerCache = createSignerCache();
    signerCache.signers = new (class extends Map<string, `0x${string}`> {
      override get(key: string) {
        events.push("signature checked");
        return super.get(key);
      }
    })();
    const report = await verifyCredential(credential, { ...(await primed(network.fetchFn)), signerCache });
    expect(report.verified).to.equal(true);
    expect(events[0]).to.equal("registry read sent");
    expect(events).to.include("signature checked");
  });

  it("does not hold back the other credentials' reads while the first one's claims are read", async () => {
    const [a, b, c] = [await fx.issue(), await fx.issue(), await fx.issue()];
    // The node answers the first read of registry values 300 ms late.
    const order: string[] = [];
    let reads = 0;
    const fetchFn: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as unknown;
      const calls = (Array.isArray(body) ? body : [body]) as { method: string; params: unknown[] }[];
      const registryCall = calls.some(
        (call) =>
          call.method === "eth_call" &&
          String((call.params[0] as { to: string }).to).toLowerCase() === fx.registry.toLowerCase(),
      );
      if (!registryCall || calls.some((call) => call.method === "eth_chainId")) return fetch(input, init);
      const n = ++reads;
      order.push(`read ${n} sent`);
      if (n === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      const answer = await fetch(input, init);
      order.push(`read ${n} answered`);
      return answer;
    };
    const reports = await verifyCredentials([a, b, c], await primed(fetchFn));
    expect(reports.map((r) => r.verified)).to.deep.equal([true, true, true]);
    expect(order.slice(0, 2)).to.deep.equal(["read 1 sent", "read 2 sent"]);
  });

  it("asks before the signature is checked: a credential whose signature fails had its claims read", async () => {
    const credential = structuredClone(await fx.issue()) as unknown as {
      proof: { proofValue: string }[];
    };
    const signature = credential.proof[0]!.proofValue;
    credential.proof[0]!.proofValue = `${signature.slice(0, 130)}${signature.endsWith("1b") ? "1c" : "1b"}`;
    const network = recordingFetch();
    const report = await verifyCredential(credential, await primed(network.fetchFn));
    expect(report.verified).to.equal(false);
    expect(checkOf(report, "signature")?.status).to.equal("failed");
    // Nothing read is used for a credential that failed its checks: there are no chain checks to pass.
    expect(report.checks.filter((c) => c.status === "passed").map((c) => c.id)).to.not.include("anchor");
    expect(registryReads(network.sent, fx.registry)).to.have.length(1);
  });

  it("reads nothing on a document's word without a trusted registry: the registry it names is read once checked", async () => {
    const issued = await fx.issue();
    const forged = structuredClone(issued) as unknown as { proof: { proofValue: string }[] };
    const signature = forged.proof[0]!.proofValue;
    forged.proof[0]!.proofValue = `${signature.slice(0, 130)}${signature.endsWith("1b") ? "1c" : "1b"}`;
    const untrusted = (fetchFn: typeof fetch) => ({
      client: createReadClient(fx.rpcUrl, { fetchFn }),
      chainId: fx.chainId,
      lang: "en" as const,
    });
    const network = recordingFetch();
    expect((await verifyCredential(forged, untrusted(network.fetchFn))).verified).to.equal(false);
    expect(network.sent.flat().filter((call) => call.method === "eth_call")).to.have.length(0);
    const checked = recordingFetch();
    const report = await verifyCredential(issued, untrusted(checked.fetchFn));
    expect(report.checks.find((c) => c.id === "signature")?.status).to.equal("passed");
    expect(registryReads(checked.sent, fx.registry)).to.have.length(1);
  });

  it("does not keep a failed claimed read as the run's failure: the run's own reads are asked for again", async () => {
    // The node refuses every request while the claims are read, and answers afterwards.
    let refusing = false;
    const network = recordingFetch((calls) => refusing && registryReads([calls], fx.registry).length > 0);
    const views = new ChainViews(options(network.fetchFn));
    const requests = [
      {
        registry: fx.registry,
        queries: [
          { kind: "organisation" as const, organisationId: fx.organisationId },
          { kind: "event" as const, eventId: fx.eventId },
        ],
      },
    ];
    refusing = true;
    await views.preload(requests);
    expect(registryReads(network.sent, fx.registry)).to.not.have.length(0);
    refusing = false;
    await views.load(requests);
    const view = await views.view(fx.registry);
    expect(view.status).to.equal("ready");
    if (view.status === "ready") {
      expect(view.reader.get({ kind: "event", eventId: fx.eventId })).to.not.equal(undefined);
    }
  });

  it("gives a short run the verdicts of a run too long to take them, and asks for no value twice", async () => {
    const batch = await fx.issueBatch(20);
    const network = recordingFetch();
    const short = await verifyCredentials(batch.slice(0, 3), options(network.fetchFn));
    const long = await verifyCredentials(batch, options(recordingFetch().fetchFn));
    expect(short.map((r) => r.verified)).to.deep.equal([true, true, true]);
    expect(long.every((r) => r.verified)).to.equal(true);
    const verdict = (r: VerificationReport) => r.checks.map(({ id, status, code }) => ({ id, status, code }));
    expect(short.map(verdict)).to.deep.equal(long.slice(0, 3).map(verdict));
    // The first credential's claims, then the other two's leaves: what the claims read is not asked again.
    const calls = registryReads(network.sent, fx.registry)
      .flat()
      .filter((call) => call.method === "eth_call")
      .map((call) => `${call.to}|${call.data}`);
    expect(calls.length).to.be.greaterThan(0);
    expect(new Set(calls).size).to.equal(calls.length);
  });
});
