import { expect } from "chai";
import { startWorker } from "../src/worker/worker";
import { expectExactlyOnce } from "./helpers/anchoring";
import { countingChain, crashingChain, type FaultPoint } from "./helpers/faults";
import { createHarness, queueCredentials, registeredEvent } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`worker crash and restart (${kind})`, () => {
    const cases: { point: FaultPoint; resends: number }[] = [
      { point: "before-send", resends: 1 },
      { point: "after-send", resends: 0 },
      { point: "before-receipt", resends: 0 },
    ];
    for (const { point, resends } of cases) {
      it(`dies ${point} the anchoring of a recorded batch; the restarted worker anchors every credential exactly once`, async () => {
        const h = await createHarness(kind);
        try {
          const event = await registeredEvent(h);
          const ids = await queueCredentials(h, event, 120);
          const faulty = crashingChain(h.chain, point);
          const first = startWorker({ ...h, chain: faulty.chain });
          await faulty.crashed;
          // The process is "dead": it never returns from the chain call. Its leadership ends with it.
          await first.stop({ abandon: true });
          const [recorded] = await h.store.anchoring.listBatches(h.organisation.id);
          expect(recorded!.status).to.equal("sending");
          // The hash is stored once the transaction is signed, before it is sent.
          if (point === "before-send") expect(recorded!.txHash).to.equal(null);
          else expect(recorded!.txHash).to.match(/^0x[0-9a-f]{64}$/);
          const onChainBefore = await h.chain.record(h.deployment.organisationId, recorded!.root);
          expect(onChainBefore.issuedAt !== 0).to.equal(point !== "before-send");

          const counting = countingChain(h.chain);
          const second = startWorker({ ...h, chain: counting.chain });
          await second.drain();
          await second.stop();
          expect(counting.counts.anchorBatch ?? 0).to.equal(resends);
          await expectExactlyOnce(h, ids);
        } finally {
          await h.close();
        }
      });
    }

    it("dies in the middle of several batches; after the restart all are anchored once, none twice", async () => {
      const h = await createHarness(kind, { config: { worker: { maxBatchSize: 40 } as never } });
      try {
        const event = await registeredEvent(h);
        const ids = await queueCredentials(h, event, 150);
        const faulty = crashingChain(h.chain, "after-send", { afterCalls: 2 });
        const first = startWorker({ ...h, chain: faulty.chain });
        await faulty.crashed;
        await first.stop({ abandon: true });
        const statuses = (await h.store.anchoring.listBatches(h.organisation.id)).map((b) => b.status);
        expect(statuses).to.deep.equal(["anchored", "anchored", "sending"]);
        const second = startWorker(h);
        await second.drain();
        await second.stop();
        const batches = await h.store.anchoring.listBatches(h.organisation.id);
        expect(batches.map((b) => b.size)).to.deep.equal([40, 40, 40, 30]);
        await expectExactlyOnce(h, ids);
      } finally {
        await h.close();
      }
    });

    it("retries with backoff while the node is unreachable, then anchors once", async () => {
      const h = await createHarness(kind);
      try {
        const event = await registeredEvent(h);
        const ids = await queueCredentials(h, event, 30);
        let failures = 0;
        const flaky = new Proxy(h.chain, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (property === "anchorBatch" || property === "record") {
              return (...args: unknown[]) => {
                if (failures < 3) {
                  failures += 1;
                  return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8545"));
                }
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            }
            return typeof value === "function" ? value.bind(target) : value;
          },
        });
        const worker = startWorker({ ...h, chain: flaky });
        await worker.drain();
        await worker.stop();
        expect(failures).to.equal(3);
        const [batch] = await h.store.anchoring.listBatches(h.organisation.id);
        expect(batch!.lastError).to.equal(null);
        await expectExactlyOnce(h, ids);
      } finally {
        await h.close();
      }
    });
  });
}

describe("a single leader (postgres advisory lock)", () => {
  it("lets one worker anchor while another waits, and hands over when the leader stops", async () => {
    const h = await createHarness("postgres");
    try {
      const event = await registeredEvent(h);
      const a = startWorker(h, { autoStart: false });
      const b = startWorker(h, { autoStart: false });
      expect((await a.runOnce()).leader).to.equal(true);
      expect((await b.runOnce()).leader).to.equal(false);
      const ids = await queueCredentials(h, event, 20);
      expect((await b.runOnce()).credentialsAnchored).to.equal(0);
      expect((await a.runOnce()).credentialsAnchored).to.equal(20);
      await a.stop();
      const more = await queueCredentials(h, event, 10, "Fler");
      const taken = await b.runOnce();
      expect(taken.leader).to.equal(true);
      expect(taken.credentialsAnchored).to.equal(10);
      // Leadership is per schema: a deployment in another schema of the same database has its own leader.
      const other = await createHarness("postgres", { deployment: h.deployment });
      try {
        const c = startWorker(other, { autoStart: false });
        expect((await c.runOnce()).leader).to.equal(true);
        await c.stop();
      } finally {
        await other.close();
      }
      await b.stop();
      await expectExactlyOnce(h, [...ids, ...more]);
    } finally {
      await h.close();
    }
  });
});
