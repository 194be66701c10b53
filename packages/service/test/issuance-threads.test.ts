// Large issuances built and sealed on the issuance threads give what the event loop gives: credentials that
// verify once anchored, their personal data sealed with their own keys and found by the organiser's search, and
// every attendee the schema refuses named at its index with nothing written.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { buildBatchTree, keccakReady, verifyBatchProof } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import type { Hex } from "viem";
import { systemClock } from "../src/clock";
import type { IssuanceContext } from "../src/issuance";
import { BATCH_AT_ISSUANCE_MAX, batchAtIssuance } from "../src/issuance-batches";
import {
  issuanceThreadCounts,
  issuanceThreadsReady,
  startIssuanceThreads,
  stopIssuanceThreads,
} from "../src/parallel/pool";
import { warmUp } from "../src/parallel/tasks";
import { privateKeySigner } from "../src/signer";
import type { NewCredential } from "../src/store/store";
import type { EventRecord, Organisation } from "../src/store/types";
import {
  type AppHarness,
  CONFERENCE,
  createAppHarness,
  eventually,
  expectJson,
  expectProblem,
} from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Hex;

/** What batching at issuance needs of an issuance: the chain 31337 at {@link REGISTRY}, a development key. */
function batchContext(): IssuanceContext {
  const signer = privateKeySigner(DEV_PRIVATE_KEYS[2]!);
  return {
    anchorage: { chainId: 31337, registry: REGISTRY },
    organisation: { id: randomUUID() } as Organisation,
    event: { id: randomUUID() } as EventRecord,
    signer: async () => signer,
    clock: systemClock,
    requestTtlSeconds: 3600,
    publicUrl: "http://127.0.0.1:8787",
  };
}

type BulkResult = { count: number; credentials: { id: string; index: number; reference?: string }[] };

const attendees = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    subject: {
      name: `${tag} Deltagare${i}`,
      email: `${tag.toLowerCase()}${i}@example.se`,
      role: "participant",
    },
    reference: `${tag}-${i}`,
  }));

