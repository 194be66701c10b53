// The tracked chain operation's guarantees, each against the real hardhat node: every hash ever signed for an
// operation is kept (a resend with a new nonce appends, never replaces); a settled operation names the hash
// the chain mined, with its block, or none — never one the chain did not mine; an event registration that
// stays pending is replaced, so it does not hold back later transactions of the key; and a revocation's
// failed attempt leaves its last error on the operation, as every other kind does.

import { localChain } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import { createPublicClient, createWalletClient, type Hex, http, type PublicClient, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createChainClient } from "../src/chain/client";
import { createEvent } from "../src/events";
import { startWorker } from "../src/worker/worker";
import { expectExactlyOnce } from "./helpers/anchoring";
import { crashingChain } from "./helpers/faults";
import { type FaultyNode, faultyNode } from "./helpers/faulty-node";
import {
  CONFERENCE,
  createHarness,
  eventually,
  type Harness,
  queueCredentials,
  registeredEvent,
} from "./helpers/harness";
import { rpc } from "./helpers/onchain";

const GWEI = 1_000_000_000n;

const receiptOrNull = (client: PublicClient, hash: Hex) =>
  client.getTransactionReceipt({ hash }).catch(() => null);

/** A worker that signs and sends the batch, then dies before its receipt; the send is left in the mempool. */
async function sentThenDied(h: Harness) {
  const event = await registeredEvent(h);
  const ids = await queueCredentials(h, event, 5);
  await rpc(h.deployment.rpcUrl, "evm_setAutomine", [false]);
  const faulty = crashingChain(h.chain, "before-receipt");
  const first = startWorker({ ...h, chain: faulty.chain });
  await faulty.crashed;
  await first.stop({ abandon: true });
  const [sent] = await h.store.anchoring.listBatches(h.organisation.id);
  expect(sent!.txHashes).to.have.length(1);
  return { ids, batch: sent!, hash: sent!.txHashes[0]! };
}

/** A restarted worker: a new chain client (its nonces read from the node) and nothing in memory. */
async function restarted(h: Harness) {
  const chain = await createChainClient({
    rpcUrl: h.deployment.rpcUrl,
    registry: h.deployment.registry,
    signer: h.signer,
    chainId: h.deployment.chainId,
    pollingIntervalMs: 50,
  });
  const worker = startWorker({ ...h, chain });
  await worker.drain(20_000);
  await worker.stop();
}

