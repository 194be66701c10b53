import { randomUUID } from "node:crypto";
import { verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import { ServiceError } from "../src/errors";
import { prepareCredentials } from "../src/issuance";
import {
  type AppHarness,
  CONFERENCE,
  createAppHarness,
  eventually,
  expectJson,
  expectProblem,
  issuanceContextOf,
  signerAddress,
} from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

type BulkResult = {
  count: number;
  credentials: { id: string; index: number; reference?: string; holderUrl: string }[];
};
type Job = { id: string; status: string; result: BulkResult | null; error: unknown; href: string };

const attendees = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    subject: { name: `${tag} ${i}`, role: "participant" },
    reference: `${tag}-${i}`,
  }));

for (const kind of STORE_KINDS) {
  describe(`idempotent and concurrent bulk issuance (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;

    const countCredentials = async () =>
      Number((await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM credentials"))[0]!.n);

    before(async () => {
      // The worker is not started: these tests look at issuance alone.
      h = await createAppHarness(kind, { autoStartWorker: false, config: { bulkSyncLimit: 300 } });
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
    });
    after(async () => {
      await h?.close();
    });

    it("the same key twice returns the same result and issues one set", async () => {
      const body = { attendees: attendees(120, "Idem") };
      const first = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body,
        headers: { "idempotency-key": "same" },
      });
      const firstBody = await expectJson<BulkResult>(first, 201);
      const before = await countCredentials();
      const second = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body,
        headers: { "idempotency-key": "same" },
      });
      const secondBody = await expectJson<BulkResult>(second, 201);
      expect(second.headers.get("idempotent-replayed")).to.equal("true");
      expect(secondBody).to.deep.equal(firstBody);
      expect(await countCredentials()).to.equal(before);
      expect(firstBody.count).to.equal(120);
      expect(new Set(firstBody.credentials.map((c) => c.id)).size).to.equal(120);
      expect(firstBody.credentials[7]!.reference).to.equal("Idem-7");
    });

    it("the same key with another body is refused (422) and writes nothing", async () => {
      const before = await countCredentials();
      await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees: attendees(3, "Other") },
          headers: { "idempotency-key": "same" },
        }),
        422,
        "idempotency-key-reused",
      );
      expect(await countCredentials()).to.equal(before);
    });

    it("single issuance with a key is idempotent too", async () => {
      const body = { subject: { name: "Enskild" } };
      const a = await expectJson<{ id: string }>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body,
          headers: { "idempotency-key": "one" },
        }),
        201,
      );
      const b = await expectJson<{ id: string }>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body,
          headers: { "idempotency-key": "one" },
        }),
        201,
      );
      expect(b.id).to.equal(a.id);
    });

    it("the answer to a single issuance is what reading the credential back shows", async () => {
      // The route answers from what it wrote instead of reading it again: the two must not differ.
      for (const body of [
        { subject: { name: "Nyss", email: "nyss@example.se" }, reference: "N-1", lang: "en" },
        { subject: { name: "Plånbok" }, holder: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
      ]) {
        const created = await h.call("POST", `/v1/events/${eventId}/credentials`, { body });
        const written = await expectJson<{ id: string }>(created, 201);
        const read = await expectJson<{ id: string }>(
          await h.call("GET", `/v1/credentials/${written.id}`),
          200,
        );
        expect(written).to.deep.equal(read);
        expect(created.headers.get("location")).to.match(new RegExp(`/v1/credentials/${written.id}$`));
      }
    });

    it("concurrent bulk requests: nothing lost, nothing doubled", async () => {
      const before = await countCredentials();
      const distinct = Array.from({ length: 6 }, (_, i) => ({
        key: `par-${i}`,
        body: { attendees: attendees(40, `Par${i}`) },
      }));
      // Each distinct request is sent three times at once: 18 concurrent requests, 6 sets expected.
      const requests = distinct.flatMap((d) => [d, d, d]);
      const responses = await Promise.all(
        requests.map((r) =>
          h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
            body: r.body,
            headers: { "idempotency-key": r.key },
          }),
        ),
      );
      const bodies = await Promise.all(responses.map((r) => expectJson<BulkResult>(r, 201)));
      for (let i = 0; i < distinct.length; i++) {
        const same = bodies.slice(i * 3, i * 3 + 3);
        expect(same[1]).to.deep.equal(same[0]);
        expect(same[2]).to.deep.equal(same[0]);
      }
      expect(await countCredentials()).to.equal(before + 6 * 40);
      const ids = new Set(bodies.flatMap((b) => b.credentials.map((c) => c.id)));
      expect(ids.size).to.equal(6 * 40);
      const stored = await h.store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM credentials WHERE id = ANY($1::uuid[])",
        [[...ids]],
      );
      expect(Number(stored[0]!.n)).to.equal(240);
    });

    it("a bulk request above the sync limit becomes a job (202) that issues exactly once", async () => {
      const body = { attendees: attendees(450, "Jobb") };
      const accepted = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body,
        headers: { "idempotency-key": "job-1" },
      });
      const job = await expectJson<Job>(accepted, 202);
      expect(accepted.headers.get("location")).to.equal(job.href);
      expect(job.status).to.equal("queued");
      const replay = await expectJson<Job>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": "job-1" },
        }),
        202,
      );
      expect(replay.id).to.equal(job.id);
      const before = await countCredentials();
      await h.worker.runOnce();
      const done = await expectJson<Job>(await h.call("GET", `/v1/jobs/${job.id}`), 200);
      expect(done.status).to.equal("succeeded");
      expect(done.result!.count).to.equal(450);
      expect(await countCredentials()).to.equal(before + 450);
      // The job's input (personal data) is gone once it ran.
      const [row] = await h.store.db.query<{ input: unknown; input_enc: unknown }>(
        "SELECT input, input_enc FROM jobs WHERE id = $1",
        [job.id],
      );
      expect(row).to.deep.equal({ input: null, input_enc: null });
      await h.worker.runOnce();
      expect(await countCredentials()).to.be.at.least(before + 450);
      const again = await expectJson<Job>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": "job-1" },
        }),
        202,
      );
      expect(again.status).to.equal("succeeded");
      expect(again.result!.credentials.map((c) => c.id)).to.deep.equal(
        done.result!.credentials.map((c) => c.id),
      );
    });

    it("a job whose input is refused fails at once with the problem's status and code, not after retries", async () => {
      const accepted = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: { attendees: attendees(450, "Vägrad") },
        headers: { "idempotency-key": "job-refused" },
      });
      const job = await expectJson<Job>(accepted, 202);
      // The event leaves the registered state before the job runs: issuing to it is refused (409).
      await h.store.db.query("UPDATE events SET status = 'failed' WHERE id = $1", [eventId]);
      try {
        await h.worker.runOnce();
      } finally {
        await h.store.db.query("UPDATE events SET status = 'registered' WHERE id = $1", [eventId]);
      }
      const failed = await expectJson<Job & { error?: { status: number; code: string } }>(
        await h.call("GET", `/v1/jobs/${job.id}`),
        200,
      );
      expect(failed.status).to.equal("failed");
      const [row] = await h.store.db.query<{ attempts: number; error: { status: number; code: string } }>(
        "SELECT attempts, error FROM jobs WHERE id = $1",
        [job.id],
      );
      expect(row!.attempts, "failed on its first attempt").to.equal(1);
      expect(row!.error).to.include({ status: 409, code: "event.not-registered" });
    });

    it("refuses issuance to an event that is not registered on chain", async () => {
      const [row] = await h.store.db.query<{ id: string }>(
        `INSERT INTO events (id, organisation_id, kind, status, metadata_hash, details, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'event', 'failed', '0x00', '{}'::jsonb, now(), now()) RETURNING id`,
        [h.organisation.id],
      );
      await expectProblem(
        await h.call("POST", `/v1/events/${row!.id}/credentials`, { body: { subject: { name: "X" } } }),
        409,
      );
    });

    it("erasure scrubs the organiser's reference from stored responses; expired keys are forgotten", async () => {
      const body = { attendees: attendees(2, "Scrub") };
      const first = await expectJson<BulkResult>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": "scrub" },
        }),
        201,
      );
      expect(first.credentials[0]!.reference).to.equal("Scrub-0");
      await expectJson(await h.call("POST", `/v1/credentials/${first.credentials[0]!.id}/erase`), 200);
      const replay = await expectJson<BulkResult>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": "scrub" },
        }),
        201,
      );
      expect(replay.credentials[0]).to.deep.equal({
        index: 0,
        id: first.credentials[0]!.id,
        mode: "batch",
        status: "pending",
      });
      expect(replay.credentials[1]).to.deep.equal(first.credentials[1]);
      expect(JSON.stringify(await h.store.db.query("SELECT * FROM idempotency_keys"))).not.to.contain(
        "Scrub-0",
      );
      const before = await countCredentials();
      expect(await h.store.issuance.expire(new Date(Date.now() + 60_000))).to.be.greaterThan(0);
      const fresh = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body,
        headers: { "idempotency-key": "scrub" },
      });
      expect(fresh.headers.get("idempotent-replayed")).to.equal(null);
      await expectJson(fresh, 201);
      expect(await countCredentials()).to.equal(before + 2);
    });

    it("lists an event's credentials page by page", async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/v1/events/${eventId}/credentials?limit=200${cursor ? `&cursor=${cursor}` : ""}`;
        const page: { items: { id: string }[]; nextCursor: string | null } = await expectJson(
          await h.call("GET", url),
          200,
        );
        for (const item of page.items) seen.add(item.id);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen.size).to.equal(await countCredentials());
      expect(pages).to.be.greaterThan(1);
    });
  });
}

