// A transaction that stays pending — underpriced after the base fee rose, or just not mined — is replaced: the
// same nonce and call signed again with fee cap and tip raised by at least 12.5% (and to at least twice the base
// fee plus the tip), its hash recorded before it is sent, the earlier hashes kept. Whichever of them is mined
// settles the item, exactly once; the node's answers to a replacement (underpriced, already known, nonce too
// low) are handled; a fee limit stops the bumping without stopping the worker. Against the real hardhat node
// (automine off, so that a transaction can stay in the mempool; with automine hardhat refuses a transaction
// below the next base fee) behind the JSON-RPC proxy of faulty-node.ts.

import { Writable } from "node:stream";
import { expect } from "chai";
import fc from "fast-check";
import {
  createPublicClient,
  type Hex,
  http,
  type PublicClient,
  serializeTransaction,
  type Transaction,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { bumped, createChainClient, type FeeMarket, type Fees, replacementFees } from "../src/chain/client";
import { loadConfig } from "../src/config";
import { ConfigError } from "../src/errors";
import { prepareCredentials } from "../src/issuance";
import { createLogger } from "../src/logger";
import type { Store } from "../src/store/store";
import { startWorker } from "../src/worker/worker";
import { expectExactlyOnce } from "./helpers/anchoring";
import { type FaultyNode, type FaultyNodeOptions, faultyNode } from "./helpers/faulty-node";
import { eventually } from "./helpers/harness";
import { anchoredCounts, rpc } from "./helpers/onchain";

const GWEI = 1_000_000_000n;
/** The base fee a spike raises every block to: far above what a send prepared before it offers. */
const SPIKE = 50n * GWEI;
/** No limit relative to the first send (its fee is about 1 gwei here, the spike 50). */
const UNLIMITED = 1_000_000;

const atLeast = (actual: bigint, floor: bigint) =>
  expect(actual >= floor, `${actual} >= ${floor}`).to.equal(true);
const atMost = (actual: bigint, ceiling: bigint) =>
  expect(actual <= ceiling, `${actual} <= ${ceiling}`).to.equal(true);
const below = (actual: bigint, ceiling: bigint) =>
  expect(actual < ceiling, `${actual} < ${ceiling}`).to.equal(true);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type LogLine = { level: number; msg: string; [key: string]: unknown };

function recordingLogger() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination: sink }), lines };
}

const REPLACING = /replacing it with higher fees/;
const AT_LIMIT = /pending at the fee limit/;
const FAILED = /chain call failed/;

/** Mines a block every `everyMs` (automine is off), each with `baseFee` when given. */
function miner(rpcUrl: string, baseFee: bigint | null, everyMs = 200) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (baseFee !== null) await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(baseFee)]);
      await rpc(rpcUrl, "evm_mine");
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** The shared node as the other tests expect it: a low base fee, anything pending mined, automine on. */
async function normalMining(rpcUrl: string) {
  await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
  await rpc(rpcUrl, "evm_mine");
  await rpc(rpcUrl, "evm_setAutomine", [true]);
}

/** The node's copy of a transaction, or null when it does not know it. */
async function nodeTx(client: PublicClient, hash: Hex): Promise<Transaction | null> {
  return client.getTransaction({ hash }).catch(() => null);
}

async function receiptOrNull(client: PublicClient, hash: Hex) {
  return client.getTransactionReceipt({ hash }).catch(() => null);
}

const batchOf = async (node: FaultyNode) =>
  (await node.h.store.anchoring.listBatches(node.h.organisation.id))[0];

/** The batch's first send, once it is recorded and in the node's mempool. */
async function firstSend(node: FaultyNode, client: PublicClient): Promise<Transaction> {
  return eventually(async () => {
    const hash = (await batchOf(node))?.txHash;
    const tx = hash ? await nodeTx(client, hash) : null;
    return tx ?? undefined;
  }, 15_000);
}

/** The store, which runs `after` once it has recorded the first replacement of a transaction. */
function hookedStore(store: Store, after: () => Promise<void>): Store {
  let done = false;
  const operations: Store["operations"] = {
    ...store.operations,
    async recordHash(id, hash, how) {
      await store.operations.recordHash(id, hash, how);
      if (done || !how.replacement) return;
      done = true;
      await after();
    },
  };
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property === "operations" ? operations : Reflect.get(target, property, receiver),
  });
}