describe("issuance threads", () => {
  before(async function () {
    this.timeout(60_000);
    startIssuanceThreads(2);
    while (!issuanceThreadsReady()) await new Promise((resolve) => setTimeout(resolve, 50));
  });
  after(() => stopIssuanceThreads());

  it("warm up on made-up credentials the schema accepts, every one of them built and sealed", async () => {
    await keccakReady();
    expect(warmUp(20)).to.equal(20);
  });

  it("build a large batch's tree as this thread would: the same proofs, and sections as the worker writes them", async () => {
    // 2,000 members: built on a thread (a smaller batch is built on the event loop).
    const roots = Array.from({ length: 2000 }, () => `0x${randomBytes(32).toString("hex")}` as Hex);
    const credentials = roots.map(
      (commitment) => ({ id: randomUUID(), mode: "batch", validUntil: 0, commitment }) as NewCredential,
    );
    const target = { chainId: 31337, registry: REGISTRY, eventId: (1n << 32n) | 7n, validUntil: 0n };
    const before = issuanceThreadCounts().onThreads;
    await batchAtIssuance(batchContext(), credentials, target.eventId);
    expect(issuanceThreadCounts().onThreads).to.equal(before + 1);
    const expected = buildBatchTree(target, roots);
    expect(credentials.every((c) => c.batch?.batch.root === expected.root)).to.equal(true);
    for (const index of [0, 999, 1999]) {
      const member = credentials[index]!.batch!;
      const sections = JSON.parse(member.sections) as { anchor: unknown; proof: unknown[] };
      expect(sections.anchor).to.deep.equal(expected.anchors[index]);
      expect(member.leaf).to.equal(expected.anchors[index]!.batch!.leaf);
      expect(member.proof).to.deep.equal(expected.anchors[index]!.batch!.proof);
      expect(JSON.stringify({ anchor: sections.anchor, proof: sections.proof })).to.equal(member.sections);
      expect(verifyBatchProof(expected.root, roots[index]!, member.proof)).to.equal(true);
    }
  });

  it("leave a group of more than 2,000 (a bulk job) pending, for the worker to batch", async () => {
    const credentials = Array.from(
      { length: BATCH_AT_ISSUANCE_MAX + 1 },
      () =>
        ({
          id: randomUUID(),
          mode: "batch",
          validUntil: 0,
          commitment: `0x${randomBytes(32).toString("hex")}`,
        }) as NewCredential,
    );
    await batchAtIssuance(batchContext(), credentials, (1n << 32n) | 7n);
    expect(credentials.some((c) => c.batch)).to.equal(false);
  });

  it("let the process end while they are loaded and idle", function () {
    this.timeout(90_000);
    // A service that started them and never had a large issuance (the demo, a CLI command) must still exit.
    const pool = path.join(__dirname, "..", "src", "parallel", "pool.ts");
    const script = `const p = require(${JSON.stringify(pool)}); p.startIssuanceThreads(2);
      const wait = () => (p.issuanceThreadsReady() ? console.log("ready") : setTimeout(wait, 50).ref());
      wait();`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout.trim()).to.equal("ready");
    expect(result.signal, "still running after 60 s").to.equal(null);
    expect(result.status).to.equal(0);
  });

  for (const kind of STORE_KINDS) {
    describe(`a bulk issuance built and sealed on them (${kind})`, () => {
      let h: AppHarness;
      let eventId: string;

      before(async () => {
        h = await createAppHarness(kind);
        eventId = (
          await expectJson<{ id: string }>(
            await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
            201,
          )
        ).id;
      });
      after(() => h.close());

      it("issues credentials that verify once anchored and are found by name, e-mail and reference", async () => {
        const threadsBefore = issuanceThreadCounts();
        const bulk = await expectJson<BulkResult>(
          await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
            body: { attendees: attendees(150, "Tråd") },
            headers: { "idempotency-key": "threads-1" },
          }),
          201,
        );
        expect(bulk.count).to.equal(150);
        // Each credential has a data key of its own in the vault.
        const keys = await h.store.vault.open(bulk.credentials.map((c) => `credential:${c.id}`));
        expect(keys.size).to.equal(150);
        expect(new Set([...keys.values()].map((k) => k.toString("hex"))).size).to.equal(150);
        // Built and sealed there: each in several tasks, none of which failed over to this thread.
        const threadsAfter = issuanceThreadCounts();
        expect(threadsAfter.onThreads - threadsBefore.onThreads).to.be.greaterThan(2);
        expect(threadsAfter.failedOnThreads).to.equal(threadsBefore.failedOnThreads);
        expect(bulk.credentials.map((c) => c.reference)).to.deep.equal(
          Array.from({ length: 150 }, (_, i) => `Tråd-${i}`),
        );
        const ids = bulk.credentials.map((c) => c.id);
        await eventually(async () => {
          const rows = await h.store.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM credentials WHERE id = ANY($1::uuid[]) AND status = 'anchored'",
            [ids],
          );
          return Number(rows[0]!.n) === ids.length ? true : undefined;
        });
        for (const index of [0, 77, 149]) {
          const read = await expectJson<{ credential: { credentialSubject: { name: string } } }>(
            await h.call("GET", `/v1/credentials/${ids[index]}`),
            200,
          );
          expect(read.credential.credentialSubject.name).to.equal(`Tråd Deltagare${index}`);
          const report = await verifyCredential(read.credential as never, {
            rpcUrl: h.deployment.rpcUrl,
            registry: h.deployment.registry,
            lang: "en",
          });
          expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).to.deep.equal([]);
          expect(report.verified).to.equal(true);
        }
        for (const q of ["tråd deltagare42", "Deltag", "tråd42@example.se", "Tråd-42"]) {
          const found = await expectJson<{ items: { id: string }[] }>(
            await h.call("GET", `/v1/events/${eventId}/credentials?q=${encodeURIComponent(q)}`),
            200,
          );
          expect(found.items.map((c) => c.id)).to.include(ids[42]);
        }
      });

      it("names every refused attendee at its index and writes nothing", async () => {
        const count = async () =>
          Number((await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM credentials"))[0]!.n);
        const keyCount = async () =>
          Number(
            (await h.store.vault.db.query<{ n: number }>("SELECT count(*)::int AS n FROM data_keys"))[0]!.n,
          );
        const before = await count();
        const keysBefore = await keyCount();
        const list = attendees(200, "Fel") as { subject: Record<string, unknown> }[];
        // Parts the event does not have: the request is well formed, the credential format refuses it.
        list[3]!.subject.partsAttended = ["no-such-part"];
        list[180]!.subject.partsAttended = ["nor-this-one"];
        const problem = await expectProblem(
          await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
            body: { attendees: list },
            headers: { "idempotency-key": "threads-2" },
          }),
          422,
        );
        const paths = (problem.errors as { path: string }[]).map((e) => e.path);
        expect(paths.some((p) => p.startsWith("/attendees/3/"))).to.equal(true);
        expect(paths.some((p) => p.startsWith("/attendees/180/"))).to.equal(true);
        expect(paths.every((p) => p.startsWith("/attendees/3/") || p.startsWith("/attendees/180/"))).to.equal(
          true,
        );
        expect(await count()).to.equal(before);
        // Nothing of a refused request reaches the key vault either.
        expect(await keyCount()).to.equal(keysBefore);
      });
    });
  }
});
