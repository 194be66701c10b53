// The chain context read early (before the verifier has loaded, as the verifier page's first script reads it)
// and handed to the verifier's node client: the client takes its first, identical batch from that answer instead
// of sending it, and the verifier checks the answer as it checks the node's. Against a real node.

import { expect } from "chai";
import { type Check, createReadClient, type VerificationReport, verifyCredential } from "../src";
import {
  contextCalls,
  type EarlyAnswer,
  type EarlyRead,
  primedFetch,
  REGISTRY_PROBE,
  readEarly,
} from "../src/early";
import { createFixture, type Fixture } from "./fixture";

function check(report: VerificationReport, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

/** A fetch to the node that notes the JSON-RPC methods of each request it sends. */
function recordingFetch(): { fetchFn: typeof fetch; sent: string[][] } {
  const sent: string[][] = [];
  const fetchFn: typeof fetch = (input, init) => {
    const body = JSON.parse(String(init?.body)) as { method: string } | { method: string }[];
    sent.push((Array.isArray(body) ? body : [body]).map((call) => call.method));
    return fetch(input, init);
  };
  return { fetchFn, sent };
}

/** An early read whose answer is given (as a node that lies, or an old one, would give it). */
const answered = (calls: EarlyRead["calls"], answer: EarlyAnswer | undefined): EarlyRead => ({
  calls,
  answer: Promise.resolve(answer),
});

/** The parts of a report that do not depend on when it was made. */
const verdictOf = (report: VerificationReport) => ({
  verified: report.verified,
  checks: report.checks.map(({ id, status, code }) => ({ id, status, code })),
});

describe("the chain context read early", function () {
  this.timeout(180_000);
  let fx: Fixture;

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  /** Verifies `credential` on the node through a client whose fetch is primed with `early`. */
  async function primedVerify(credential: unknown, early: EarlyRead, maxAgeMs?: number) {
    const network = recordingFetch();
    const client = createReadClient(fx.rpcUrl, {
      fetchFn: primedFetch(early, {
        fetchFn: network.fetchFn,
        ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
      }),
    });
    const options = { client, registry: fx.registry, chainId: fx.chainId, lang: "en" as const };
    return { report: await verifyCredential(credential, options), sent: network.sent, options };
  }

  it("is the batch the verifier reads first: taken from the early answer, it is not sent again", async () => {
    const credential = await fx.issue();
    const early = readEarly(fx.rpcUrl, contextCalls(fx.registry));
    expect(await early.answer).to.not.equal(undefined);
    const { report, sent } = await primedVerify(credential, early);
    expect(report.verified).to.equal(true);
    // Had the reader's first batch differed from contextCalls, it would have gone to the node.
    expect(sent.flat()).to.not.include("eth_chainId");
    expect(sent.flat()).to.not.include("eth_getBlockByNumber");
    expect(sent.length).to.be.greaterThan(0);
    const plain = await verifyCredential(credential, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      chainId: fx.chainId,
      lang: "en",
    });
    expect(verdictOf(report)).to.deep.equal(verdictOf(plain));
    expect(report.chain).to.deep.include({ blockNumber: plain.chain?.blockNumber });
  });

  it("is used once: the next verification with the same client asks the node", async () => {
    const credential = await fx.issue();
    const network = recordingFetch();
    const client = createReadClient(fx.rpcUrl, {
      fetchFn: primedFetch(readEarly(fx.rpcUrl, contextCalls(fx.registry)), { fetchFn: network.fetchFn }),
    });
    const options = { client, registry: fx.registry, chainId: fx.chainId };
    expect((await verifyCredential(credential, options)).verified).to.equal(true);
    expect(network.sent.flat()).to.not.include("eth_chainId");
    expect((await verifyCredential(credential, options)).verified).to.equal(true);
    expect(network.sent.flat()).to.include("eth_chainId");
  });

  it("is checked as the node's own answer: another chain's id, or no registry code, is refused", async () => {
    const credential = await fx.issue();
    const calls = contextCalls(fx.registry);
    const genuine = await readEarly(fx.rpcUrl, calls).answer;
    if (!genuine) throw new Error("the node did not answer");
    const [, block, code] = genuine.results;
    const otherChain = await primedVerify(
      credential,
      answered(calls, { results: ["0xaa36a7", block, code], receivedAt: Date.now() }),
    );
    expect(otherChain.report.verified).to.equal(false);
    expect(check(otherChain.report, "anchor")).to.include({ status: "failed", code: "wrong-chain" });
    const noCode = await primedVerify(
      credential,
      answered(calls, { results: [genuine.results[0], block, "0x"], receivedAt: Date.now() }),
    );
    expect(noCode.report.verified).to.equal(false);
    expect(check(noCode.report, "issuer").code).to.equal("no-registry");
  });

  it("is not used when it is old, failed, or for another registry: the node is asked", async () => {
    const credential = await fx.issue();
    const calls = contextCalls(fx.registry);
    const genuine = await readEarly(fx.rpcUrl, calls).answer;
    if (!genuine) throw new Error("the node did not answer");
    const cases: [string, EarlyRead, number?][] = [
      ["old", answered(calls, { ...genuine, receivedAt: Date.now() - 60_000 })],
      ["older than asked", answered(calls, { ...genuine, receivedAt: Date.now() - 2_000 }), 1_000],
      ["failed", answered(calls, undefined)],
      ["unreachable node", readEarly("http://127.0.0.1:9/", calls)],
      [
        "another registry",
        answered(contextCalls("0x000000000000000000000000000000000000dEaD"), {
          results: ["0xaa36a7", genuine.results[1], "0x"],
          receivedAt: Date.now(),
        }),
      ],
    ];
    for (const [name, early, maxAgeMs] of cases) {
      const { report, sent } = await primedVerify(credential, early, maxAgeMs);
      expect(report.verified, name).to.equal(true);
      expect(sent[0], name).to.include("eth_chainId");
    }
  });

  it("answers the early batch with the ids of the request it answers, results in order", async () => {
    const early = answered(contextCalls(fx.registry), {
      results: ["0x1", { number: "0x2" }, "0x3"],
      receivedAt: 0,
    });
    const primed = primedFetch(early, {
      now: () => 0,
      fetchFn: () => Promise.reject(new Error("sent to the node")),
    });
    const body = JSON.stringify([
      { jsonrpc: "2.0", id: 7, method: "eth_chainId" },
      { jsonrpc: "2.0", id: 8, method: "eth_getBlockByNumber", params: ["latest", false] },
      {
        jsonrpc: "2.0",
        id: 9,
        method: "eth_call",
        // Keys in another order and the address in capitals: the same call.
        params: [{ to: `0x${fx.registry.slice(2).toUpperCase()}`, data: REGISTRY_PROBE }, "latest"],
      },
    ]);
    const response = await primed("http://node", { method: "POST", body });
    expect(await response.json()).to.deep.equal([
      { jsonrpc: "2.0", id: 7, result: "0x1" },
      { jsonrpc: "2.0", id: 8, result: { number: "0x2" } },
      { jsonrpc: "2.0", id: 9, result: "0x3" },
    ]);
    // Any other request goes to the node, and so does the same batch a second time.
    await primed("http://node", { method: "POST", body }).then(
      () => expect.fail("answered twice"),
      (error: Error) => expect(error.message).to.equal("sent to the node"),
    );
  });

  it("takes only an answer with a result for every call", async () => {
    const calls = contextCalls(fx.registry);
    const answering =
      (json: unknown, ok = true): typeof fetch =>
      () =>
        Promise.resolve(new Response(JSON.stringify(json), { status: ok ? 200 : 500 }));
    const bad = [
      answering([{ jsonrpc: "2.0", id: 0, result: "0x1" }]),
      answering([
        { jsonrpc: "2.0", id: 0, result: "0x1" },
        { jsonrpc: "2.0", id: 1, error: { code: -32000, message: "busy" } },
        { jsonrpc: "2.0", id: 2, result: "0x" },
      ]),
      answering([
        { jsonrpc: "2.0", id: 0, result: "0x1" },
        { jsonrpc: "2.0", id: 0, result: "0x1" },
        { jsonrpc: "2.0", id: 2, result: "0x" },
      ]),
      answering({ jsonrpc: "2.0", id: 0, result: "0x1" }),
      answering([], false),
      () => Promise.reject(new TypeError("Failed to fetch")),
    ];
    for (const fetchFn of bad)
      expect(await readEarly("http://node", calls, { fetchFn }).answer).to.equal(undefined);
    const good = await readEarly("http://node", calls, {
      now: () => 42,
      fetchFn: answering([
        { jsonrpc: "2.0", id: 2, result: "0x3" },
        { jsonrpc: "2.0", id: 0, result: "0x1" },
        { jsonrpc: "2.0", id: 1, result: { number: "0x2" } },
      ]),
    }).answer;
    expect(good).to.deep.equal({ results: ["0x1", { number: "0x2" }, "0x3"], receivedAt: 42 });
  });
});