describe("tracked chain operations", function () {
  this.timeout(60_000);

  describe("hash bookkeeping", () => {
    let h: Harness;
    let client: PublicClient;
    beforeEach(async () => {
      h = await createHarness("pglite");
      client = createPublicClient({ transport: http(h.deployment.rpcUrl) }) as PublicClient;
    });
    afterEach(async () => {
      await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]).catch(() => undefined);
      await h.close();
    });

    it("a send the node dropped is sent again with a new hash, appended; the mined one is recorded with its block", async () => {
      const { ids, hash: dropped } = await sentThenDied(h);
      await rpc(h.deployment.rpcUrl, "hardhat_dropTransaction", [dropped]);
      // Fees have moved meanwhile: the resend is another transaction (the same one would have the same hash).
      await rpc(h.deployment.rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(3n * GWEI)]);
      await rpc(h.deployment.rpcUrl, "evm_mine");
      await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]);
      await restarted(h);

      const [batch] = await h.store.anchoring.listBatches(h.organisation.id);
      expect(batch!.status).to.equal("anchored");
      expect(batch!.txHashes, "the dropped send is kept, the resend appended").to.have.length(2);
      expect(batch!.txHashes[0]).to.equal(dropped);
      expect(batch!.txHash).to.equal(batch!.txHashes[1]);
      const receipt = (await receiptOrNull(client, batch!.txHash!))!;
      expect(receipt.status).to.equal("success");
      expect(BigInt(batch!.blockNumber!)).to.equal(receipt.blockNumber);
      expect(await receiptOrNull(client, dropped), "never mined").to.equal(null);
      expect(batch!.attempts).to.equal(2);
      await expectExactlyOnce(h, ids);
    });

    it("anchored by a transaction that is not one of its own: no hash and no block, never one the chain did not mine", async () => {
      const { batch, hash: dropped } = await sentThenDied(h);
      await rpc(h.deployment.rpcUrl, "hardhat_dropTransaction", [dropped]);
      await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]);
      // Another process with the same key (a second leader) anchored the same root, exactly as recorded.
      const wallet = createWalletClient({
        account: privateKeyToAccount(h.deployment.signerKey),
        chain: localChain(h.deployment.rpcUrl, h.deployment.chainId),
        transport: http(h.deployment.rpcUrl),
      });
      const other = await wallet.writeContract({
        address: h.deployment.registry,
        abi: intygRegistryAbi,
        functionName: "anchorBatch",
        args: [batch.root, BigInt(batch.chainEventId), BigInt(batch.validUntil), batch.size],
        // Not the dropped transaction itself: another gas limit.
        gas: 300_000n,
      });
      expect((await client.waitForTransactionReceipt({ hash: other })).status).to.equal("success");
      await restarted(h);

      const settled = (await h.store.anchoring.getBatch(batch.id))!;
      expect(settled.status).to.equal("anchored");
      expect(settled.txHashes).to.deep.equal([dropped]);
      expect(settled.txHash, "the dropped hash is not the batch's transaction").to.equal(null);
      expect(settled.blockNumber).to.equal(null);
      const [member] = await h.store.anchoring.batchMembers(batch.id);
      expect(member!.status).to.equal("anchored");
    });
  });

  describe("event registration and revocation", () => {
    let n: FaultyNode | null = null;
    afterEach(async () => {
      if (!n) return;
      const rpcUrl = n.h.deployment.rpcUrl;
      await n.close();
      await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
      await rpc(rpcUrl, "evm_mine");
      await rpc(rpcUrl, "evm_setAutomine", [true]);
      n = null;
    });

    it("a registration that stays pending is replaced at higher fees; the key's later transactions follow", async () => {
      n = await faultyNode({
        receiptTimeoutMs: 20_000,
        replacement: { replaceAfterMs: 800, maxFeeMultiplier: 1000 },
      });
      const rpcUrl = n.h.deployment.rpcUrl;
      await rpc(rpcUrl, "evm_setAutomine", [false]);
      const deps = { ...n.h, chain: n.chain };
      const created = createEvent(deps, n.h.organisation, {
        kind: "event",
        details: { ...CONFERENCE, name: "Fastnad registrering" },
      });
      const client = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
      const first = await eventually(async () => {
        const rows = await n!.h.store.db.query<{ tx_hashes: Hex[] }>(
          "SELECT tx_hashes FROM chain_operations WHERE kind = 'event-registration' AND status = 'sending'",
        );
        const hash = rows[0]?.tx_hashes[0];
        return hash ? ((await client.getTransaction({ hash }).catch(() => null)) ?? undefined) : undefined;
      }, 15_000);
      expect(first.blockNumber, "pending").to.equal(null);
      // From now on every block's base fee is far above what the first send offers: only a replacement is mined.
      let mining = true;
      const miner = (async () => {
        while (mining) {
          await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(50n * GWEI)]);
          await rpc(rpcUrl, "evm_mine");
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const event = await created.finally(async () => {
        mining = false;
        await miner;
      });
      expect(event.status).to.equal("registered");
      const [operation] = (await n.h.store.db.query(
        "SELECT tx_hashes, mined_tx_hash, block_number FROM chain_operations WHERE subject_id = $1",
        [event.id],
      )) as { tx_hashes: Hex[]; mined_tx_hash: Hex; block_number: string | number }[];
      expect(operation!.tx_hashes.length, "replaced").to.be.at.least(2);
      expect(event.txHash).to.equal(operation!.mined_tx_hash);
      expect(operation!.tx_hashes).to.include(event.txHash);
      const receipt = (await receiptOrNull(client, event.txHash!))!;
      expect(BigInt(operation!.block_number)).to.equal(receipt.blockNumber);
      expect(operation!.tx_hashes[0]).to.equal(first.hash);
      expect(await receiptOrNull(client, first.hash), "the first send is never mined").to.equal(null);

      await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
      await rpc(rpcUrl, "evm_mine");
      await rpc(rpcUrl, "evm_setAutomine", [true]);
      const ids = await queueCredentials(n.h, event, 3);
      n.ids.push(...ids);
      await n.expectSettled(n.startWorker());
    });

    it("a registration its request left pending is taken over by the worker, replaced, and later anchoring follows", async () => {
      let offset = 0;
      const clock = { now: () => new Date(Date.now() + offset) };
      const h = await createHarness("pglite", { clock });
      const rpcUrl = h.deployment.rpcUrl;
      const client = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
      let mining = false;
      let miner: Promise<void> = Promise.resolve();
      try {
        await rpc(rpcUrl, "evm_setAutomine", [false]);
        // The request sends createEvent and never hears back (its process is gone).
        const gone = new Proxy(h.chain, {
          get: (target, property, receiver) =>
            property === "waitForReceipt"
              ? () => new Promise(() => undefined)
              : Reflect.get(target, property, receiver),
        });
        void createEvent({ ...h, chain: gone }, h.organisation, { kind: "event", details: CONFERENCE });
        const first = await eventually(async () => {
          const [operation] = await h.store.operations.inFlight(["event-registration"]);
          const hash = operation?.txHashes[0];
          return hash ? ((await client.getTransaction({ hash }).catch(() => null)) ?? undefined) : undefined;
        }, 15_000);
        // Its fee is too low from now on, and a minute passes: the worker takes the registration over.
        mining = true;
        miner = (async () => {
          while (mining) {
            await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(50n * GWEI)]);
            await rpc(rpcUrl, "evm_mine");
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        })();
        offset = 61_000;
        const chain = await createChainClient({
          rpcUrl,
          registry: h.deployment.registry,
          signer: h.signer,
          chainId: h.deployment.chainId,
          pollingIntervalMs: 50,
          replaceAfterMs: 800,
          maxFeeMultiplier: 1000,
        });
        const worker = startWorker({ ...h, chain });
        try {
          const [{ subjectId }] = (await h.store.db.query(
            "SELECT subject_id AS \"subjectId\" FROM chain_operations WHERE kind = 'event-registration'",
          )) as [{ subjectId: string }];
          const event = await eventually(async () => {
            const stored = await h.store.events.get(h.organisation.id, subjectId);
            return stored?.status === "registered" ? stored : undefined;
          }, 20_000);
          mining = false;
          await miner;
          const [operation] = (await h.store.db.query(
            "SELECT tx_hashes FROM chain_operations WHERE subject_id = $1",
            [subjectId],
          )) as { tx_hashes: Hex[] }[];
          expect(operation!.tx_hashes[0]).to.equal(first.hash);
          expect(operation!.tx_hashes.length, "replaced by the worker").to.be.at.least(2);
          expect(event.txHash).to.not.equal(first.hash);
          expect((await receiptOrNull(client, event.txHash!))!.status).to.equal("success");

          await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
          await rpc(rpcUrl, "evm_mine");
          await rpc(rpcUrl, "evm_setAutomine", [true]);
          const ids = await queueCredentials(h, event, 3);
          worker.wake();
          await worker.drain(20_000);
          await expectExactlyOnce(h, ids);
        } finally {
          await worker.stop();
        }
      } finally {
        mining = false;
        await miner;
        await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
        await rpc(rpcUrl, "evm_mine");
        await rpc(rpcUrl, "evm_setAutomine", [true]);
        await h.close();
      }
    });

    it("a revocation's failed attempt leaves its last error; cleared once the revocation is confirmed", async () => {
      n = await faultyNode();
      const ids = await n.queue(3);
      const worker = n.startWorker();
      await worker.drain(20_000);
      n.proxy.inject({
        fault: { kind: "rpc-error", code: -32000, message: "the node is overloaded" },
        methods: ["eth_sendRawTransaction"],
        times: Number.POSITIVE_INFINITY,
      });
      await n.h.store.credentials.requestRevocation(n.h.organisation.id, ids[0]!, "issuedInError");
      worker.wake();
      const failing = await eventually(async () => {
        const credential = await n!.h.store.credentials.get(n!.h.organisation.id, ids[0]!);
        return credential?.revocationError ? credential : undefined;
      }, 15_000);
      expect(failing.revocationStatus).to.equal("requested");
      expect(failing.revocationError).to.match(/^ChainRpcError: /);
      n.proxy.clear();
      await worker.drain(20_000);
      const revoked = (await n.h.store.credentials.get(n.h.organisation.id, ids[0]!))!;
      expect(revoked.revocationStatus).to.equal("confirmed");
      expect(revoked.revocationError).to.equal(null);
      expect(revoked.revocationTxHash).to.equal(revoked.revocationTxHashes.at(-1));
    });
  });
});