/** The signed transaction the node holds, as raw bytes (its fields and signature hash to its hash). */
function rawOf(tx: Transaction): Hex {
  return serializeTransaction(
    {
      type: "eip1559",
      chainId: tx.chainId!,
      nonce: tx.nonce,
      to: tx.to!,
      data: tx.input,
      gas: tx.gas,
      value: tx.value,
      maxFeePerGas: tx.maxFeePerGas!,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas!,
      accessList: tx.accessList ?? [],
    },
    { r: tx.r, s: tx.s, yParity: tx.yParity ?? 0 },
  );
}

describe("a stuck transaction is replaced", function () {
  this.timeout(60_000);

  let node: FaultyNode | null = null;
  let client: PublicClient;
  let rpcUrl: string;
  let stopMining: (() => Promise<void>) | null = null;

  async function setUp(options: FaultyNodeOptions) {
    node = await faultyNode({ receiptTimeoutMs: 20_000, ...options });
    rpcUrl = node.h.deployment.rpcUrl;
    client = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
    return node;
  }

  afterEach(async () => {
    await stopMining?.();
    stopMining = null;
    if (node) {
      await node.close();
      await normalMining(node.h.deployment.rpcUrl);
    }
    node = null;
  });

  it("underpriced when the base fee rises: replaced with the same nonce and call at higher fees, anchored once", async () => {
    const { logger, lines } = recordingLogger();
    const n = await setUp({ replacement: { replaceAfterMs: 1000, maxFeeMultiplier: UNLIMITED }, logger });
    await n.queue(10);
    await rpc(rpcUrl, "evm_setAutomine", [false]);
    const worker = n.startWorker();
    const first = await firstSend(n, client);
    expect(first.blockNumber, "pending").to.equal(null);
    below(first.maxFeePerGas!, SPIKE);
    // From now on every block's base fee is above what the first send offers: it can never be mined.
    const spike = miner(rpcUrl, SPIKE);
    stopMining = spike.stop;
    await worker.drain(20_000);
    await spike.stop();

    const batch = (await batchOf(n))!;
    expect(batch.status).to.equal("anchored");
    expect(batch.txHashes[0]).to.equal(first.hash);
    expect(batch.txHashes.length).to.be.at.least(2);
    expect(batch.txHash).to.not.equal(first.hash);
    expect(batch.txHashes).to.include(batch.txHash);
    const mined = (await nodeTx(client, batch.txHash!))!;
    expect(mined.blockNumber).to.equal(BigInt(batch.blockNumber!));
    expect(mined.nonce, "the same nonce").to.equal(first.nonce);
    expect(mined.input, "the same call").to.equal(first.input);
    expect(mined.to).to.equal(first.to);
    expect(mined.gas).to.equal(first.gas);
    atLeast(mined.maxFeePerGas!, bumped(first.maxFeePerGas!));
    atLeast(mined.maxFeePerGas!, 2n * SPIKE);
    atLeast(mined.maxPriorityFeePerGas!, bumped(first.maxPriorityFeePerGas!));
    expect(await receiptOrNull(client, first.hash), "the first send is never mined").to.equal(null);
    const replaced = lines.filter((l) => REPLACING.test(l.msg));
    expect(replaced[0]).to.include({ batch: batch.id, replaces: first.hash, nonce: first.nonce });
    expect(
      lines.filter((l) => FAILED.test(l.msg)),
      "no chain call failed",
    ).to.deep.equal([]);

    await normalMining(rpcUrl);
    await n.expectSettled(worker);
  });

  for (const limit of [
    { name: "INTYG_MAX_FEE_GWEI", replacement: { maxFeePerGas: 20n * GWEI, maxFeeMultiplier: UNLIMITED } },
    { name: "the multiplier over the first send", replacement: { maxFeeMultiplier: 4 } },
  ]) {
    it(`stops bumping at the fee limit (${limit.name}), warns once, keeps waiting; mined once the base fee falls`, async () => {
      const { logger, lines } = recordingLogger();
      const n = await setUp({ replacement: { replaceAfterMs: 600, ...limit.replacement }, logger });
      await n.queue(10);
      await rpc(rpcUrl, "evm_setAutomine", [false]);
      const worker = n.startWorker();
      const first = await firstSend(n, client);
      const cap = limit.replacement.maxFeePerGas ?? 4n * first.maxFeePerGas!;
      below(cap, SPIKE);
      const spike = miner(rpcUrl, SPIKE);
      stopMining = spike.stop;
      await eventually(async () => (lines.some((l) => AT_LIMIT.test(l.msg)) ? true : undefined), 15_000);
      // Several more replacement periods: nothing more is sent.
      await sleep(4 * 600);
      const stuck = (await batchOf(n))!;
      expect(stuck.status).to.equal("sending");
      expect(stuck.txHashes, "one replacement, at the limit").to.have.length(2);
      const atLimit = (await nodeTx(client, stuck.txHash!))!;
      expect(atLimit.blockNumber).to.equal(null);
      expect(atLimit.nonce).to.equal(first.nonce);
      expect(atLimit.maxFeePerGas, "the limit, not a wei more").to.equal(cap);
      expect(lines.filter((l) => AT_LIMIT.test(l.msg))).to.have.length(1);
      expect(lines.find((l) => AT_LIMIT.test(l.msg))).to.include({ batch: stuck.id, limit: cap.toString() });
      expect(lines.filter((l) => REPLACING.test(l.msg))).to.have.length(1);
      expect(worker.isLeader, "the worker carries on").to.equal(true);

      // The base fee falls below the limit: the transaction at the limit is mined.
      await spike.stop();
      await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(GWEI)]);
      await rpc(rpcUrl, "evm_mine");
      await worker.drain(20_000);
      const batch = (await batchOf(n))!;
      expect(batch.status).to.equal("anchored");
      expect(batch.txHash).to.equal(stuck.txHash);
      await expectExactlyOnce(n.h, n.ids, { fromBlock: n.fromBlock });
      expect(lines.filter((l) => FAILED.test(l.msg))).to.deep.equal([]);

      if (limit.replacement.maxFeePerGas) {
        // The limit holds for a first send too: prepared at 1.2 × 18 gwei + tip, it is sent at 20 gwei.
        await rpc(rpcUrl, "hardhat_setNextBlockBaseFeePerGas", [toHex(18n * GWEI)]);
        await rpc(rpcUrl, "evm_mine");
        await rpc(rpcUrl, "evm_setAutomine", [true]);
        await n.queue(3, "Sedan");
        worker.wake();
        await worker.drain(20_000);
        const batches = await n.h.store.anchoring.listBatches(n.h.organisation.id);
        expect(batches).to.have.length(2);
        expect((await nodeTx(client, batches[1]!.txHash!))!.maxFeePerGas).to.equal(cap);
        await expectExactlyOnce(n.h, n.ids, { fromBlock: n.fromBlock });
      }
    });
  }

  it("the replaced transaction is the one mined (another node still had it): recorded as the batch's", async () => {
    const { logger, lines } = recordingLogger();
    const n = await setUp({ replacement: { replaceAfterMs: 1500, maxFeeMultiplier: UNLIMITED }, logger });
    await n.queue(10);
    await rpc(rpcUrl, "evm_setAutomine", [false]);
    const worker = n.startWorker();
    const first = await firstSend(n, client);
    const raw = rawOf(first);
    // Nothing is mined: the worker replaces the first send; the node drops it for the replacement.
    const second = await eventually(async () => {
      const hashes = (await batchOf(n))!.txHashes;
      return hashes.length === 2 && (await nodeTx(client, hashes[1]!)) ? hashes[1]! : undefined;
    }, 15_000);
    expect(await nodeTx(client, first.hash)).to.equal(null);
    // The first send comes back (another node's mempool still had it) and is mined; the replacement is gone.
    await rpc(rpcUrl, "hardhat_dropTransaction", [second]);
    await rpc(rpcUrl, "eth_sendRawTransaction", [raw]);
    await rpc(rpcUrl, "evm_mine");
    await worker.drain(10_000);

    const batch = (await batchOf(n))!;
    expect(batch.status).to.equal("anchored");
    expect(batch.txHash, "the hash of the transaction mined").to.equal(first.hash);
    const receipt = (await receiptOrNull(client, first.hash))!;
    expect(BigInt(batch.blockNumber!)).to.equal(receipt.blockNumber);
    expect(await receiptOrNull(client, second)).to.equal(null);
    expect(
      lines.filter((l) => FAILED.test(l.msg)),
      "settled by the wait, not by a retry",
    ).to.deep.equal([]);
    await normalMining(rpcUrl);
    await n.expectSettled(worker);
  });

  for (const kind of ["pglite", "postgres"] as const) {
    it(`the process dies after recording a replacement, before sending it: the restart waits for the earlier one (${kind})`, async () => {
      const n = await setUp({ kind, replacement: { replaceAfterMs: 800, maxFeeMultiplier: UNLIMITED } });
      await n.queue(10);
      await rpc(rpcUrl, "evm_setAutomine", [false]);
      let died: () => void = () => undefined;
      const dead = new Promise<void>((resolve) => {
        died = resolve;
      });
      const dying = hookedStore(n.h.store, () => {
        died();
        return new Promise<void>(() => undefined);
      });
      const before = startWorker({ ...n.h, chain: n.chain, store: dying });
      const first = await firstSend(n, client);
      await dead;
      await before.stop({ abandon: true });
      const recorded = (await batchOf(n))!;
      expect(recorded.txHashes).to.have.length(2);
      expect(recorded.txHashes[0]).to.equal(first.hash);
      expect(await nodeTx(client, recorded.txHashes[1]!), "never sent").to.equal(null);
      expect((await nodeTx(client, first.hash))?.blockNumber, "still pending").to.equal(null);

      // The restart: a new chain client (nothing in memory) and a new worker. It finds the earlier send pending.
      const chain = await createChainClient({
        rpcUrl: n.proxy.url,
        registry: n.h.deployment.registry,
        signer: n.h.signer,
        chainId: n.h.deployment.chainId,
        pollingIntervalMs: 50,
        requestTimeoutMs: 1500,
        retryCount: 1,
        receiptTimeoutMs: 20_000,
        replaceAfterMs: 60_000,
      });
      const mark = n.proxy.calls.length;
      const after = startWorker({ ...n.h, chain });
      try {
        await eventually(async () =>
          n.proxy.calls.slice(mark).some((c) => c.method === "eth_getTransactionByHash") ? true : undefined,
        );
        await sleep(300);
        const mining = miner(rpcUrl, null);
        stopMining = mining.stop;
        await after.drain(15_000);
        await mining.stop();
        const batch = (await batchOf(n))!;
        expect(batch.status).to.equal("anchored");
        expect(batch.txHash, "the earlier send, which was mined").to.equal(first.hash);
        await expectExactlyOnce(n.h, n.ids, { fromBlock: n.fromBlock });
      } finally {
        await after.stop();
      }
    });
  }

  it("the node answers the replacement 'nonce too low' (the first send was mined meanwhile): reconciled", async () => {
    const { logger, lines } = recordingLogger();
    const n = await setUp({ replacement: { replaceAfterMs: 800, maxFeeMultiplier: UNLIMITED }, logger });
    await n.queue(10);
    await rpc(rpcUrl, "evm_setAutomine", [false]);
    // Between recording the replacement and sending it, a block is mined with the first send in it.
    const store = hookedStore(n.h.store, async () => {
      await rpc(rpcUrl, "evm_mine");
    });
    const worker = startWorker({ ...n.h, chain: n.chain, store });
    try {
      const first = await firstSend(n, client);
      await worker.drain(15_000);
      const batch = (await batchOf(n))!;
      expect(batch.status).to.equal("anchored");
      expect(batch.txHashes).to.have.length(2);
      expect(batch.txHash).to.equal(first.hash);
      expect(await receiptOrNull(client, batch.txHashes[1]!)).to.equal(null);
      const refused = n.proxy.calls.filter((c) => /nonce too low/i.test(c.nodeError ?? ""));
      expect(refused, "the node refused the replacement").to.have.length(1);
      expect(
        lines.filter((l) => FAILED.test(l.msg)),
        "settled by the wait, not by a retry",
      ).to.deep.equal([]);
      await expectExactlyOnce(n.h, n.ids, { fromBlock: n.fromBlock });
    } finally {
      await worker.stop();
    }
  });

  it("the node answers the replacement 'replacement transaction underpriced': the next one outbids the refused", async () => {
    const { logger, lines } = recordingLogger();
    const n = await setUp({ replacement: { replaceAfterMs: 600, maxFeeMultiplier: UNLIMITED }, logger });
    await n.queue(10);
    await rpc(rpcUrl, "evm_setAutomine", [false]);
    n.proxy.inject({
      fault: { kind: "rpc-error", code: -32000, message: "replacement transaction underpriced" },
      methods: ["eth_sendRawTransaction"],
      after: 1,
    });
    const worker = n.startWorker();
    const first = await firstSend(n, client);
    const third = await eventually(async () => {
      const hashes = (await batchOf(n))!.txHashes;
      return hashes.length === 3 && (await nodeTx(client, hashes[2]!)) ? hashes[2]! : undefined;
    }, 15_000);
    await rpc(rpcUrl, "evm_mine");
    await worker.drain(10_000);
    const batch = (await batchOf(n))!;
    expect(batch.txHash).to.equal(third);
    const [refused, accepted] = lines.filter((l) => REPLACING.test(l.msg));
    expect(refused).to.include({ replaces: first.hash });
    expect(accepted).to.include({ replaces: first.hash, txHash: third });
    const mined = (await nodeTx(client, third))!;
    expect(mined.nonce).to.equal(first.nonce);
    atLeast(mined.maxFeePerGas!, bumped(BigInt(refused!.maxFeePerGas as string)));
    atLeast(mined.maxPriorityFeePerGas!, bumped(BigInt(refused!.maxPriorityFeePerGas as string)));
    expect(lines.filter((l) => FAILED.test(l.msg))).to.deep.equal([]);
    await normalMining(rpcUrl);
    await n.expectSettled(worker);
  });

  it("the node answers the replacement 'already known' (it has it: a lost answer, retried): taken as sent", async () => {
    const { logger, lines } = recordingLogger();
    const n = await setUp({ replacement: { replaceAfterMs: 1500, maxFeeMultiplier: UNLIMITED }, logger });
    await n.queue(10);
    await rpc(rpcUrl, "evm_setAutomine", [false]);
    n.proxy.inject({
      fault: { kind: "rpc-error", code: -32000, message: "already known", forward: true },
      methods: ["eth_sendRawTransaction"],
      after: 1,
    });
    const worker = n.startWorker();
    const first = await firstSend(n, client);
    const second = await eventually(async () => {
      const hashes = (await batchOf(n))!.txHashes;
      return hashes.length === 2 && (await nodeTx(client, hashes[1]!)) ? hashes[1]! : undefined;
    }, 15_000);
    await rpc(rpcUrl, "evm_mine");
    await worker.drain(10_000);
    const batch = (await batchOf(n))!;
    expect(batch.txHash).to.equal(second);
    expect((await nodeTx(client, second))!.nonce).to.equal(first.nonce);
    expect(n.proxy.calls.filter((c) => c.fault === "rpc-error")).to.have.length(1);
    expect(
      lines.filter((l) => FAILED.test(l.msg)),
      "no retry",
    ).to.deep.equal([]);
    await normalMining(rpcUrl);
    await n.expectSettled(worker);
  });

  it("a relayed single credential and a revocation that stay pending are replaced too (postgres)", async () => {
    const n = await setUp({
      kind: "postgres",
      replacement: { replaceAfterMs: 800, maxFeeMultiplier: UNLIMITED },
    });
    const ids = await n.queue(3);
    const worker = n.startWorker();
    await worker.drain(20_000);
    await rpc(rpcUrl, "evm_setAutomine", [false]);

    // A credential for a holder wallet: relayed on its own (issueSigned).
    const holder = privateKeyToAccount(`0x${"42".repeat(32)}`).address;
    const { credentials } = await prepareCredentials(
      {
        anchorage: { chainId: n.h.chain.chainId, registry: n.h.chain.registry },
        organisation: n.h.organisation,
        event: n.event,
        signer: async () => n.h.signer,
        clock: n.h.clock,
        requestTtlSeconds: 3600,
        publicUrl: n.h.config.publicUrl,
      },
      [{ subject: { name: "Enskild Deltagare" }, holder }],
    );
    await n.h.store.issuance.commit({
      organisationId: n.h.organisation.id,
      requestHash: "",
      response: { status: 201, body: {} },
      credentials,
    });
    const singleId = credentials[0]!.id;
    // And the revocation of a batch member.
    await n.h.store.credentials.requestRevocation(n.h.organisation.id, ids[0]!, "issuedInError");
    worker.wake();

    const credential = async (id: string) => (await n.h.store.credentials.get(n.h.organisation.id, id))!;
    /** The first send of a list of hashes, in the mempool; then the list once a replacement is in it too. */
    const stuckThenReplaced = async (hashes: () => Promise<Hex[]>) => {
      const first = await eventually(async () => {
        const list = await hashes();
        return list[0] ? ((await nodeTx(client, list[0])) ?? undefined) : undefined;
      }, 15_000);
      const list = await eventually(async () => {
        const now = await hashes();
        return now.length >= 2 && (await nodeTx(client, now.at(-1)!)) ? now : undefined;
      }, 15_000);
      return { first, list };
    };

    const issued = await stuckThenReplaced(async () => (await credential(singleId)).txHashes);
    await rpc(rpcUrl, "evm_mine");
    const single = await eventually(async () => {
      const c = await credential(singleId);
      return c.status === "anchored" ? c : undefined;
    });
    expect(single.txHashes[0]).to.equal(issued.first.hash);
    expect(single.txHash).to.equal(single.txHashes.at(-1));
    expect(single.txHash).to.not.equal(issued.first.hash);
    const issuedTx = (await nodeTx(client, single.txHash!))!;
    expect(issuedTx.nonce).to.equal(issued.first.nonce);
    expect(issuedTx.input).to.equal(issued.first.input);
    atLeast(issuedTx.maxFeePerGas!, bumped(issued.first.maxFeePerGas!));
    expect((await receiptOrNull(client, single.txHash!))!.status).to.equal("success");
    expect(await receiptOrNull(client, issued.first.hash)).to.equal(null);
    expect((await anchoredCounts(rpcUrl, n.h.deployment.registry)).get(single.commitment)).to.equal(1);

    const revoking = await stuckThenReplaced(async () => (await credential(ids[0]!)).revocationTxHashes);
    await rpc(rpcUrl, "evm_mine");
    const revoked = await eventually(async () => {
      const c = await credential(ids[0]!);
      return c.revocationStatus === "confirmed" ? c : undefined;
    });
    expect(revoked.revocationTxHashes[0]).to.equal(revoking.first.hash);
    expect(revoked.revocationTxHash).to.equal(revoked.revocationTxHashes.at(-1));
    expect(revoked.revocationTxHash).to.not.equal(revoking.first.hash);
    const revokeTx = (await nodeTx(client, revoked.revocationTxHash!))!;
    expect(revokeTx.nonce).to.equal(revoking.first.nonce);
    expect(revokeTx.input).to.equal(revoking.first.input);
    expect((await receiptOrNull(client, revoked.revocationTxHash!))!.status).to.equal("success");
    const batch = (await batchOf(n))!;
    expect(
      (await n.h.chain.leafRevocation(n.h.deployment.organisationId, batch.root, revoked.leaf!)).revokedAt,
    ).to.be.greaterThan(0);
    await worker.drain(10_000);
  });
});

