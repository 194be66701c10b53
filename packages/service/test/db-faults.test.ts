import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { expect } from "chai";
import pg from "pg";
import { createApp } from "../src/http/app";
import { createLogger } from "../src/logger";
import { dropPostgresSchema, LeadershipLostError, openPostgres } from "../src/store/db";
import { createStore } from "../src/store/store";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "../src/store/unavailable";
import { createLeadership } from "../src/worker/leader";
import { CONFERENCE, createHarness, expectJson, expectProblem } from "./helpers/harness";
import { runTs } from "./helpers/process";
import { TEST_DATABASE_URL } from "./helpers/stores";
import { startTcpProxy } from "./helpers/tcp-proxy";

/** Ends a session from another connection, as an operator (or a server restart) would. */
async function terminate(pid: number | string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query("SELECT pg_terminate_backend($1)", [Number(pid)]);
  } finally {
    await admin.end();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger whose lines a test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination: sink }), lines };
}

describe("database faults (postgres)", () => {
  const schema = `intyg_faults_${process.pid}_${randomBytes(4).toString("hex")}`;
  after(() => dropPostgresSchema(TEST_DATABASE_URL, schema));

  it("a transaction whose session is terminated while idle in it does not crash the process: it runs again", async () => {
    const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema });
    try {
      const pids: number[] = [];
      const result = await db.transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        pids.push(row!.pid);
        if (pids.length === 1) {
          // Killed while no query runs on it: pg emits 'error' on the client, which used to end the process.
          await terminate(row!.pid);
          await pause(200);
        }
        return (await tx.query<{ one: number }>("SELECT 1 AS one"))[0]!.one;
      });
      expect(result).to.equal(1);
      expect(pids).to.have.length(2);
      expect(pids[1]).not.to.equal(pids[0]);
    } finally {
      await db.close();
    }
  });

  it("a transaction terminated on every attempt fails with DatabaseUnavailableError; the next one succeeds", async () => {
    const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema });
    try {
      let attempts = 0;
      const failed = await db
        .transaction(async (tx) => {
          attempts += 1;
          const [row] = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          await terminate(row!.pid);
          await tx.query("SELECT 1");
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failed).to.be.instanceOf(DatabaseUnavailableError);
      expect((failed as DatabaseUnavailableError).reason).to.match(/57P01|terminated/);
      expect(attempts).to.equal(4);
      expect(await db.transaction((tx) => tx.query("SELECT 2 AS two"))).to.deep.equal([{ two: 2 }]);
    } finally {
      await db.close();
    }
  });

  it("leadership is true or absent: a terminated lock session is noticed at the next confirm and another replica leads", async () => {
    const [a, b] = await Promise.all([
      openPostgres({ connectionString: TEST_DATABASE_URL, schema }),
      openPostgres({ connectionString: TEST_DATABASE_URL, schema }),
    ]);
    const { logger, lines } = capturingLogger();
    const first = createLeadership({ db: a, log: logger, replica: "replica-a" });
    const second = createLeadership({ db: b, log: logger, replica: "replica-b" });
    try {
      expect(await first.confirm()).to.equal(true);
      expect(await second.confirm()).to.equal(false);
      expect(first.state().role).to.equal("leader");
      expect(second.state().role).to.equal("follower");
      expect(await second.current()).to.equal("replica-a");
      const [session] = await a.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'replica-a'",
      );
      await terminate(session!.pid);
      // The lock is free on the server at once; whoever asks first wins it, and the old leader knows it lost.
      expect(await second.confirm()).to.equal(true);
      expect(await first.confirm()).to.equal(false);
      expect(first.state().role).to.equal("follower");
      expect(await first.current()).to.equal("replica-b");
      const lost = lines.find((line) => line.msg?.toString().startsWith("anchoring leadership lost"));
      expect(lost?.replica).to.equal("replica-a");
      expect(String(lost?.cause)).to.match(/57P01|terminated|ended|no longer held/);
      await second.release();
      expect(await first.confirm()).to.equal(true);
      expect(await second.current()).to.equal("replica-a");
    } finally {
      await first.release();
      await second.release();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a fenced write of a replica that lost its lock is refused, even through a fresh connection", async () => {
    const [a, b] = await Promise.all([
      openPostgres({ connectionString: TEST_DATABASE_URL, schema }),
      openPostgres({ connectionString: TEST_DATABASE_URL, schema }),
    ]);
    const { logger } = capturingLogger();
    const first = createLeadership({ db: a, log: logger, replica: "fenced-a" });
    const second = createLeadership({ db: b, log: logger, replica: "fenced-b" });
    try {
      await a.query("CREATE TABLE IF NOT EXISTS fence_probe (n int)");
      expect(await first.confirm()).to.equal(true);
      await first.fenced(() => a.transaction((tx) => tx.query("INSERT INTO fence_probe VALUES (1)")));
      const refused = await first
        .fenced(async () => {
          // The lock session ends and another replica leads, while this one still thinks it does.
          const [session] = await b.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'fenced-a'",
          );
          await terminate(session!.pid);
          expect(await second.confirm()).to.equal(true);
          await a.transaction((tx) => tx.query("INSERT INTO fence_probe VALUES (2)"));
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).to.be.instanceOf(LeadershipLostError);
      await first.fenced(() => a.query("INSERT INTO fence_probe VALUES (3)")).catch(() => undefined);
      expect(await a.query("SELECT n FROM fence_probe ORDER BY n")).to.deep.equal([{ n: 1 }]);
      // The new leader's fenced writes go through.
      await second.fenced(() => b.query("INSERT INTO fence_probe VALUES (4)"));
      expect(await b.query("SELECT n FROM fence_probe ORDER BY n")).to.deep.equal([{ n: 1 }, { n: 4 }]);
    } finally {
      await first.release();
      await second.release();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("database down: 503 problem with Retry-After and no stack, logged once with its cause; health tells database from chain; then it answers again", async () => {
    const h = await createHarness("postgres");
    const proxy = await startTcpProxy({
      host: "127.0.0.1",
      port: Number(new URL(TEST_DATABASE_URL).port || 5432),
    });
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(proxy.port);
    const store = await createStore({
      databaseUrl: url.toString(),
      schema: (h.store as { schema?: string }).schema!,
    });
    const { logger, lines } = capturingLogger();
    const app = createApp({ ...h, store, logger });
    const auth = { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" };
    const post = () =>
      app.request("/v1/events", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ kind: "event", details: CONFERENCE }),
      });
    try {
      await expectJson(await app.request("/v1/events", { headers: auth }), 200);
      await proxy.down();
      for (let i = 0; i < 3; i++) {
        const response = await post();
        const problem = await expectProblem(response, 503, "unavailable");
        expect(response.headers.get("retry-after")).to.equal("5");
        expect(JSON.stringify(problem)).not.to.match(/stack|ECONNREFUSED|postgres:|at \//);
      }
      const health = await expectProblem(await app.request("/healthz"), 503, "unavailable");
      expect(health.database).to.deep.include({ ok: false, cause: "ECONNREFUSED" });
      expect(health.chain).to.deep.include({ ok: true });
      expect(String(health.detail))
        .to.match(/database/)
        .and.not.to.match(/chain/);
      const warnings = lines.filter((line) => line.msg === "the database is unavailable");
      expect(warnings, "logged once per outage").to.have.length(1);
      // The pooled connections were cut first, then connecting was refused: either is the cause.
      expect(warnings[0]!.cause).to.match(/^(ECONNREFUSED|connection terminated|ECONNRESET)$/);
      expect(lines.filter((line) => line.msg === "unhandled error")).to.deep.equal([]);
      await proxy.up();
      await expectJson(await post(), 201);
      const healthy = await expectJson<{ database: { ok: boolean }; worker: { role: string } }>(
        await app.request("/healthz"),
        200,
      );
      expect(healthy.database.ok).to.equal(true);
      expect(healthy.worker.role).to.equal("none");
    } finally {
      await proxy.close();
      await store.close();
      await h.close();
    }
  });

  it("the service's process survives a stray database connection error and stops on a programmer error", async () => {
    const child = runTs("test/fixtures/guard-process.ts", [], {});
    expect(await child.exited).to.equal(1);
    const output = child.output();
    expect(output).to.contain("still running");
    expect(output).not.to.contain("not reached");
    expect(output.match(/outside any request; carrying on/g)).to.have.length(2);
    expect(output).to.match(/"cause":"ECONNRESET"/);
    expect(output).to.match(/programmer error: stopping/);
  });

  it("classifies connection failures, not other database errors, as unavailable", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))).to.equal(
      true,
    );
    expect(
      isDatabaseUnavailable(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })])),
    ).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("bye"), { code: "57P01" }))).to.equal(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("dup"), { code: "23505" }))).to.equal(false);
    expect(isDatabaseUnavailable(new Error("chain call failed"))).to.equal(false);
  });
});
