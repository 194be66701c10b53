// The node "restarts" while a batch is being anchored: the JSON-RPC proxy in front of the real hardhat node
// cuts every connection, refuses new ones for a while, then listens again on the same port. Before the send
// (the node never sees the transaction), after the send (the node mined it; its answer is lost) and before the
// receipt (the hash is stored; the wait fails). And the node refusing the send with a nonce error afterwards.
// Each ends with every credential anchored exactly once, one anchorBatch transaction per root, the worker alive.

import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { expect } from "chai";
import { createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { faultyNode } from "./helpers/faulty-node";
import { rpc } from "./helpers/onchain";

const DOWN_MS = 2000;

describe("node restarts while a batch is anchored", function () {
  this.timeout(60_000);

  const points = [
    { name: "before the send reaches the node", methods: ["eth_sendRawTransaction"], forward: false },
    { name: "after the send, before its answer", methods: ["eth_sendRawTransaction"], forward: true },
    {
      name: "after the send, while waiting for the receipt",
      methods: ["eth_getTransactionReceipt"],
      forward: false,
    },
  ];
  for (const point of points) {
    it(`restarts ${point.name}: refused for a while, then anchored once`, async () => {
      const node = await faultyNode();
      try {
        await node.queue(40);
        node.proxy.inject({
          fault: { kind: "restart", downMs: DOWN_MS, forward: point.forward },
          methods: point.methods,
        });
        const started = Date.now();
        const worker = node.startWorker();
        await node.expectSettled(worker);
        expect(Date.now() - started).to.be.greaterThan(DOWN_MS);
        const [batch] = await node.h.store.anchoring.listBatches(node.h.organisation.id);
        expect(batch!.lastError, "the last error is cleared once anchored").to.equal(null);
        expect(worker.isLeader).to.equal(true);
      } finally {
        await node.close();
      }
    });
  }

  it("the node answers the send after the restart with a nonce error: resynchronised, anchored once", async () => {
    const node = await faultyNode();
    try {
      await node.queue(20);
      node.proxy.inject({
        fault: { kind: "restart", downMs: DOWN_MS, forward: false },
        methods: ["eth_sendRawTransaction"],
      });
      node.proxy.inject({
        fault: { kind: "rpc-error", code: -32000, message: "nonce too low" },
        methods: ["eth_sendRawTransaction"],
        times: 2,
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
      expect(node.proxy.calls.filter((c) => c.fault === "rpc-error")).to.have.length(2);
    } finally {
      await node.close();
    }
  });

  it("another sender used the key's next nonce while the node was away: the node refuses, the worker resynchronises", async () => {
    const node = await faultyNode();
    try {
      await node.queue(20, "Först");
      const worker = node.startWorker();
      await worker.drain(30_000);
      // The worker's nonce manager now holds the key's next nonce. The node goes away; meanwhile another
      // process sends a transaction from the same key (straight to the node), using that nonce.
      const down = node.proxy.restart(DOWN_MS);
      const account = privateKeyToAccount(DEV_PRIVATE_KEYS[2]);
      expect(account.address).to.equal(node.h.signer.address);
      const chain = defineChain({
        id: node.h.deployment.chainId,
        name: "dev",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [node.h.deployment.rpcUrl] } },
      });
      const other = createWalletClient({ account, chain, transport: http(node.h.deployment.rpcUrl) });
      await other.sendTransaction({ to: account.address, value: 0n });
      await node.queue(20, "Sedan");
      worker.wake();
      await down;
      await node.expectSettled(worker);
      const refused = node.proxy.calls.filter(
        (c) => c.method === "eth_sendRawTransaction" && /nonce too low/i.test(c.nodeError ?? ""),
      );
      expect(refused, "the node refused the stale nonce").to.have.length(1);
    } finally {
      await node.close();
    }
  });
});

describe("node restarts on a chain with a mempool (interval mining)", function () {
  this.timeout(60_000);

  it("restarts after the send, before its answer, while the transaction is still pending: not sent twice", async () => {
    const node = await faultyNode();
    const rpcUrl = node.h.deployment.rpcUrl;
    try {
      await node.queue(20);
      await rpc(rpcUrl, "evm_setAutomine", [false]);
      await rpc(rpcUrl, "evm_setIntervalMining", [4000]);
      node.proxy.inject({
        fault: { kind: "restart", downMs: 500, forward: true },
        methods: ["eth_sendRawTransaction"],
      });
      const worker = node.startWorker();
      await node.expectSettled(worker);
      // Anchored by the transaction that was pending (found by the hash stored before the send), from its receipt.
      const [batch] = await node.h.store.anchoring.listBatches(node.h.organisation.id);
      expect(batch!.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(batch!.blockNumber).to.not.equal(null);
      expect(node.proxy.count("eth_sendRawTransaction"), "one send per batch").to.equal(2);
    } finally {
      await rpc(rpcUrl, "evm_setIntervalMining", [0]).catch(() => undefined);
      await rpc(rpcUrl, "evm_setAutomine", [true]).catch(() => undefined);
      await node.close();
    }
  });
});