describe("replacement fees", () => {
  const wei = fc.bigInt({ min: 0n, max: 10n ** 13n });

  it("raise fee cap and tip by at least 12.5%, to at least twice the base fee plus the tip, never above the limit", () => {
    fc.assert(
      fc.property(
        wei,
        wei,
        wei,
        wei,
        fc.option(wei, { nil: null }),
        (maxFee, tip, baseFee, marketTip, limit) => {
          const previous: Fees = { maxFeePerGas: maxFee + tip, maxPriorityFeePerGas: tip };
          const market: FeeMarket = { baseFeePerGas: baseFee, maxPriorityFeePerGas: marketTip };
          const fees = replacementFees(previous, market, limit);
          const feeFloor = bumped(previous.maxFeePerGas);
          const tipFloor = bumped(previous.maxPriorityFeePerGas);
          if (fees === null) {
            expect(limit).to.not.equal(null);
            expect(limit! < feeFloor || limit! < tipFloor).to.equal(true);
            return;
          }
          if ("gasPrice" in fees) throw new Error("an EIP-1559 transaction is replaced by one");
          atLeast(fees.maxFeePerGas, feeFloor);
          atLeast(fees.maxPriorityFeePerGas, tipFloor);
          atMost(fees.maxPriorityFeePerGas, fees.maxFeePerGas);
          if (limit !== null) atMost(fees.maxFeePerGas, limit);
          if (limit === null || fees.maxFeePerGas < limit) {
            atLeast(fees.maxPriorityFeePerGas, marketTip);
            atLeast(fees.maxFeePerGas, 2n * baseFee + fees.maxPriorityFeePerGas);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a legacy gas price: at least 12.5% more and the going price, never above the limit", () => {
    fc.assert(
      fc.property(wei, wei, fc.option(wei, { nil: null }), (gasPrice, going, limit) => {
        const fees = replacementFees({ gasPrice }, { gasPrice: going }, limit);
        if (fees === null) {
          expect(limit! < bumped(gasPrice)).to.equal(true);
          return;
        }
        if (!("gasPrice" in fees)) throw new Error("a legacy transaction is replaced by one");
        atLeast(fees.gasPrice, bumped(gasPrice));
        if (limit !== null) atMost(fees.gasPrice, limit);
        if (limit === null || fees.gasPrice < limit) atLeast(fees.gasPrice, going);
      }),
      { numRuns: 200 },
    );
  });

  it("12.5% rounded up", () => {
    expect(bumped(0n)).to.equal(0n);
    expect(bumped(1n)).to.equal(2n);
    expect(bumped(8n)).to.equal(9n);
    expect(bumped(1_000_000_000n)).to.equal(1_125_000_000n);
    fc.assert(
      fc.property(wei, (x) => {
        expect(bumped(x) * 8n >= x * 9n).to.equal(true);
        expect(bumped(x) * 8n < x * 9n + 8n).to.equal(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("replacement settings", () => {
  const base = {
    INTYG_RPC_URL: "http://127.0.0.1:8545",
    INTYG_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  };

  it("INTYG_TX_REPLACE_AFTER_MS, INTYG_MAX_FEE_GWEI and INTYG_MAX_FEE_MULTIPLIER, with their defaults", () => {
    expect(loadConfig(base).rpc).to.deep.include({
      replaceAfterMs: 60_000,
      maxFeePerGas: null,
      maxFeeMultiplier: 10,
    });
    const config = loadConfig({
      ...base,
      INTYG_TX_REPLACE_AFTER_MS: "0",
      INTYG_MAX_FEE_GWEI: "0.25",
      INTYG_MAX_FEE_MULTIPLIER: "3",
    });
    expect(config.rpc).to.deep.include({
      replaceAfterMs: 0,
      maxFeePerGas: 250_000_000n,
      maxFeeMultiplier: 3,
    });
    expect(loadConfig({ ...base, INTYG_MAX_FEE_GWEI: "300" }).rpc.maxFeePerGas).to.equal(300n * GWEI);
    for (const bad of ["0", "-1", "1e3", "0.0000000001", "abc", "1,5"]) {
      expect(() => loadConfig({ ...base, INTYG_MAX_FEE_GWEI: bad }), bad).to.throw(ConfigError);
    }
    expect(() => loadConfig({ ...base, INTYG_MAX_FEE_MULTIPLIER: "0" })).to.throw(ConfigError);
    expect(() => loadConfig({ ...base, INTYG_TX_REPLACE_AFTER_MS: "-5" })).to.throw(ConfigError);
  });
});
