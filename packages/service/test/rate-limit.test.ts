import { expect } from "chai";
import type { Clock } from "../src/clock";
import { createApp } from "../src/http/app";
import { createStore, type Store } from "../src/store/store";
import { type AppHarness, createAppHarness, expectProblem, registeredEvent } from "./helpers/harness";
import { STORE_KINDS, TEST_DATABASE_URL } from "./helpers/stores";

/** A clock the test moves by hand. */
function manualClock(start: number): Clock & { set(ms: number): void } {
  let t = start;
  return {
    now: () => new Date(t),
    set(ms: number) {
      t = ms;
    },
  };
}

const WINDOW_MS = 60_000;
/** 10 s into a window (windows are aligned to multiples of the window since the epoch). */
const T0 = Date.UTC(2026, 4, 12, 9, 0, 10);

for (const kind of STORE_KINDS) {
  describe(`rate limits shared by replicas (${kind})`, () => {
    const clock = manualClock(T0);
    let h: AppHarness;
    /** A second replica: its own app (own limiter) over its own connection to the same database. */
    let storeB: Store | undefined;
    let appB: ReturnType<typeof createApp>;

    const get = (app: ReturnType<typeof createApp>, key: string) =>
      Promise.resolve(app.request("/v1/events", { headers: { authorization: `Bearer ${key}` } }));

    before(async () => {
      h = await createAppHarness(kind, {
        clock,
        autoStartWorker: false,
        config: { rateLimit: { requests: 5, windowMs: WINDOW_MS } },
      });
      let shared: Store = h.store;
      if (kind === "postgres") {
        const schema = (h.store as Store & { schema?: string }).schema;
        expect(schema).to.be.a("string");
        storeB = await createStore({ databaseUrl: TEST_DATABASE_URL, schema: schema!, clock });
        shared = storeB;
      }
      appB = createApp({ ...h, store: shared });
    });
    after(async () => {
      await storeB?.close();
      await h?.close();
    });

    it("counts one key's requests on both replicas into one limit; another key is unaffected", async () => {
      clock.set(T0);
      for (let i = 0; i < 3; i++) {
        const ok = await get(h.app, h.apiKey);
        expect(ok.status, `request ${i + 1} on A`).to.equal(200);
        expect(ok.headers.get("ratelimit-limit")).to.equal("5");
        expect(ok.headers.get("ratelimit-remaining")).to.equal(String(4 - i));
      }
      for (let i = 0; i < 2; i++) {
        const ok = await get(appB, h.apiKey);
        expect(ok.status, `request ${i + 1} on B`).to.equal(200);
        expect(ok.headers.get("ratelimit-remaining")).to.equal(String(1 - i));
        expect(ok.headers.get("ratelimit-reset")).to.equal("50");
      }
      const limited = await get(appB, h.apiKey);
      expect(limited.headers.get("retry-after")).to.equal("50");
      await expectProblem(limited, 429, "rate-limited");
      const alsoOnA = await get(h.app, h.apiKey);
      await expectProblem(alsoOnA, 429, "rate-limited");

      const other = (await h.store.apiKeys.create(h.organisation.id, "second")).secret;
      expect((await get(h.app, other)).status).to.equal(200);
      const onB = await get(appB, other);
      expect(onB.status).to.equal(200);
      expect(onB.headers.get("ratelimit-remaining")).to.equal("3");
    });

    it("starts a new window at the window's end, and the worker deletes the ended windows", async () => {
      clock.set(T0 + 49_999);
      expect((await get(h.app, h.apiKey)).status).to.equal(429);
      clock.set(T0 + 50_000);
      const fresh = await get(appB, h.apiKey);
      expect(fresh.status).to.equal(200);
      expect(fresh.headers.get("ratelimit-remaining")).to.equal("4");
      expect(fresh.headers.get("ratelimit-reset")).to.equal("60");
      expect((await get(h.app, h.apiKey)).headers.get("ratelimit-remaining")).to.equal("3");

      const windows = async () =>
        (
          await h.store.db.query<{ n: number; first: Date }>(
            "SELECT count(*)::int AS n, min(window_start) AS first FROM rate_limits",
          )
        )[0]!;
      // Two keys' and the organisation's old windows; one key's and the organisation's current ones.
      expect((await windows()).n).to.equal(5);
      await h.worker.runOnce();
      const left = await windows();
      expect(left.n).to.equal(2);
      expect(new Date(left.first).getTime()).to.equal(T0 - 10_000 + WINDOW_MS);
    });

    it("never lets concurrent requests on both replicas through beyond the limit", async () => {
      clock.set(T0 + 2 * WINDOW_MS);
      const key = (await h.store.apiKeys.create(h.organisation.id, "burst")).secret;
      const responses = await Promise.all(
        Array.from({ length: 16 }, (_, i) => get(i % 2 === 0 ? h.app : appB, key)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(5);
      expect(statuses.filter((s) => s === 429)).to.have.length(11);
      const remaining = responses
        .filter((r) => r.status === 200)
        .map((r) => Number(r.headers.get("ratelimit-remaining")))
        .sort();
      expect(remaining).to.deep.equal([0, 1, 2, 3, 4]);
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`limits per organisation (${kind})`, () => {
    const clock = manualClock(T0);
    let h: AppHarness;
    let eventId: string;
    /** Stored credentials of the test organisation. */
    const stored = async () =>
      Number(
        (
          await h.store.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM credentials WHERE organisation_id = $1",
            [h.organisation.id],
          )
        )[0]!.n,
      );
    const jobs = async () =>
      Number((await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs"))[0]!.n);
    const attendees = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ subject: { name: `${tag} ${i}` } }));
    const bulk = (n: number, key: string) =>
      h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: { attendees: attendees(n, key) },
        headers: { "idempotency-key": key },
      });

    before(async () => {
      h = await createAppHarness(kind, {
        clock,
        autoStartWorker: false,
        config: {
          rateLimit: { requests: 100, windowMs: WINDOW_MS },
          organisationLimits: {
            requests: 6,
            windowMs: WINDOW_MS,
            credentials: 8,
            credentialWindowMs: 3_600_000,
          },
          bulkSyncLimit: 4,
        },
      });
      eventId = (await registeredEvent(h)).id;
    });
    after(async () => {
      await h?.close();
    });

    it("counts all of an organisation's API keys into one request limit; another organisation is unaffected", async () => {
      clock.set(T0);
      const keys = [
        h.apiKey,
        (await h.store.apiKeys.create(h.organisation.id, "second")).secret,
        (await h.store.apiKeys.create(h.organisation.id, "third")).secret,
      ];
      for (const [i, key] of [...keys, ...keys].entries()) {
        const ok = await h.call("GET", "/v1/events", { auth: key });
        expect(ok.status, `request ${i + 1}`).to.equal(200);
        // The organisation's limit is the tighter one: the headers show it.
        expect(ok.headers.get("ratelimit-limit")).to.equal("6");
        expect(ok.headers.get("ratelimit-remaining")).to.equal(String(5 - i));
      }
      const fourth = (await h.store.apiKeys.create(h.organisation.id, "fourth")).secret;
      for (const key of [...keys, fourth]) {
        const limited = await h.call("GET", "/v1/events", { auth: key });
        expect(limited.headers.get("retry-after")).to.equal("50");
        const problem = await expectProblem(limited, 429, "rate-limited");
        expect(problem.detail).to.match(/organisation/);
      }
      const other = await h.store.organisations.create({
        name: "Annan organisation",
        chainOrganisationId: 99,
        profile: { name: "Annan organisation" },
      });
      const otherKey = (await h.store.apiKeys.create(other.id, "other")).secret;
      const ok = await h.call("GET", "/v1/events", { auth: otherKey });
      expect(ok.status).to.equal(200);
      expect(ok.headers.get("ratelimit-remaining")).to.equal("5");
      // A new window: the organisation's keys are served again.
      clock.set(T0 + 50_000);
      expect((await h.call("GET", "/v1/events", { auth: keys[1] })).status).to.equal(200);
    });

    it("bounds the credentials one organisation issues per period (jobs charged when accepted), recording nothing refused", async () => {
      // Each request below is its own window of the request limit (6 per minute).
      const minute = (n: number) => clock.set(T0 + 10 * WINDOW_MS + n * WINDOW_MS);
      minute(0);
      expect((await bulk(3, "first")).status).to.equal(201);
      minute(1);
      // Above the sync limit: a job, charged for its 5 attendees now.
      expect((await bulk(5, "job")).status).to.equal(202);
      expect(await stored()).to.equal(3);
      expect(await jobs()).to.equal(1);

      minute(2);
      const single = await h.call("POST", `/v1/events/${eventId}/credentials`, {
        body: { subject: { name: "En till" } },
      });
      const hourEnds = Math.ceil((Date.UTC(2026, 4, 12, 10) - clock.now().getTime()) / 1000);
      expect(single.headers.get("retry-after")).to.equal(String(hourEnds));
      const problem = await expectProblem(single, 429, "rate-limited");
      expect(problem.detail).to.match(/8 credentials per 1 h; it has issued 8/);
      minute(3);
      await expectProblem(await bulk(2, "over"), 429, "rate-limited");
      minute(4);
      await expectProblem(await bulk(9, "too-large"), 413, "payload-too-large");
      expect(await stored()).to.equal(3);
      expect(await jobs()).to.equal(1);

      // A replay is not charged again; a refused request's Idempotency-Key is free for its retry.
      minute(5);
      const replay = await bulk(3, "first");
      expect(replay.status).to.equal(201);
      expect(replay.headers.get("idempotent-replayed")).to.equal("true");
      clock.set(Date.UTC(2026, 4, 12, 10, 0, 5));
      expect((await bulk(2, "over")).status).to.equal(201);
      expect(await stored()).to.equal(5);
    });
  });
}
