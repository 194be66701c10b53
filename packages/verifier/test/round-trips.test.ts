// What one credential costs on a slow network (the verifier page on a phone): the chain's context is asked for
// before the credential is prepared, small enough to arrive quickly, and the registry's reads follow in one more
// HTTP request, as single calls pinned to the context's block.

import type { SignerCache } from "@intyg/credential";
import { expect } from "chai";
import { createPublicClient, http, type PublicClient } from "viem";
import { verifyCredential } from "../src";
import { createFixture, type Fixture } from "./fixture";

type Sent = { methods: string[]; params: unknown[][]; bytes: number; answerBytes: number; at: number };

describe("round trips of one credential", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let order: string[];
  let requests: Sent[];

  /** A node URL through a recording proxy: each HTTP request's calls, and when it was sent. */
  let rpcUrl: string;
  let proxy: import("node:http").Server;

  before(async () => {
    fx = await createFixture();
    const { createServer } = await import("node:http");
    proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", async () => {
        const body = Buffer.concat(chunks).toString();
        const parsed = JSON.parse(body) as
          | { method: string; params?: unknown[] }
          | { method: string; params?: unknown[] }[];
        const calls = Array.isArray(parsed) ? parsed : [parsed];
        const sent: Sent = {
          methods: calls.map((call) => call.method),
          params: calls.map((call) => call.params ?? []),
          bytes: Buffer.byteLength(body),
          answerBytes: 0,
          at: order.length,
        };
        order.push(`request ${requests.length}`);
        requests.push(sent);
        const answer = await fetch(fx.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const text = await answer.text();
        sent.answerBytes = Buffer.byteLength(text);
        response.writeHead(answer.status, { "content-type": "application/json" }).end(text);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as import("node:net").AddressInfo;
    rpcUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await fx?.stop();
  });
  beforeEach(() => {
    order = [];
    requests = [];
  });

  /** A signer cache that notes when the signature was recovered (the end of the offline checks). */
  const notingCache = (): SignerCache => {
    const signers = new Map<string, `0x${string}`>();
    const set = signers.set.bind(signers);
    signers.set = (key, value) => {
      order.push("recovered");
      return set(key, value);
    };
    return { digests: new Map(), signers, pairs: new Map() };
  };

  it("asks for the chain's context before preparing the credential, then reads in one more request", async () => {
    const credential = await fx.issue();
    // Noted as each request leaves (a server in this process would only see it once the preparation yields).
    const sent: string[] = [];
    const client = createPublicClient({
      transport: http(fx.rpcUrl, {
        batch: { wait: 0 },
        onFetchRequest: async (request) => {
          const body = JSON.parse(await request.clone().text()) as { method: string }[];
          order.push(`sent ${sent.length}`);
          sent.push(body[0]!.method);
        },
      }),
    }) as PublicClient;
    const report = await verifyCredential(credential, {
      client,
      registry: fx.registry,
      chainId: fx.chainId,
      signerCache: notingCache(),
    });
    expect(report.verified).to.equal(true);
    expect(sent).to.deep.equal(["eth_chainId", "eth_call"]);
    // The context went out while the signature was still to be recovered.
    expect(order).to.deep.equal(["sent 0", "recovered", "sent 1"]);
  });

  it("asks whether the registry has code with a one-word call, not for its whole code", async () => {
    await verifyCredential(await fx.issue(), { rpcUrl, registry: fx.registry });
    const [context] = requests;
    expect(context!.methods).to.have.members(["eth_chainId", "eth_getBlockByNumber", "eth_call"]);
    expect(context!.methods).to.not.include("eth_getCode");
    // The registry's code alone is over 40 KB as hex.
    expect(context!.answerBytes, "bytes of the context's answer").to.be.lessThan(4_000);
  });

  it("sends a credential's few reads as single calls in one request, all at the context's block", async () => {
    await verifyCredential(await fx.issue(), { rpcUrl, registry: fx.registry });
    expect(requests).to.have.length(2);
    const [context, reads] = requests as [Sent, Sent];
    const block = (
      (await (
        await fetch(fx.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
        })
      ).json()) as { result: string }
    ).result;
    expect(context.methods.includes("eth_getBlockByNumber")).to.equal(true);
    expect(reads.methods.every((method) => method === "eth_call")).to.equal(true);
    expect(reads.methods.length).to.be.greaterThan(3);
    // Each a call of the registry itself (no multicall's creation code sent along), at one pinned block.
    for (const [call, at] of reads.params as [{ to?: string; data: string }, string][]) {
      expect(call.to?.toLowerCase()).to.equal(fx.registry.toLowerCase());
      expect(at).to.equal(block);
    }
    expect(reads.bytes, "bytes of the reads' request").to.be.lessThan(6_000);
  });

  it("still says there is no registry where the address has no code", async () => {
    const report = await verifyCredential(await fx.issue(), {
      rpcUrl,
      registry: "0x000000000000000000000000000000000000dEaD",
    });
    expect(report.verified).to.equal(false);
    expect(report.checks.find((check) => check.id === "issuer")?.code).to.equal("no-registry");
  });
});
