// Chain faults between the worker and a real hardhat node, injected by a JSON-RPC proxy on 127.0.0.1: error
// answers, HTTP 5xx, requests that never get an answer, connections cut in the middle of an answer. Each ends
// with every credential anchored exactly once, one anchorBatch transaction per root, and the worker alive.

import { expect } from "chai";
import { bootstrap } from "../src/bootstrap";
import { ChainRpcError, createChainClient } from "../src/chain/client";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/logger";
import { type RunningService, startService } from "../src/service";
import { privateKeySigner } from "../src/signer";
import { deployFresh, devChain } from "./helpers/chain";
import { faultyNode } from "./helpers/faulty-node";
import { CONFERENCE, DEMO_PROFILE } from "./helpers/harness";
import { startRpcProxy } from "./helpers/rpc-proxy";
import { openTestStore } from "./helpers/stores";

describe("chain faults through a fault-injecting JSON-RPC proxy", function () {
  this.timeout(60_000);

  it("answers -32603 internal error to the next calls: retried, anchored once", async () => {
    const node = await faultyNode();
    try {
      await node.queue(30);
      node.proxy.inject({ fault: { kind: "rpc-error", code: -32603, message: "Internal error" }, times: 6 });
      const worker = node.startWorker();
      await node.expectSettled(worker);
      expect(node.proxy.calls.filter((c) => c.fault === "rpc-error")).to.have.length(6);
    } finally {
      await node.close();
    }
  });

  it("answers -32603 internal error (no revert data) to the gas estimate of the send: retried, not a refusal", async () => {
    const node = await faultyNode({ retryCount: 0 });
    try {
      await node.queue(30);
      node.proxy.inject({
        fault: { kind: "rpc-error", code: -32603, message: "Internal error" },
        methods: ["eth_estimateGas"],
        times: 2,
      });
      node.proxy.inject({
        fault: { kind: "rpc-error", code: -32603, message: "Internal error" },
        methods: ["eth_sendRawTransaction"],
        times: 1,
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
    } finally {
      await node.close();
    }
  });

  it("answers -32005 limit exceeded to the anchorBatch send: retried, anchored once", async () => {
    const node = await faultyNode();
    try {
      await node.queue(30);
      node.proxy.inject({
        fault: { kind: "rpc-error", code: -32005, message: "limit exceeded" },
        methods: ["eth_sendRawTransaction"],
        times: 4,
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
    } finally {
      await node.close();
    }
  });

  it("answers HTTP 502 and 503 for a while: retried, anchored once", async () => {
    const node = await faultyNode();
    try {
      await node.queue(30);
      node.proxy.inject({ fault: { kind: "http-error", status: 502 }, times: 4 });
      node.proxy.inject({
        fault: { kind: "http-error", status: 503 },
        methods: ["eth_sendRawTransaction"],
        times: 3,
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
    } finally {
      await node.close();
    }
  });

  it("never answers some calls: each times out on the client and the worker goes on", async () => {
    const node = await faultyNode({ requestTimeoutMs: 1000, retryCount: 1 });
    try {
      await node.queue(30);
      // Far longer than the test: only the client's timeout ends these requests.
      node.proxy.inject({ fault: { kind: "hang", ms: 120_000 }, methods: ["eth_call"], times: 2 });
      node.proxy.inject({
        fault: { kind: "hang", ms: 120_000 },
        methods: ["eth_sendRawTransaction"],
        times: 1,
      });
      node.proxy.inject({
        fault: { kind: "hang", ms: 120_000 },
        methods: ["eth_getTransactionReceipt"],
        times: 2,
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
      expect(node.proxy.abandonedHangs).to.equal(5);
    } finally {
      await node.close();
    }
  });

  it("a call to a node that never answers fails within its timeout and retries", async () => {
    const chain = await devChain();
    const proxy = await startRpcProxy(chain.rpcUrl);
    try {
      const client = await createChainClient({
        rpcUrl: proxy.url,
        registry: "0x0000000000000000000000000000000000000001",
        signer: { address: "0x0000000000000000000000000000000000000002" } as never,
        chainId: chain.chainId,
        requestTimeoutMs: 300,
        retryCount: 2,
      });
      proxy.inject({ fault: { kind: "hang", ms: 60_000 }, times: Number.POSITIVE_INFINITY });
      const started = Date.now();
      const error = await client.blockNumber().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChainRpcError);
      expect(Date.now() - started).to.be.lessThan(5000);
      // The first try and two retries, each given up by the client.
      expect(proxy.count("eth_blockNumber")).to.equal(3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.abandonedHangs).to.equal(3);
    } finally {
      await proxy.close();
    }
  });

  it("cuts the connection in the middle of the answer to the anchorBatch send (the node has it)", async () => {
    const node = await faultyNode();
    try {
      await node.queue(30);
      node.proxy.inject({ fault: { kind: "drop" }, methods: ["eth_sendRawTransaction"], times: 1 });
      const worker = node.startWorker();
      await node.expectSettled(worker);
      // The send was not retried blindly: the next attempt found the root on chain.
      expect(node.proxy.count("eth_sendRawTransaction")).to.equal(2);
    } finally {
      await node.close();
    }
  });

  it("cuts the connection in the middle of receipts: waits again, anchored once", async () => {
    const node = await faultyNode();
    try {
      await node.queue(30);
      node.proxy.inject({ fault: { kind: "drop" }, methods: ["eth_getTransactionReceipt"], times: 3 });
      node.proxy.inject({ fault: { kind: "drop" }, methods: ["eth_call"], times: 2 });
      const worker = node.startWorker();
      await node.expectSettled(worker);
    } finally {
      await node.close();
    }
  });

  it("backs off between retries, never waiting longer than the cap", async () => {
    const node = await faultyNode({ retryCount: 0, worker: { retryBaseMs: 50, retryMaxMs: 300 } });
    try {
      await node.queue(10);
      node.proxy.inject({
        fault: { kind: "rpc-error", code: -32603, message: "Internal error" },
        methods: ["eth_call"],
        times: Number.POSITIVE_INFINITY,
      });
      const worker = node.startWorker();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const attempts = node.proxy.calls.filter((c) => c.method === "eth_call").map((c) => c.at);
      const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
      // Doubling from 50 ms: 50, 100, 200, then the 300 ms cap (plus the pass itself).
      expect(attempts.length, `attempts at ${gaps.join(", ")} ms`).to.be.greaterThan(8);
      expect(Math.max(...gaps.slice(-5)), gaps.join(", ")).to.be.lessThan(1000);
      expect(gaps.slice(0, 3).every((gap) => gap >= 40)).to.equal(true);
      node.proxy.clear();
      await node.expectSettled(worker);
    } finally {
      await node.close();
    }
  });
});

describe("the running service behind a node that stops answering", function () {
  this.timeout(60_000);

  it("bounds every chain request by INTYG_RPC_TIMEOUT_MS and anchors once the node answers again", async () => {
    const deployment = await deployFresh();
    const proxy = await startRpcProxy(deployment.rpcUrl);
    const store = await openTestStore("pglite");
    let service: RunningService | null = null;
    try {
      const { secret } = await bootstrap(store, {
        profile: DEMO_PROFILE,
        chainOrganisationId: deployment.organisationId,
      });
      const config = loadConfig({
        INTYG_RPC_URL: proxy.url,
        INTYG_REGISTRY: deployment.registry,
        PORT: "0",
        INTYG_RPC_TIMEOUT_MS: "400",
        INTYG_RPC_RETRIES: "1",
        INTYG_RECEIPT_TIMEOUT_MS: "3000",
        INTYG_WORKER_POLL_MS: "50",
        INTYG_RETRY_BASE_MS: "50",
        INTYG_RETRY_MAX_MS: "400",
      });
      service = await startService({
        config,
        signer: privateKeySigner(deployment.signerKey),
        store,
        logger: silentLogger(),
        verifyPage: false,
      });
      const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
      const created = await fetch(`${service.url}/v1/events`, {
        method: "POST",
        headers,
        body: JSON.stringify({ kind: "event", details: CONFERENCE }),
      });
      expect(created.status).to.equal(201);
      const event = (await created.json()) as { id: string };

      // From now on the node never answers (until the rules are cleared).
      proxy.inject({ fault: { kind: "hang", ms: 120_000 }, times: Number.POSITIVE_INFINITY });
      const started = Date.now();
      const error = await service.chain.blockNumber().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChainRpcError);
      // One try and one retry of 400 ms each, and the retry's delay.
      expect(Date.now() - started).to.be.within(700, 3000);

      const bulk = await fetch(`${service.url}/v1/events/${event.id}/credentials/bulk`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": "hang" },
        body: JSON.stringify({
          attendees: Array.from({ length: 10 }, (_, i) => ({ subject: { name: `Deltagare ${i}` } })),
        }),
      });
      expect(bulk.status).to.equal(201);
      const { credentials } = (await bulk.json()) as { credentials: { id: string }[] };
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const hung = proxy.calls.filter((c) => c.fault === "hang").length;
      expect(hung, "the worker kept trying while the node hung").to.be.greaterThan(2);
      proxy.clear();
      await service.worker!.drain(30_000);
      const stored = await store.credentials.getMany(credentials.map((c) => c.id));
      expect(stored.map((c) => c.status)).to.deep.equal(credentials.map(() => "anchored"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.abandonedHangs).to.equal(hung);
    } finally {
      await service?.stop();
      await proxy.close();
      await store.close();
    }
  });
});
