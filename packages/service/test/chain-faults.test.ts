// Chain faults between the worker and a real hardhat node, injected by a JSON-RPC proxy on 127.0.0.1: error
// answers, HTTP 5xx, requests that never get an answer, connections cut in the middle of an answer. Each ends
// with every credential anchored exactly once, one anchorBatch transaction per root, and the worker alive.

import { expect } from "chai";
import { faultyNode } from "./helpers/faulty-node";

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
