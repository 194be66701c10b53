// Verification on every core: the same reports as one thread, in order, every thread reading the one block the
// run pinned even while the node mines new ones.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Credential } from "@intyg/credential";
import { expect } from "chai";
import { http } from "viem";
import { recordSnapshot, verifyCredentials } from "../src";
import {
  CredentialFileError,
  prestartVerificationThreads,
  threadsFor,
  verifyCredentialsInParallel,
  verifyFilesInParallel,
} from "../src/pool";
import { createRunVerifier } from "../src/verify";
import { clone, createFixture, type Fixture } from "./fixture";

describe("parallel verification (worker threads)", function () {
  this.timeout(300_000);
  let fx: Fixture;
  let inputs: unknown[];

  before(async () => {
    fx = await createFixture();
    const batch: Credential[] = await fx.issueBatch(400);
    const tampered = clone(batch[300]!);
    (tampered.credentialSubject as { name?: string }).name = "Någon annan";
    // Texts, a parsed value and a tampered copy, in one run.
    inputs = [...batch.slice(0, 300).map((c) => JSON.stringify(c)), tampered, ...batch.slice(301)];
    // Loaded before the runs, so that the worker takes chunks of these small runs (4 chunks of 100).
    expect(await prestartVerificationThreads(2)).to.equal(1);
  });

  /** Where each chunk of a run was verified. */
  const tally = () => {
    const where = { this: 0, worker: 0 };
    return {
      where,
      onChunk: (done: { credentials: number; thread: "this" | "worker" }) => {
        where[done.thread] += done.credentials;
      },
    };
  };
  after(async () => {
    await fx?.stop();
  });

  it("gives one thread's reports, in order, with every thread on the block the run pinned", async () => {
    const now = Date.now();
    const node = http(fx.rpcUrl)({});
    // A new block every few milliseconds: a thread that read "latest" for itself would see a newer one.
    let mining = true;
    const miner = (async () => {
      while (mining) {
        await node.request({ method: "evm_mine", params: [] });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    let parallel: Awaited<ReturnType<typeof verifyCredentialsInParallel>>;
    const chunks = tally();
    try {
      parallel = await verifyCredentialsInParallel(
        inputs,
        { rpcUrl: fx.rpcUrl, registry: fx.registry, now },
        { threads: 2, minPerThread: 100, onChunk: chunks.onChunk },
      );
    } finally {
      mining = false;
      await miner;
    }
    expect(parallel).to.have.length(inputs.length);
    expect(chunks.where.worker, "credentials verified by the worker").to.be.greaterThan(0);
    expect(chunks.where.this + chunks.where.worker).to.equal(inputs.length);
    // (The tampered credential's report names no block: its chain checks never ran.)
    const blocks = new Set(parallel.flatMap((r) => (r.chain ? [r.chain.blockNumber] : [])));
    expect([...blocks], "blocks read").to.have.length(1);
    expect(parallel.filter((r) => !r.verified).map((r) => parallel.indexOf(r))).to.deep.equal([300]);
    const pinned = BigInt([...blocks][0]!);
    const single = await verifyCredentials(inputs, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      now,
      blockNumber: pinned,
    });
    expect(parallel).to.deep.equal(single);
  });

  it("reads the node once per thread for the whole run, not once per chunk", async () => {
    // A proxy in front of the node counts the JSON-RPC methods asked of it (single requests and batches).
    const asked = new Map<string, number>();
    const proxy = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on("data", (part: Buffer) => body.push(part));
      req.on("end", async () => {
        const text = Buffer.concat(body).toString("utf8");
        const parsed = JSON.parse(text) as { method: string } | { method: string }[];
        for (const { method } of Array.isArray(parsed) ? parsed : [parsed])
          asked.set(method, (asked.get(method) ?? 0) + 1);
        const answer = await fetch(fx.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const chunks = tally();
      const reports = await verifyCredentialsInParallel(
        inputs,
        { rpcUrl: `http://127.0.0.1:${port}`, registry: fx.registry },
        { threads: 2, minPerThread: 100, onChunk: chunks.onChunk },
      );
      expect(chunks.where.worker, "credentials verified by the worker").to.be.greaterThan(0);
      expect(reports.filter((r) => !r.verified)).to.have.length(1);
      // Four chunks of one batch, each with enough of its leaves to ask for the leaf events: once per thread.
      expect(asked.get("eth_getLogs"), "eth_getLogs").to.be.within(1, 2);
      expect(asked.get("eth_chainId") ?? 0, "eth_chainId").to.be.at.most(2);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("reads a registry afresh in the next part of a run after a part could not read it", async () => {
    // A node in front of the real one that refuses what `refuse` says, while it says so.
    let refuse: ((text: string) => boolean) | undefined;
    const proxy = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on("data", (part: Buffer) => body.push(part));
      req.on("end", async () => {
        const text = Buffer.concat(body).toString("utf8");
        if (refuse?.(text)) {
          res.writeHead(503).end();
          return;
        }
        const answer = await fetch(fx.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    const options = { rpcUrl: `http://127.0.0.1:${port}`, registry: fx.registry };
    const texts = inputs.filter((input): input is string => typeof input === "string");
    try {
      // The node down while the first part reads its chain context; back for the second.
      const verify = createRunVerifier(options);
      refuse = () => true;
      const first = await verify(texts.slice(0, 50));
      refuse = undefined;
      const second = await verify(texts.slice(50, 100));
      expect(first.every((r) => !r.verified)).to.equal(true);
      expect(second.every((r) => r.verified)).to.equal(true);
      // The context read, but the registry's values refused in a later part (the leaf events, and the multicall
      // with its long calldata that reads the leaves then).
      const again = createRunVerifier(options);
      await again(texts.slice(0, 1));
      refuse = (text) =>
        text.includes('"eth_getLogs"') || (text.includes('"eth_call"') && text.length > 2_000);
      const refused = await again(texts.slice(100, 150));
      refuse = undefined;
      const after = await again(texts.slice(150, 200));
      expect(refused.every((r) => !r.verified)).to.equal(true);
      expect(after.every((r) => r.verified)).to.equal(true);
    } finally {
      refuse = undefined;
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("gives one thread's reports on a snapshot", async () => {
    const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const now = Date.now();
    const options = { snapshot, registry: fx.registry, now };
    const chunks = tally();
    const parallel = await verifyCredentialsInParallel(inputs, options, {
      threads: 2,
      minPerThread: 100,
      onChunk: chunks.onChunk,
    });
    expect(chunks.where.worker, "credentials verified by the worker").to.be.greaterThan(0);
    const single = await verifyCredentials(inputs, options);
    expect(parallel).to.deep.equal(single);
    // Word for word, keys in the same order (the worker sends the parts reports share once), and every report with
    // objects of its own: changing one report's checks changes no other.
    expect(JSON.stringify(parallel)).to.equal(JSON.stringify(single));
    const alike = parallel.filter(
      (r, k) => k > 0 && JSON.stringify(r.checks) === JSON.stringify(parallel[k - 1]!.checks),
    );
    expect(alike.length).to.be.greaterThan(100);
    for (let k = 0; k + 1 < parallel.length; k++) {
      const [a, b] = [parallel[k]!, parallel[k + 1]!];
      const saved = [a.checks[0]!.message, a.trust.message];
      const next = [b.checks[0]!.message, b.trust.message];
      (a.checks[0] as { message: string }).message = "changed";
      (a.trust as { message: string }).message = "changed";
      expect([b.checks[0]!.message, b.trust.message], `report ${k + 1}`).to.deep.equal(next);
      (a.checks[0] as { message: string }).message = saved[0]!;
      (a.trust as { message: string }).message = saved[1]!;
    }
    // The snapshot's text, too (parsed once for the run and sent parsed to the worker).
    const fromText = await verifyCredentialsInParallel(
      inputs,
      { ...options, snapshot: JSON.stringify(snapshot) },
      { threads: 2, minPerThread: 100 },
    );
    expect(fromText).to.deep.equal(single);
  });

  it("ends a run with small chunks, so that no thread waits long for the others", async () => {
    const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const sizes: number[] = [];
    await verifyCredentialsInParallel(
      inputs,
      { snapshot, registry: fx.registry },
      { threads: 2, minPerThread: 100, onChunk: (done) => sizes.push(done.credentials) },
    );
    // 400 credentials on two threads: 100, then 60 up to the tail, then three chunks of 40 per thread.
    expect([...sizes].sort((a, b) => a - b)).to.deep.equal([40, 40, 40, 40, 40, 40, 60, 100]);
  });

  it("lets the process end with its workers loaded and idle", () => {
    // A CLI run that loads the workers and then stops early (a missing file) must not hang on them.
    const pool = path.join(__dirname, "..", "src", "pool.ts");
    // Awaiting the workers keeps the process up while they load; once they are loaded and idle it ends.
    const script = `require(${JSON.stringify(pool)}).prestartVerificationThreads(2).then((n) => console.log("loaded", n));`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout.trim()).to.equal("loaded 1");
    expect(result.signal, "still running after 60 s").to.equal(null);
    expect(result.status).to.equal(0);
  });

  it("keeps small runs on one thread, and takes the loaded workers from a few hundred on", async () => {
    // The earlier tests loaded a worker: a run then pays for a second thread from 500 credentials.
    expect(await prestartVerificationThreads(2)).to.equal(1);
    expect(threadsFor(499, { threads: 2 })).to.equal(1);
    expect(threadsFor(500, { threads: 2 })).to.equal(2);
    expect(threadsFor(1000, { threads: 2 })).to.equal(2);
    expect(threadsFor(10_000, { threads: 1 })).to.equal(1);
    // Workers still to be loaded (three threads asked, one worker loaded): only large runs are worth starting them.
    expect(threadsFor(1000, { threads: 3 })).to.equal(1);
    expect(threadsFor(4500, { threads: 3 })).to.equal(3);
    expect(threadsFor(1000, { threads: 2, minPerThread: 1500 })).to.equal(1);
  });

  it("counts a worker started before a run as loaded while it still loads (the CLI starts it as it reads files)", () => {
    // In a process of its own: here the workers are loaded already. Asked at once after the start, before the
    // worker has loaded: 1,000 credentials take the second thread, as they do once it has loaded.
    const pool = path.join(__dirname, "..", "src", "pool.ts");
    const script = `const p = require(${JSON.stringify(pool)}); void p.prestartVerificationThreads(2);
      console.log(p.threadsFor(1000, { threads: 2 }), p.threadsFor(499, { threads: 2 })); process.exit(0);`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stdout.trim()).to.equal("2 1");
  });

  it("counts a member of a batch as a quarter of a credential signed on its own", async () => {
    expect(await prestartVerificationThreads(2)).to.equal(1);
    const member = inputs[0] as string;
    const parsed = JSON.parse(member) as Credential;
    const { batch: _, ...anchor } = parsed.anchor as Record<string, unknown>;
    const single = JSON.stringify({ ...parsed, anchor });
    const run = (count: number, item: unknown) => Array.from({ length: count }, () => item);
    // 1,000 members of a batch cost what 250 single credentials do: not worth a second thread.
    expect(threadsFor(1000, { threads: 2 }, run(1000, member))).to.equal(1);
    expect(threadsFor(1000, { threads: 2 }, run(1000, parsed))).to.equal(1);
    expect(threadsFor(2000, { threads: 2 }, run(2000, member))).to.equal(2);
    expect(threadsFor(500, { threads: 2 }, run(500, single))).to.equal(2);
    // Half and half: 500 singles and 500 members weigh 625.
    const mixed = [...run(500, single), ...run(500, member)];
    expect(threadsFor(1000, { threads: 2 }, mixed)).to.equal(2);
    expect(threadsFor(600, { threads: 2 }, mixed.slice(200, 800))).to.equal(1);
    // What is not plainly a credential counts as one; a number given counts every credential as one.
    expect(threadsFor(500, { threads: 2 }, run(500, "https://intyg.example/verify#abc"))).to.equal(2);
    expect(threadsFor(1000, { threads: 2, minPerThread: 250 }, run(1000, member))).to.equal(2);
    // Bytes (the CLI's files) are read too; text too large to be a credential, and values that throw when read,
    // count as one and never stop the run.
    expect(threadsFor(1000, { threads: 2 }, run(1000, new TextEncoder().encode(member)))).to.equal(1);
    const huge = `${member.slice(0, -1)}, "pad": "${"x".repeat(70 * 1024)}"}`;
    expect(threadsFor(500, { threads: 2 }, run(500, huge))).to.equal(2);
    const hostile = {
      get anchor(): never {
        throw new Error("no");
      },
    };
    expect(threadsFor(500, { threads: 2 }, run(500, hostile))).to.equal(2);
  });

  describe("a run of files (verifyFilesInParallel)", () => {
    let folder: string;
    let files: string[];
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), "intyg-pool-files-"));
      // The run's inputs as files (the tampered one too), and a presentation's type in one of them.
      files = inputs.map((input, i) => {
        const file = path.join(folder, `${String(i).padStart(3, "0")}.json`);
        writeFileSync(file, typeof input === "string" ? input : JSON.stringify(input));
        return file;
      });
      writeFileSync(
        files[150]!,
        JSON.stringify({ ...JSON.parse(inputs[150] as string), type: ["VerifiablePresentation"] }),
      );
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it("gives the reports of the files' bytes, in order, with the worker reading the files of its chunks", async () => {
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      const options = { snapshot, registry: fx.registry, now: Date.now() };
      const chunks = tally();
      const parallel = await verifyFilesInParallel(files, options, {
        threads: 2,
        minPerThread: 100,
        onChunk: chunks.onChunk,
      });
      expect(chunks.where.worker, "credentials verified by the worker").to.be.greaterThan(0);
      const single = await verifyCredentials(
        files.map((file) => new Uint8Array(readFileSync(file))),
        options,
      );
      expect(JSON.stringify(parallel)).to.equal(JSON.stringify(single));
      expect(parallel.filter((r) => r.verified).length).to.equal(files.length - 2);
      expect(parallel[300]!.checks.find((c) => c.id === "integrity")?.status).to.equal("failed");
      expect(parallel[150]!.checks[0]).to.include({ id: "format", code: "is-presentation" });
      // On one thread (threads: 1), the same.
      expect(JSON.stringify(await verifyFilesInParallel(files, options, { threads: 1 }))).to.equal(
        JSON.stringify(single),
      );
    });

    it("stops at a file that cannot be read, naming it", async () => {
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      const options = { snapshot, registry: fx.registry };
      // Early in the run (this thread's first chunk) and in its last chunk: the same error.
      for (const at of [5, 390]) {
        const missing = [...files];
        missing[at] = path.join(folder, "gone.json");
        const sizes: number[] = [];
        const error = await verifyFilesInParallel(missing, options, {
          threads: 2,
          minPerThread: 100,
          onChunk: (done) => sizes.push(done.credentials),
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `missing file at ${at}`).to.be.instanceOf(CredentialFileError);
        expect((error as CredentialFileError).file).to.equal(missing[at]);
        expect((error as CredentialFileError).errno).to.equal("ENOENT");
        expect((error as Error).message).to.equal(`No such file: ${missing[at]}`);
        // Early: no thread takes another chunk after the error (a worker would finish the two it holds; here the
        // error comes first). All 300 of the other chunks were verified when the threads went on taking them.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        if (at === 5) expect(sizes.reduce((a, b) => a + b, 0)).to.be.lessThan(200);
      }
    });

    it("reads a pipe among the files once, by the thread that verifies it (not to weigh the run)", async () => {
      expect(await prestartVerificationThreads(2)).to.equal(1);
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      const options = { snapshot, registry: fx.registry };
      // First in the run, where the weighing samples; its writer then offers an empty document to a second read
      // (after a pause, so that the first read has seen the end of the first).
      const fifo = path.join(folder, "pipe.json");
      expect(spawnSync("mkfifo", [fifo]).status).to.equal(0);
      const writer = spawn("sh", [
        "-c",
        'cat "$1" > "$2"; sleep 1; printf "{}" > "$2"',
        "sh",
        files[0]!,
        fifo,
      ]);
      try {
        const run = [fifo, ...files.slice(1), ...files];
        expect(threadsFor(run.length, { threads: 2 })).to.equal(2);
        const reports = await verifyFilesInParallel(run, options, { threads: 2 });
        expect(reports[0]!.verified, JSON.stringify(reports[0]!.checks[0])).to.equal(true);
      } finally {
        writer.kill();
        rmSync(fifo, { force: true });
      }
    });

    it("weighs a run of files by a sample of them, as it weighs inputs", async () => {
      expect(await prestartVerificationThreads(2)).to.equal(1);
      // 800 members of a batch weigh 200, too few for a second thread; counted as one each (a number given), 800.
      const doubled = [...files, ...files];
      expect(threadsFor(doubled.length, { threads: 2 })).to.equal(2);
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      const options = { snapshot, registry: fx.registry };
      const weighed = tally();
      await verifyFilesInParallel(doubled, options, { threads: 2, onChunk: weighed.onChunk });
      expect(weighed.where).to.deep.equal({ this: 0, worker: 0 });
      const counted = tally();
      await verifyFilesInParallel(doubled, options, {
        threads: 2,
        minPerThread: 250,
        onChunk: counted.onChunk,
      });
      expect(counted.where.worker).to.be.greaterThan(0);
    });
  });
});
