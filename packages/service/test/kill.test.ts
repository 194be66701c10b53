import { verifyBatchProof } from "@intyg/credential";
import { verifyCredentials } from "@intyg/verifier";
import { expect } from "chai";
import { signedDocument } from "../src/http/present";
import { startWorker } from "../src/worker/worker";
import { createHarness, queueCredentials, registeredEvent } from "./helpers/harness";
import { anchoredCounts, rpc } from "./helpers/onchain";
import { runTs } from "./helpers/process";
import { TEST_DATABASE_URL } from "./helpers/stores";

describe("worker killed with SIGKILL at random moments (child processes, postgres)", function () {
  // Child processes load TypeScript and start their own databases: slow on a busy machine.
  this.timeout(300_000);
  it("anchors every credential exactly once and no root twice across kills and restarts", async () => {
    const h = await createHarness("postgres");
    const rpcUrl = h.deployment.rpcUrl;
    let ids: string[] = [];
    try {
      const event = await registeredEvent(h);
      ids = await queueCredentials(h, event, 240);
      // Blocks every 250 ms instead of one per transaction: kills land between send and receipt too.
      await rpc(rpcUrl, "evm_setAutomine", [false]);
      await rpc(rpcUrl, "evm_setIntervalMining", [250]);
      const env = {
        DATABASE_URL: TEST_DATABASE_URL,
        INTYG_TEST_SCHEMA: (h.store as { schema?: string }).schema!,
        INTYG_SIGNER_KEY: h.deployment.signerKey,
        INTYG_RPC_URL: rpcUrl,
        INTYG_REGISTRY: h.deployment.registry,
        INTYG_MAX_BATCH: "20",
      };
      let kills = 0;
      for (let round = 0; round < 4; round++) {
        const child = runTs("test/fixtures/worker-process.ts", [], env);
        try {
          await child.waitFor(/batch recorded/, 90_000);
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 600)));
        } finally {
          child.process.kill("SIGKILL");
          await child.exited;
          kills += 1;
        }
      }
      expect(kills).to.equal(4);
      const before = await h.store.anchoring.listBatches(h.organisation.id);
      expect(before.length).to.be.greaterThan(0);
      // Some batch was cut short by a kill (otherwise the test proves little).
      console.log(`      after ${kills} kills: ${before.map((b) => b.status[0]).join("")}`);
    } finally {
      await rpc(rpcUrl, "evm_setIntervalMining", [0]);
      await rpc(rpcUrl, "evm_setAutomine", [true]);
    }
    try {
      await rpc(rpcUrl, "evm_mine");
      const worker = startWorker(h);
      await worker.drain(120_000);
      await worker.stop();
      const batches = await h.store.anchoring.listBatches(h.organisation.id);
      const onChain = await anchoredCounts(rpcUrl, h.deployment.registry);
      const seen = new Set<string>();
      const documents: unknown[] = [];
      for (const batch of batches) {
        expect(batch.status).to.equal("anchored");
        expect(onChain.get(batch.root)).to.equal(1);
        for (const member of await h.store.anchoring.batchMembers(batch.id)) {
          expect(seen.has(member.id)).to.equal(false);
          seen.add(member.id);
          expect(member.status).to.equal("anchored");
          expect(verifyBatchProof(batch.root, member.commitment, member.proof!)).to.equal(true);
          documents.push(signedDocument(member));
        }
      }
      expect(seen.size).to.equal(ids.length);
      // And each verifies as a holder's copy would, with the verifier, against the chain.
      const reports = await verifyCredentials(documents, { rpcUrl, registry: h.deployment.registry });
      const unverified = reports.filter((report) => !report.verified);
      expect(
        unverified.map((r) => r.checks.filter((c) => c.status === "failed").map((c) => c.id)),
      ).to.deep.equal([]);
      expect([...onChain.values()].every((n) => n === 1)).to.equal(true);
      expect(onChain.size).to.equal(batches.length);
    } finally {
      await h.close();
    }
  });
});
