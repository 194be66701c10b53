// Three service replicas (separate processes, src/main.ts) on one PostgreSQL database and one hardhat node with
// interval mining, a few thousand credentials through them round-robin, and faults during the load: the
// anchoring leader killed with SIGKILL just after it recorded a batch, every database session terminated
// (pg_terminate_backend), the server restarted (pg_ctlcluster, on a cluster of the test's own where it may create
// one), and the database unreachable for three seconds (a TCP proxy in front of PostgreSQL cut and restored).
// Everything on 127.0.0.1; a fresh database.

import { execFile, execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { freePort } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import pg from "pg";
import { createPublicClient, type Hex, http } from "viem";
import { bootstrap } from "../src/bootstrap";
import { createStore, type Store } from "../src/store/store";
import { deployFresh } from "./helpers/chain";
import { CONFERENCE, DEMO_PROFILE } from "./helpers/harness";
import { rpc } from "./helpers/onchain";
import { type Child, runTs } from "./helpers/process";
import { TEST_DATABASE_URL } from "./helpers/stores";
import { startTcpProxy } from "./helpers/tcp-proxy";

const REQUESTS = 100;
const PER_REQUEST = 25;
const CONCURRENCY = 4;

/**
 * Every signed hash of an operation is kept and the mined one recorded with its block (the tracked chain
 * operation), so every batch must name its mined transaction.
 */
const HASH_BOOKKEEPING_ASSERTED = true;

type Replica = { child: Child; url: string; name: string; startedAt: number; killedAt?: number };
type LogLine = { time: number; msg: string; replica?: string; [key: string]: unknown };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A PostgreSQL cluster of this test's own, which it may restart without disturbing anyone else's tests. */
type OwnCluster = { url: string; restart(): Promise<void>; drop(): void };

/**
 * A private cluster (Debian's pg_createcluster, trust auth on 127.0.0.1), where the tools are there and may be
 * run (as root, as in CI); otherwise null, and the test uses the shared server without restarting it.
 */
async function ownCluster(): Promise<OwnCluster | null> {
  if (process.getuid?.() !== 0 || spawnSync("pg_lsclusters", ["-h"]).status !== 0) return null;
  const version = execFileSync("pg_lsclusters", ["-h"]).toString().trim().split(/\s+/)[0];
  if (!version) return null;
  const name = `intygchaos${process.pid}`;
  const port = await freePort();
  const run = (command: string, ...args: string[]) => execFileSync(command, args, { stdio: "ignore" });
  try {
    run("pg_createcluster", version, name, "-p", String(port), "--", "--auth=trust");
    run("pg_ctlcluster", version, name, "start");
  } catch {
    spawnSync("pg_dropcluster", ["--stop", version, name]);
    return null;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // Not blocking: the load, the replicas' requests and the proxy go on while the server restarts.
    restart: async () => {
      await promisify(execFile)("pg_ctlcluster", [version, name, "restart"]);
    },
    drop: () => run("pg_dropcluster", "--stop", version, name),
  };
}

/** One statement on a connection of its own (a restart ends any connection kept open). */
async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split("\n")) {
    if (!text.startsWith("{")) continue;
    try {
      const line = JSON.parse(text) as LogLine;
      lines.push({
        ...line,
        time: typeof line.time === "number" ? line.time : Date.parse(String(line.time)),
      });
    } catch {
      // A line cut by SIGKILL.
    }
  }
  return lines;
}

