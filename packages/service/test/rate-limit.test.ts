import { expect } from "chai";
import type { Clock } from "../src/clock";
import { createApp } from "../src/http/app";
import { createStore, type Store } from "../src/store/store";
import { type AppHarness, createAppHarness, expectProblem } from "./helpers/harness";
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
      expect((await windows()).n).to.equal(3); // two keys' old windows, one key's current one
      await h.worker.runOnce();
      const left = await windows();
      expect(left.n).to.equal(1);
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