describe("a pending credential is anchored once the worker runs (pglite)", () => {
  let h: AppHarness;
  before(async () => {
    h = await createAppHarness("pglite");
  });
  after(async () => {
    await h?.close();
  });

  it("goes pending → anchored", async () => {
    const event = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
    const issued = await expectJson<{ id: string; status: string; credential: { proof?: unknown } }>(
      await h.call("POST", `/v1/events/${event.id}/credentials`, { body: { subject: { name: "Väntande" } } }),
      201,
    );
    expect(issued.status).to.equal("pending");
    expect(issued.credential.proof).to.equal(undefined);
    await eventually(async () => {
      const c = await expectJson<{ status: string }>(
        await h.call("GET", `/v1/credentials/${issued.id}`),
        200,
      );
      return c.status === "anchored" ? true : undefined;
    });
  });

  it("anchors a bulk batch without touching its members' encrypted personal data, and each reads back as signed", async () => {
    const event = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
    const bulk = await expectJson<BulkResult>(
      await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
        body: { attendees: attendees(3, "Sluten") },
        headers: { "idempotency-key": "sluten" },
      }),
      201,
    );
    const ids = bulk.credentials.map((c) => c.id);
    const sealed = async () =>
      (
        await h.store.db.query<{ id: string; personal_enc: string }>(
          "SELECT id::text, personal_enc FROM credentials WHERE id = ANY($1::uuid[]) ORDER BY id",
          [ids],
        )
      ).map((row) => `${row.id}:${row.personal_enc}`);
    const before = await sealed();
    await eventually(async () => {
      const rows = await h.store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM credentials WHERE id = ANY($1::uuid[]) AND status = 'anchored'",
        [ids],
      );
      return Number(rows[0]!.n) === ids.length ? true : undefined;
    });
    // The worker built the batch from the commitment roots: the ciphertext is the one written at issuance.
    expect(await sealed()).to.deep.equal(before);
    for (const id of ids) {
      const read = await expectJson<{ credential: Record<string, unknown> }>(
        await h.call("GET", `/v1/credentials/${id}`),
        200,
      );
      const document = read.credential;
      expect(Object.keys(document).slice(-2)).to.deep.equal(["anchor", "proof"]);
      expect((document.anchor as { batch?: { size: number } }).batch?.size).to.equal(3);
      const report = await verifyCredential(document as never, {
        rpcUrl: h.deployment.rpcUrl,
        registry: h.deployment.registry,
        lang: "en",
      });
      expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).to.deep.equal([]);
      expect(report.verified).to.equal(true);
    }
  });
});

