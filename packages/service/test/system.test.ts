import { Writable } from "node:stream";
import { freePort } from "@intyg/devchain";
import { expect } from "chai";
import { createChainClient } from "../src/chain/client";
import { createApp } from "../src/http/app";
import { createLogger } from "../src/logger";
import { CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`health (${kind})`, () => {
    it("reports the database and the chain; 503 problem when the chain does not answer", async () => {
      const h = await createAppHarness(kind, { autoStartWorker: false });
      try {
        const ok = await expectJson<{
          status: string;
          database: { ok: boolean; dialect: string };
          chain: { ok: boolean; blockNumber: string };
        }>(await h.call("GET", "/healthz", { auth: null }), 200);
        expect(ok.database).to.deep.equal({ ok: true, dialect: kind === "pglite" ? "pglite" : "postgres" });
        expect(ok.chain.ok).to.equal(true);
        expect(Number(ok.chain.blockNumber)).to.be.greaterThan(0);
        const deadChain = await createChainClient({
          rpcUrl: `http://127.0.0.1:${await freePort()}`,
          registry: h.deployment.registry,
          signer: h.signer,
          chainId: h.deployment.chainId,
        });
        const app = createApp({ ...h, chain: deadChain });
        const problem = await expectProblem(await app.request("/healthz"), 503, "unavailable");
        expect(problem.detail).to.match(/chain/);
        expect(problem.database).to.deep.include({ ok: true });
      } finally {
        await h.close();
      }
    });

    if (kind === "pglite")
      it("answers at once while a long transaction holds the embedded database, and says it is busy", async () => {
        const h = await createAppHarness(kind, { autoStartWorker: false });
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let started!: () => void;
        const began = new Promise<void>((resolve) => {
          started = resolve;
        });
        const transaction = h.store.db.transaction(async (tx) => {
          await tx.query("SELECT 1");
          started();
          await held;
        });
        try {
          await began;
          const at = performance.now();
          const busy = await expectJson<{ database: { ok: boolean; busy?: boolean } }>(
            await h.call("GET", "/healthz", { auth: null }),
            200,
          );
          // Without the check of the session, the probe waits for the transaction (here: for ever; 3 s, then 503).
          expect(performance.now() - at).to.be.lessThan(2000);
          expect(busy.database).to.deep.equal({ ok: true, dialect: "pglite", busy: true });
        } finally {
          release();
          await transaction;
        }
        try {
          const after = await expectJson<{ database: Record<string, unknown> }>(
            await h.call("GET", "/healthz", { auth: null }),
            200,
          );
          expect(after.database).to.deep.equal({ ok: true, dialect: "pglite" });
        } finally {
          await h.close();
        }
      });
  });
}

describe("logs", () => {
  it("never contain API keys, private keys or attendees' personal data", async () => {
    let lines = "";
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: "debug", destination: sink });
    const h = await createAppHarness("pglite", { logger });
    try {
      const event = await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      const bulk = await expectJson<{ credentials: { id: string; holderUrl: string }[] }>(
        await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
          body: {
            attendees: [
              { subject: { name: "Hemliga Hedvig", email: "hedvig@example.se", birthDate: "1980-02-29" } },
            ],
          },
          headers: { "idempotency-key": "logs" },
        }),
        201,
      );
      await h.worker.drain();
      const id = bulk.credentials[0]!.id;
      await h.call("GET", `/v1/credentials/${id}/pdf`);
      await h.call("GET", new URL(bulk.credentials[0]!.holderUrl).pathname, { auth: null });
      await h.call("POST", `/v1/credentials/${id}/revoke`, { body: { reason: "other" } });
      await h.call("GET", "/v1/events", { auth: "intyg_wrong-key-000000000000000000000000000000" });
      await h.worker.drain();
      // A logger handed a secret by mistake censors it too.
      logger.info(
        { apiKey: h.apiKey, privateKey: h.deployment.signerKey, email: "hedvig@example.se" },
        "oops",
      );
      expect(lines).to.contain('"route":"/v1/events/:id/credentials/bulk"');
      expect(lines).to.contain("batch anchored");
      for (const secret of [
        h.apiKey,
        h.deployment.signerKey,
        h.deployment.signerKey.slice(2),
        "Hemliga Hedvig",
        "hedvig@example.se",
        "1980-02-29",
        new URL(bulk.credentials[0]!.holderUrl).pathname.split("/").pop()!,
        "intyg_wrong-key",
      ]) {
        expect(lines, secret).not.to.contain(secret);
      }
    } finally {
      await h.close();
    }
  });
});
