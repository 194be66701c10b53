// Front-running the service from the mempool. A second organisation, watching the node, copies the service's
// pending batch root under its own event with a higher fee: with records kept per organisation, both are
// anchored, each in its own namespace, and every credential the service marks anchored verifies. And the
// worker checks rather than trusts: a record in the service's namespace that says something else than what it
// sent (here written by another key of the same organisation) leaves the batch failed, with an alert, never
// anchored.

import { Writable } from "node:stream";
import { DEV_PRIVATE_KEYS, localChain, seedOrganisation } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { verifyCredentials } from "@intyg/verifier";
import { expect } from "chai";
import {
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  type Hex,
  http,
  type PublicClient,
  parseGwei,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createEvent } from "../src/events";
import { prepareCredentials } from "../src/issuance";
import { createLogger } from "../src/logger";
import { startWorker } from "../src/worker/worker";
import { CONFERENCE, createHarness, eventually, type Harness, issuanceContextOf } from "./helpers/harness";
import { rpc } from "./helpers/onchain";

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

/** The other organisation: accredited on the same registry, with its own admin, key and event. */
const OTHER = {
  admin: generatePrivateKey(),
  key: generatePrivateKey(),
  profile: {
    name: "Annan Kommun",
    legalName: "Annan kommun",
    organisationNumber: "212000-0142",
    url: "https://annan.example.se",
  },
};

async function pendingCredentials(h: Harness, count: number) {
  const event = await createEvent(h, h.organisation, { kind: "event", details: CONFERENCE });
  const ctx = issuanceContextOf(h, event);
  const attendees = Array.from({ length: count }, (_, i) => ({
    subject: { name: `Deltagare ${i}`, role: "participant" as const, partsAttended: ["seminarier"] },
  }));
  const { credentials } = await prepareCredentials(ctx, attendees);
  await h.store.issuance.commit({
    organisationId: h.organisation.id,
    requestHash: `front-running-${count}`,
    response: { status: 201, body: {} },
    credentials,
  });
  return event;
}

/** Gives a fresh account ether on the dev chain. */
async function fund(h: Harness, key: Hex) {
  await rpc(h.deployment.rpcUrl, "hardhat_setBalance", [
    privateKeyToAccount(key).address,
    "0x56BC75E2D63100000",
  ]);
}

function clients(h: Harness, key: Hex) {
  const chain = localChain(h.deployment.rpcUrl, h.deployment.chainId);
  return {
    publicClient: createPublicClient({ chain, transport: http(h.deployment.rpcUrl) }) as PublicClient,
    wallet: createWalletClient({
      chain,
      transport: http(h.deployment.rpcUrl),
      account: privateKeyToAccount(key),
    }),
  };
}