describe("chaos: three replicas, one database, one chain, faults under load (child processes, postgres)", function () {
  this.timeout(240_000);

  it("anchors every credential exactly once with one leader at a time, answering 503 (never 500) while the database is away", async () => {
    const started = Date.now();
    const deployment = await deployFresh();
    const database = `intyg_chaos_${process.pid}_${randomBytes(4).toString("hex")}`;
    const cluster = await ownCluster();
    const server = cluster?.url ?? TEST_DATABASE_URL;
    await adminQuery(server, `CREATE DATABASE ${database}`);
    const direct = new URL(server);
    direct.pathname = `/${database}`;
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.port = String(proxy.port);
    const replicas: Replica[] = [];
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    /** When the test made a fault: no lock held before it survives it. */
    const faults: { at: number; kind: string; replica?: string }[] = [];
    let setup: Store | null = null;
    let restarted = false;
    try {
      // -- the organisation and its key, in the fresh database ---------------------------------------------
      setup = await createStore({ databaseUrl: direct.toString() });
      const { secret: apiKey, organisation } = await bootstrap(
        setup,
        { profile: DEMO_PROFILE, chainOrganisationId: deployment.organisationId },
        deployment,
      );
      const env = {
        DATABASE_URL: proxied.toString(),
        PORT: "0",
        INTYG_RPC_URL: deployment.rpcUrl,
        INTYG_REGISTRY: deployment.registry,
        INTYG_SIGNER_KEY: deployment.signerKey,
        INTYG_WORKER_POLL_MS: "100",
        INTYG_MAX_BATCH: "100",
        INTYG_RETRY_BASE_MS: "100",
        INTYG_RETRY_MAX_MS: "1000",
        INTYG_RATE_LIMIT: "100000",
        INTYG_ORG_RATE_LIMIT: "100000",
        LOG_LEVEL: "info",
      };
      const startReplica = async (): Promise<Replica> => {
        const child = runTs("src/main.ts", [], env);
        const url = (await child.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/, 120_000))[1]!;
        const health = (await (await fetch(`${url}/healthz`)).json()) as { worker: { replica: string } };
        const replica = { child, url, name: health.worker.replica, startedAt: Date.now() };
        replicas.push(replica);
        return replica;
      };
      await Promise.all([startReplica(), startReplica(), startReplica()]);
      const auth = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
      const created = await fetch(`${replicas[0]!.url}/v1/events`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ kind: "event", details: CONFERENCE }),
      });
      expect(created.status, await created.clone().text()).to.equal(201);
      const event = (await created.json()) as { id: string };
      // Blocks every 300 ms: sends and receipts are apart, so a kill lands between them.
      await rpc(deployment.rpcUrl, "evm_setAutomine", [false]);
      await rpc(deployment.rpcUrl, "evm_setIntervalMining", [300]);

      // -- the load: bulk requests round-robin over the live replicas, retried on 503 and on a dead replica --
      const alive = () => replicas.filter((r) => r.killedAt === undefined);
      let turn = 0;
      let done = 0;
      const ids = new Set<string>();
      const send = async (index: number) => {
        const body = JSON.stringify({
          attendees: Array.from({ length: PER_REQUEST }, (_, j) => ({
            subject: { name: `Deltagare ${index}-${j}` },
          })),
        });
        for (let attempt = 0; attempt < 200; attempt++) {
          const live = alive();
          const replica = live[turn++ % live.length]!;
          let response: Response;
          try {
            response = await fetch(`${replica.url}/v1/events/${event.id}/credentials/bulk`, {
              method: "POST",
              headers: { ...auth, "idempotency-key": `chaos-${index}` },
              body,
            });
          } catch {
            await pause(100); // The replica was killed under the request: the same key on another one.
            continue;
          }
          count(response.status);
          if (response.status === 201) {
            const result = (await response.json()) as { credentials: { id: string }[] };
            for (const credential of result.credentials) ids.add(credential.id);
            done += 1;
            return;
          }
          await response.body?.cancel();
          if (response.status === 503 || response.status === 409) {
            await pause(200);
            continue;
          }
          throw new Error(`bulk request ${index} answered ${response.status}`);
        }
        throw new Error(`bulk request ${index} never succeeded`);
      };
      let next = 0;
      // The last quarter waits for the outage, so that requests are in flight while the database is away.
      let outageBegun: () => void = () => undefined;
      const outage = new Promise<void>((resolve) => {
        outageBegun = resolve;
      });
      const load = Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS) {
            if (next >= REQUESTS * 0.75) await outage;
            await send(next++);
          }
        }),
      );
      const progress = async (fraction: number) => {
        while (done < REQUESTS * fraction) await pause(50);
      };

      // -- the faults ------------------------------------------------------------------------------------
      const outageHealth: Record<string, unknown>[] = [];
      const outageProbes: number[] = [];
      const chaos = (async () => {
        // 1. SIGKILL the leader just after it recorded a batch (between record and send, or mid-send).
        await progress(0.2);
        let leaderName: string | null = null;
        for (let i = 0; i < 100 && leaderName === null; i++) {
          const health = await fetch(`${alive()[0]!.url}/healthz`);
          leaderName = ((await health.json()) as { worker: { leader: string | null } }).worker.leader;
          if (leaderName === null) await pause(100);
        }
        const leader = replicas.find((r) => r.name === leaderName);
        expect(leader, `the leader ${leaderName} is one of the replicas`).not.to.equal(undefined);
        const recorded = leader!.child.output().split("batch recorded").length;
        const patience = Date.now() + 30_000;
        while (leader!.child.output().split("batch recorded").length === recorded && Date.now() < patience)
          await pause(10);
        await pause(Math.floor(Math.random() * 300));
        faults.push({ at: Date.now(), kind: "SIGKILL", replica: leader!.name });
        leader!.killedAt = Date.now();
        leader!.child.process.kill("SIGKILL");
        await leader!.child.exited;
        await startReplica();

        // 2. Every session of the database ended by the server, twice (what a restart does to its clients).
        await progress(0.5);
        for (let round = 0; round < 2; round++) {
          faults.push({ at: Date.now(), kind: "pg_terminate_backend" });
          await adminQuery(
            server,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [database],
          );
          await pause(500);
        }
        // And, on a cluster of the test's own, a real restart (pg_ctlcluster … restart).
        if (cluster) {
          faults.push({ at: Date.now(), kind: "restart" });
          await cluster.restart();
          restarted = true;
        }

        // 3. The database unreachable for three seconds.
        await progress(0.7);
        faults.push({ at: Date.now(), kind: "outage" });
        await proxy.down();
        outageBegun();
        const outageEnds = Date.now() + 3000;
        for (const replica of alive()) {
          const health = await fetch(`${replica.url}/healthz`);
          outageHealth.push({ status: health.status, ...((await health.json()) as Record<string, unknown>) });
          const probe = await fetch(`${replica.url}/v1/events`, { headers: auth });
          count(probe.status);
          outageProbes.push(probe.status);
          expect(probe.headers.get("retry-after")).to.equal("5");
          await probe.body?.cancel();
        }
        await pause(outageEnds - Date.now());
        await proxy.up();
      })();
      await Promise.all([load, chaos]);

      // -- every credential anchored ----------------------------------------------------------------------
      const deadline = Date.now() + 90_000;
      let left = -1;
      for (;;) {
        const [row] = (
          await setup.db.query<{ left: string }>(
            "SELECT count(*) AS left FROM credentials WHERE status <> 'anchored'",
          )
        ).map((r) => Number(r.left));
        left = row!;
        if (left === 0 || Date.now() > deadline) break;
        await pause(250);
      }
      expect(left, "credentials not anchored").to.equal(0);
      const elapsed = Date.now() - started;

      // -- the replicas lived through it ------------------------------------------------------------------
      for (const replica of alive()) {
        expect(
          replica.child.process.exitCode,
          `${replica.name} exited: ${replica.child.output().slice(-2000)}`,
        ).to.equal(null);
        expect(replica.child.output()).not.to.match(
          /programmer error|Unhandled 'error' event|unhandled error/,
        );
      }
      expect(alive()).to.have.length(3);

      // -- 503, never 500 ---------------------------------------------------------------------------------
      expect(statuses.get(500) ?? 0, `statuses ${JSON.stringify([...statuses])}`).to.equal(0);
      expect(
        outageProbes.every((status) => status === 503),
        `probes ${outageProbes}`,
      ).to.equal(true);
      expect(statuses.get(503) ?? 0, "bulk requests answered 503 during the outage").to.be.greaterThan(
        outageProbes.length,
      );
      for (const health of outageHealth) {
        expect(health.status).to.equal(503);
        expect(health.database).to.deep.include({ ok: false });
        expect(health.chain).to.deep.include({ ok: true });
      }

      // -- one leader at a time (log evidence) ------------------------------------------------------------
      // A replica leads from "became the anchoring leader" until it logs the loss, gives up, or a fault that
      // ends its lock session (the kill, the terminated sessions, the outage) — whichever is first. Every batch
      // recorded or marked anchored must fall inside its replica's leadership and outside everyone else's. A
      // line is written just after its commit returns, so it may trail the commit (and the fault): by up to a
      // second on two cores shared by three replicas, the node, the database and other suites (255 ms was seen
      // in CI). That a write after the loss of the lock is refused is shown by db-faults.test.ts.
      const TRAIL_MS = 1000;
      const intervals: { replica: string; from: number; to: number }[] = [];
      const work: { replica: string; time: number; msg: string }[] = [];
      for (const replica of replicas) {
        let from: number | null = null;
        const close = (at: number) => {
          if (from === null) return;
          const fault = faults.find(
            (f) => f.at > from! && (f.kind !== "SIGKILL" || f.replica === replica.name),
          );
          intervals.push({
            replica: replica.name,
            from,
            to: Math.min(at, fault?.at ?? Number.POSITIVE_INFINITY),
          });
          from = null;
        };
        for (const line of logLines(replica.child.output())) {
          if (line.msg === "became the anchoring leader") from = line.time;
          else if (
            line.msg.startsWith("anchoring leadership lost") ||
            line.msg === "gave up the anchoring leadership"
          )
            close(line.time);
          else if (line.msg === "batch recorded" || line.msg === "batch anchored")
            work.push({ replica: replica.name, time: line.time, msg: line.msg });
        }
        close(replica.killedAt ?? Number.POSITIVE_INFINITY);
      }
      intervals.sort((a, b) => a.from - b.from);
      // A replica logs the loss of its lock when it notices it, which may be after another replica has taken the
      // lock (38 ms was seen in CI): the end of a leadership is known only to within the same trail.
      for (let i = 1; i < intervals.length; i++) {
        expect(intervals[i]!.from, `leaders overlap: ${JSON.stringify(intervals)}`).to.be.at.least(
          intervals[i - 1]!.to - TRAIL_MS,
        );
      }
      const outside = work.filter(
        (w) =>
          !intervals.some((i) => i.replica === w.replica && w.time >= i.from && w.time <= i.to + TRAIL_MS),
      );
      expect(outside, `work outside its replica's leadership: ${JSON.stringify(intervals)}`).to.deep.equal(
        [],
      );
      const leaders = new Set(intervals.map((i) => i.replica));
      expect(leaders.size, "the leadership moved").to.be.at.least(2);

      // -- exactly once, on chain as in the database ------------------------------------------------------
      const batches = await setup.anchoring.listBatches(organisation.id);
      const members = new Map<string, number>();
      for (const batch of batches) {
        expect(batch.status).to.equal("anchored");
        for (const member of await setup.anchoring.batchMembers(batch.id))
          members.set(member.id, (members.get(member.id) ?? 0) + 1);
      }
      expect(ids.size).to.equal(REQUESTS * PER_REQUEST);
      expect(
        [...members.values()].every((n) => n === 1),
        "a credential in two batches",
      ).to.equal(true);
      expect(new Set(members.keys())).to.deep.equal(ids);
      const client = createPublicClient({ transport: http(deployment.rpcUrl) });
      const logs = await client.getContractEvents({
        address: deployment.registry,
        abi: intygRegistryAbi,
        eventName: "CredentialAnchored",
        fromBlock: 0n,
        toBlock: "latest",
      });
      const onChain = new Map<Hex, { txHash: Hex; blockNumber: bigint }[]>();
      for (const log of logs) {
        const root = log.args.commitment as Hex;
        onChain.set(root, [
          ...(onChain.get(root) ?? []),
          { txHash: log.transactionHash, blockNumber: log.blockNumber },
        ]);
      }
      // The registry's anchoring transactions are the batches: one each, no root twice, none extra.
      expect(
        [...onChain.values()].every((list) => list.length === 1),
        "a root anchored twice",
      ).to.equal(true);
      expect(new Set(onChain.keys())).to.deep.equal(new Set(batches.map((b) => b.root)));
      // Every hash the database shows as a batch's transaction was mined, in the block it records.
      let withoutHash = 0;
      for (const batch of batches) {
        const anchoring = onChain.get(batch.root)![0]!;
        if (batch.txHash === null || batch.blockNumber === null) {
          withoutHash += 1;
          continue;
        }
        expect(batch.txHash, `batch ${batch.id}: its recorded hash is not the mined one`).to.equal(
          anchoring.txHash,
        );
        expect(BigInt(batch.blockNumber)).to.equal(anchoring.blockNumber);
      }
      if (HASH_BOOKKEEPING_ASSERTED)
        expect(withoutHash, "batches that name no mined transaction").to.equal(0);

      if (process.env.INTYG_CHAOS_LOG)
        (await import("node:fs")).writeFileSync(
          process.env.INTYG_CHAOS_LOG,
          replicas.map((r) => `== ${r.name}\n${r.child.output()}`).join("\n"),
        );
      const lost = replicas
        .flatMap((r) => logLines(r.child.output()))
        .filter((l) => l.msg.startsWith("leadership lost mid-work"));
      console.log(
        `      ${ids.size} credentials in ${batches.length} batches by ${leaders.size} successive leaders (${intervals.length} terms) in ${(elapsed / 1000).toFixed(1)} s (${restarted ? "with" : "without"} a server restart); statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${lost.length} units refused by the fence; ${withoutHash} batches without a recorded hash and block`,
      );
    } finally {
      await rpc(deployment.rpcUrl, "evm_setIntervalMining", [0]).catch(() => undefined);
      await rpc(deployment.rpcUrl, "evm_setAutomine", [true]).catch(() => undefined);
      for (const replica of replicas)
        if (replica.child.process.exitCode === null) replica.child.process.kill("SIGKILL");
      await Promise.all(replicas.map((r) => r.child.exited));
      await proxy.close();
      await setup?.close();
      if (cluster) cluster.drop();
      else
        await adminQuery(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    }
  });
});