for (const kind of STORE_KINDS) {
  describe(`a large issuance is a batch of its own (${kind})`, () => {
    let h: AppHarness;
    before(async () => {
      // The worker runs only when a test asks: what the issuance wrote is looked at first.
      h = await createAppHarness(kind, {
        autoStartWorker: false,
        config: { worker: { maxBatchSize: 150 } as never },
      });
    });
    after(async () => {
      await h?.close();
    });

    it("writes each large group's batch, signed, with its members; the worker sends it; smaller groups wait to be gathered", async () => {
      const event = await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      const later = "2031-06-30T00:00:00Z";
      const other = "2032-06-30T00:00:00Z";
      // 200 without an expiry (two batches of 100: at most 150 each, of equal size), 120 with one (one batch), 30
      // with another (too few: left pending for the worker to gather).
      const body = {
        attendees: [
          ...attendees(200, "Stor"),
          ...attendees(120, "Senare").map((a) => ({ ...a, validUntil: later })),
          ...attendees(30, "Få").map((a) => ({ ...a, validUntil: other })),
        ],
      };
      // The worker is woken to send at once (its batches are ready), not after the pause that gathers singles.
      const wakes: (boolean | undefined)[] = [];
      const wake = h.worker.wake;
      h.worker.wake = (ready) => {
        wakes.push(ready);
        wake(ready);
      };
      const otherEvent = await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      const small = await h.call("POST", `/v1/events/${otherEvent.id}/credentials/bulk`, {
        body: { attendees: attendees(5, "Liten") },
        headers: { "idempotency-key": `small-${kind}` },
      });
      expect(small.status, await small.clone().text()).to.equal(201);
      const bulk = await expectJson<BulkResult>(
        await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": `large-${kind}` },
        }),
        201,
      );
      h.worker.wake = wake;
      expect(wakes).to.deep.equal([false, true]);
      expect(bulk.count).to.equal(350);
      const batches = await h.store.db.query<{
        id: string;
        size: number;
        valid_until: string;
        status: string;
      }>(
        "SELECT id::text, size, valid_until, status FROM batches WHERE event_id = $1 ORDER BY valid_until, size DESC",
        [event.id],
      );
      expect(batches.map((b) => [Number(b.valid_until), b.size, b.status])).to.deep.equal([
        [0, 100, "sending"],
        [0, 100, "sending"],
        [Date.parse(later) / 1000, 120, "sending"],
      ]);
      const rows = await h.store.db.query<{ status: string; batched: boolean; n: number }>(
        `SELECT status, batch_id IS NOT NULL AS batched, count(*)::int AS n FROM credentials
          WHERE event_id = $1 GROUP BY 1, 2 ORDER BY 1`,
        [event.id],
      );
      expect(rows.map((r) => [r.status, r.batched, Number(r.n)])).to.deep.equal([
        ["pending", false, 30],
        ["sending", true, 320],
      ]);
      // Before anything is sent, a member reads back complete (its batch anchor and the signed root), sending.
      const member = await expectJson<{ status: string; credential: Record<string, unknown> }>(
        await h.call("GET", `/v1/credentials/${bulk.credentials[160]!.id}`),
        200,
      );
      expect(member.status).to.equal("sending");
      expect(Object.keys(member.credential).slice(-2)).to.deep.equal(["anchor", "proof"]);
      expect((member.credential.anchor as { batch: { size: number } }).batch.size).to.equal(100);

      await eventually(async () => {
        await h.worker.runOnce();
        const left = await h.store.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM credentials WHERE event_id = $1 AND status <> 'anchored'",
          [event.id],
        );
        return Number(left[0]!.n) === 0 ? true : undefined;
      });
      // The worker sent the three batches as written, and gathered the 30 into a fourth.
      const sent = await h.store.db.query<{ id: string; size: number; status: string }>(
        "SELECT id::text, size, status FROM batches WHERE event_id = $1",
        [event.id],
      );
      expect(sent.map((b) => b.status)).to.deep.equal(["anchored", "anchored", "anchored", "anchored"]);
      expect(sent.filter((b) => batches.some((x) => x.id === b.id))).to.have.length(3);
      expect(sent.find((b) => !batches.some((x) => x.id === b.id))?.size).to.equal(30);
      for (const index of [0, 199, 200, 349]) {
        const read = await expectJson<{ credential: Record<string, unknown> }>(
          await h.call("GET", `/v1/credentials/${bulk.credentials[index]!.id}`),
          200,
        );
        const report = await verifyCredential(read.credential as never, {
          rpcUrl: h.deployment.rpcUrl,
          registry: h.deployment.registry,
          lang: "en",
        });
        expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).to.deep.equal([]);
        expect(report.verified).to.equal(true);
      }
    });

    it("writes no batch signed by a key that is no longer the organisation's current one: its members wait pending", async () => {
      const event = await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      // The key this replica signs with was replaced by another on another replica (its cache not yet
      // refreshed): an organisation key that is active but no longer current.
      const keyId = randomUUID();
      await h.store.db.query(
        `INSERT INTO organisation_keys (id, organisation_id, role, address, custody, status, is_current,
                                        created_at, updated_at)
         VALUES ($1, $2, 'signing', $3, 'external', 'active', false, now(), now())`,
        [keyId, h.organisation.id, signerAddress(h)],
      );
      try {
        const bulk = await expectJson<BulkResult>(
          await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
            body: { attendees: attendees(120, "Bytt") },
            headers: { "idempotency-key": `replaced-${kind}` },
          }),
          201,
        );
        expect(bulk.count).to.equal(120);
        const batches = await h.store.db.query("SELECT id FROM batches WHERE event_id = $1", [event.id]);
        expect(batches).to.have.length(0);
        const rows = await h.store.db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM credentials
            WHERE event_id = $1 AND batch_id IS NULL AND signing_key IS NULL GROUP BY 1`,
          [event.id],
        );
        expect(rows.map((r) => [r.status, Number(r.n)])).to.deep.equal([["pending", 120]]);
      } finally {
        await h.store.db.query("DELETE FROM organisation_keys WHERE id = $1", [keyId]);
      }
    });

    it("the worker sends at most ten of an organisation's batches in one turn, so that its other work has a turn", async () => {
      const event = await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      // Twelve validities of 100 attendees: twelve batches written at once.
      const body = {
        attendees: Array.from({ length: 12 }, (_, k) =>
          attendees(100, `Tur${k}`).map((a) => ({ ...a, validUntil: `${2040 + k}-01-01T00:00:00Z` })),
        ).flat(),
      };
      await expectJson<BulkResult>(
        await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
          body,
          headers: { "idempotency-key": `turns-${kind}` },
        }),
        201,
      );
      const first = await h.worker.runOnce();
      expect(first.batchesAnchored).to.equal(10);
      // The next turn sends the other two (and what else is pending: an earlier test left credentials to gather).
      await h.worker.runOnce();
      const anchored = await h.store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM batches WHERE event_id = $1 AND status = 'anchored'",
        [event.id],
      );
      expect(Number(anchored[0]!.n)).to.equal(12);
    });

    it("leaves a large issuance pending, not refused, when the organisation's signer cannot be had now", async () => {
      const event = await expectJson<{ id: string; chainEventId: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
      const record = (await h.store.events.get(h.organisation.id, event.id))!;
      const context = {
        ...issuanceContextOf(h, record),
        signer: () => Promise.reject(new ServiceError("key.no-signing-key")),
      };
      const { credentials } = await prepareCredentials(
        context,
        attendees(150, "Utan").map((a) => ({ subject: { name: a.subject.name } })),
      );
      expect(credentials).to.have.length(150);
      expect(credentials.every((c) => c.mode === "batch" && !c.batch)).to.equal(true);
    });
  });
}