describe("front-running from the mempool", function () {
  this.timeout(120_000);
  let h: Harness;
  let recorded: ReturnType<typeof recordingLogger>;

  before(async () => {
    recorded = recordingLogger();
    h = await createHarness("pglite", { logger: recorded.logger });
  });
  after(async () => {
    await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]).catch(() => undefined);
    await h?.close();
  });

  it("a second organisation copying the pending root leaves every credential anchored and verifying", async () => {
    await fund(h, OTHER.admin);
    await fund(h, OTHER.key);
    const otherId = await seedOrganisation({
      rpcUrl: h.deployment.rpcUrl,
      registry: h.deployment.registry,
      governorKey: DEV_PRIVATE_KEYS[0]!,
      adminKey: OTHER.admin,
      signingKey: OTHER.key,
      profile: OTHER.profile,
    });
    const other = clients(h, OTHER.key);
    const created = await other.wallet.writeContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "createEvent",
      args: [otherId, 0n, 1, `0x${"22".repeat(32)}`],
    });
    await other.publicClient.waitForTransactionReceipt({ hash: created });
    const otherEvent = (BigInt(otherId) << 32n) | 1n;
    await pendingCredentials(h, 5);

    await rpc(h.deployment.rpcUrl, "evm_setAutomine", [false]);
    const worker = startWorker(h, { autoStart: false });
    const pass = worker.runOnce();
    // The service's anchorBatch waits in the mempool; the other organisation reads its root from there.
    const pending = await eventually(async () => {
      const batch = (await h.store.anchoring.listBatches(h.organisation.id))[0];
      if (!batch?.txHash) return undefined;
      return other.publicClient.getTransaction({ hash: batch.txHash }).catch(() => undefined);
    }, 20_000);
    const { functionName, args } = decodeFunctionData({ abi: intygRegistryAbi, data: pending.input });
    expect(functionName).to.equal("anchorBatch");
    const [root, , , size] = args as readonly [Hex, bigint, bigint, number];
    const copy = await other.wallet.writeContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "anchorBatch",
      args: [root, otherEvent, 0n, size],
      gas: 200_000n,
      maxFeePerGas: parseGwei("100"),
      maxPriorityFeePerGas: parseGwei("50"),
    });
    await rpc(h.deployment.rpcUrl, "evm_mine");
    await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]);
    const summary = await pass;
    await worker.stop();

    // The copy went first, and took nothing: both records exist, each in its organisation's namespace.
    const copyReceipt = await other.publicClient.getTransactionReceipt({ hash: copy });
    const serviceReceipt = await other.publicClient.getTransactionReceipt({ hash: pending.hash });
    expect(copyReceipt.transactionIndex).to.be.lessThan(serviceReceipt.transactionIndex);
    expect(serviceReceipt.status).to.equal("success");
    expect((await h.chain.record(otherId, root)).eventId).to.equal(otherEvent);
    expect(summary.batchesAnchored).to.equal(1);

    // Every credential marked anchored verifies.
    const batch = (await h.store.anchoring.listBatches(h.organisation.id))[0]!;
    expect(batch.status).to.equal("anchored");
    const members = await h.store.anchoring.batchMembers(batch.id);
    expect(members.map((m) => m.status)).to.deep.equal(Array(5).fill("anchored"));
    const reports = await verifyCredentials(
      members.map((m) => m.document!),
      { rpcUrl: h.deployment.rpcUrl, registry: h.deployment.registry, lang: "en" },
    );
    for (const report of reports) expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
  });

  it("a record in its own namespace that differs from what it sent fails the batch, with an alert", async () => {
    // Another key of the service's own organisation anchors the service's root first, for another event and size.
    const rogueKey = generatePrivateKey();
    const rogue = privateKeyToAccount(rogueKey);
    await fund(h, rogueKey);
    const organisationId = h.deployment.organisationId;
    const admin = clients(h, DEV_PRIVATE_KEYS[1]!);
    const consent = await rogue.signTypedData({
      domain: {
        name: "Intyg",
        version: "1",
        chainId: h.deployment.chainId,
        verifyingContract: h.deployment.registry,
      },
      types: {
        KeyConsent: [
          { name: "organisationId", type: "uint32" },
          { name: "key", type: "address" },
          { name: "validFrom", type: "uint40" },
          { name: "validUntil", type: "uint40" },
        ],
      },
      primaryType: "KeyConsent",
      message: { organisationId, key: rogue.address, validFrom: 0, validUntil: 0 },
    });
    await admin.publicClient.waitForTransactionReceipt({
      hash: await admin.wallet.writeContract({
        address: h.deployment.registry,
        abi: intygRegistryAbi,
        functionName: "authoriseKey",
        args: [organisationId, rogue.address, 0, 0, consent],
      }),
    });
    const event = await pendingCredentials(h, 3);
    await rpc(h.deployment.rpcUrl, "evm_setAutomine", [false]);
    const worker = startWorker(h, { autoStart: false });
    const pass = worker.runOnce();
    const pending = await eventually(async () => {
      const batch = (await h.store.anchoring.listBatches(h.organisation.id)).find(
        (b) => b.chainEventId === event.chainEventId,
      );
      if (!batch?.txHash) return undefined;
      return admin.publicClient.getTransaction({ hash: batch.txHash }).catch(() => undefined);
    }, 20_000);
    const { args } = decodeFunctionData({ abi: intygRegistryAbi, data: pending.input });
    const [root, eventId] = args as readonly [Hex, bigint, bigint, number];
    const rogueClient = clients(h, rogueKey);
    await rogueClient.wallet.writeContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "anchorBatch",
      args: [root, eventId, 0n, 99],
      // Estimated against the pending block (where the service's send already anchored it), it would revert.
      gas: 200_000n,
      maxFeePerGas: parseGwei("100"),
      maxPriorityFeePerGas: parseGwei("50"),
    });
    await rpc(h.deployment.rpcUrl, "evm_mine");
    await rpc(h.deployment.rpcUrl, "evm_setAutomine", [true]);
    await pass;
    await worker.stop();

    const batch = (await h.store.anchoring.listBatches(h.organisation.id)).find((b) => b.root === root)!;
    expect(batch.status).to.equal("failed");
    expect(batch.lastError).to.match(/batch size 99 instead of 3/);
    const members = await h.store.anchoring.batchMembers(batch.id);
    expect(members.every((m) => m.status !== "anchored")).to.equal(true);
    const alert = recorded.lines.find((line) => line.alert === true && line.batch === batch.id);
    expect(alert?.msg).to.match(/ALERT/);
  });
});
