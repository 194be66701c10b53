import { expect } from "chai";
import { contextCalls } from "../src/registry/context-read";
import { createRpcReader } from "../src/registry/rpc";

const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("context read", () => {
  // A page sends these before its script has run and answers its reader's requests with the node's answers to
  // them, when they are the same requests: if the reader asked differently, the page's early read would go
  // unused (the page would still verify, one round trip later).
  it("is what an RPC reader sends for its context, in one batch", async () => {
    const bodies: unknown[] = [];
    const reader = createRpcReader({
      registry: REGISTRY,
      rpcUrl: "http://127.0.0.1:1/rpc",
      fetchFn: async (_input, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        throw new Error("no node here");
      },
    });
    await reader.context().then(
      () => expect.fail("no node answered"),
      () => undefined,
    );
    expect(bodies.length).to.be.greaterThan(0);
    const first = bodies[0] as { jsonrpc: string; id: number; method: string; params?: unknown[] }[];
    expect(first.map(({ method, params }) => (params ? { method, params } : { method }))).to.deep.equal(
      contextCalls(REGISTRY),
    );
  });
});
