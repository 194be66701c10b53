// The CLI's bundle: it runs only while it is current, and what it runs is the CLI, its verifier worker
// thread included.

import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { recordSnapshot } from "@intyg/verifier";
import { expect } from "chai";
import { unpackReports } from "../../verifier/src/transfer";
import type { WorkerMessage } from "../../verifier/src/worker";
import { createFixture, type Fixture } from "../../verifier/test/fixture";
import { buildCli } from "../src/build";

const { bundleState } = require("../bin/bundle-state.js") as {
  bundleState(
    packageDir: string,
    distDir?: string,
  ): { fresh: true; bundle: string } | { fresh: false; reason: string };
};

describe("the CLI's bundle", function () {
  this.timeout(300_000);
  const packageDir = path.join(__dirname, "..");
  let outDir: string;

  before(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "intyg-cli-bundle-"));
    const built = await buildCli({ outDir });
    expect(built.files).to.include.members(["intyg.cjs", "verifier-worker.cjs", "manifest.json"]);
    expect(built.inputs).to.be.greaterThan(50);
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  describe("when it may run", () => {
    let dir: string;
    let source: string;
    const manifest = (inputs: unknown) =>
      writeFileSync(path.join(dir, "dist", "manifest.json"), JSON.stringify({ version: 1, inputs }));

    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "intyg-cli-state-"));
      mkdirSync(path.join(dir, "dist"));
      mkdirSync(path.join(dir, "src"));
      source = path.join(dir, "src", "main.ts");
      writeFileSync(source, "export {};\n"); // 11 bytes
      writeFileSync(path.join(dir, "dist", "intyg.cjs"), "");
      writeFileSync(path.join(dir, "dist", "verifier-worker.cjs"), "");
      utimesSync(source, 1_700_000_000, 1_700_000_000);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("runs while every file it was built from is as it was", () => {
      manifest([["src/main.ts", 11, 1_700_000_000_000]]);
      expect(bundleState(dir)).to.deep.equal({ fresh: true, bundle: path.join(dir, "dist", "intyg.cjs") });
    });

    it("runs the sources once a file it was built from changed, moved or went", () => {
      manifest([["src/main.ts", 11, 1_700_000_000_000]]);
      utimesSync(source, 1_700_000_001, 1_700_000_001);
      expect(bundleState(dir)).to.deep.equal({
        fresh: false,
        reason: "src/main.ts changed since the bundle was built",
      });
      manifest([["src/main.ts", 12, 1_700_000_001_000]]);
      expect(bundleState(dir)).to.include({ fresh: false });
      manifest([["src/gone.ts", 10, 1_700_000_000_000]]);
      expect(bundleState(dir)).to.deep.equal({
        fresh: false,
        reason: "src/gone.ts is gone since the bundle was built",
      });
    });

    it("runs the sources without a bundle, or with a manifest it cannot read", () => {
      expect(bundleState(dir)).to.deep.equal({ fresh: false, reason: "no bundle has been built" });
      writeFileSync(path.join(dir, "dist", "manifest.json"), "{");
      expect(bundleState(dir)).to.include({ fresh: false });
      manifest([]);
      expect(bundleState(dir)).to.include({ fresh: false });
      manifest([[42]]);
      expect(bundleState(dir)).to.deep.equal({ fresh: false, reason: "the bundle's manifest is damaged" });
      manifest([["src/main.ts", 11, 1_700_000_000_000]]);
      rmSync(path.join(dir, "dist", "verifier-worker.cjs"));
      expect(bundleState(dir)).to.deep.equal({ fresh: false, reason: "the bundle's files are missing" });
    });

    it("runs the sources once a file is added beside its sources (it may change what an import finds)", () => {
      const folder = path.join(dir, "src");
      utimesSync(folder, 1_700_000_000, 1_700_000_000);
      manifest([
        ["src", statSync(folder).size, 1_700_000_000_000],
        ["src/main.ts", 11, 1_700_000_000_000],
      ]);
      expect(bundleState(dir)).to.include({ fresh: true });
      writeFileSync(path.join(folder, "main.tsx"), "export {};\n");
      expect(bundleState(dir)).to.deep.equal({
        fresh: false,
        reason: "src changed since the bundle was built",
      });
    });

    it("is current just after a build, for every workspace file, folder and package.json it depends on", () => {
      expect(bundleState(packageDir, outDir)).to.include({ fresh: true });
      const { inputs } = JSON.parse(readFileSync(path.join(outDir, "manifest.json"), "utf8")) as {
        inputs: [string, number, number][];
      };
      const files = inputs.map(([file]) => file);
      expect(files).to.include.members([
        "src/main.ts",
        "src",
        "package.json",
        "../verifier/src/worker.ts",
        "../verifier/package.json",
        "../../pnpm-lock.yaml",
        "../../tsconfig.json",
      ]);
    });

    it("leaves no manifest behind when a build fails, so an older bundle does not run", async () => {
      const broken = mkdtempSync(path.join(tmpdir(), "intyg-cli-broken-"));
      try {
        mkdirSync(path.join(broken, "dist"));
        writeFileSync(path.join(broken, "dist", "manifest.json"), JSON.stringify({ version: 1, inputs: [] }));
        let failed = false;
        await buildCli({ packageDir: broken, outDir: path.join(broken, "dist") }).catch(() => {
          failed = true;
        });
        expect(failed, "the build of a package without sources fails").to.equal(true);
        expect(existsSync(path.join(broken, "dist", "manifest.json"))).to.equal(false);
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
    });
  });

  describe("what it runs", () => {
    let fx: Fixture;
    let folder: string;
    let snapshotFile: string;
    let texts: string[];

    before(async () => {
      fx = await createFixture();
      texts = (await fx.issueBatch(2400)).map((c) => JSON.stringify(c));
      folder = mkdtempSync(path.join(tmpdir(), "intyg-cli-bundle-files-"));
      for (const [i, text] of texts.entries()) writeFileSync(path.join(folder, `${i}.json`), text);
      snapshotFile = path.join(folder, "snapshot.json.txt");
      writeFileSync(
        snapshotFile,
        JSON.stringify(await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry })),
      );
    });
    after(async () => {
      rmSync(folder, { recursive: true, force: true });
      await fx?.stop();
    });

    it("verifies a folder of credentials as the sources do", () => {
      const cli = (args: string[], entry: "bundle" | "source") => {
        const script =
          entry === "bundle"
            ? `require(${JSON.stringify(path.join(outDir, "intyg.cjs"))}).main(["node", "intyg", ...process.argv.slice(1)]).then((code) => { process.exitCode = code; })`
            : undefined;
        const result = script
          ? spawnSync(process.execPath, ["-e", script, ...args], { encoding: "utf8" })
          : spawnSync(process.execPath, [path.join(packageDir, "bin", "intyg.js"), ...args], {
              encoding: "utf8",
              env: { ...process.env, INTYG_CLI_FROM_SOURCE: "1" },
            });
        return result;
      };
      const args = ["verify", folder, "--snapshot", snapshotFile, "--registry", fx.registry, "--lang", "en"];
      const bundled = cli(args, "bundle");
      expect(bundled.status, bundled.stderr).to.equal(0);
      expect(bundled.stdout).to.include("2400 of 2400 credentials verified.");
      const fromSource = cli(args, "source");
      expect(fromSource.status, fromSource.stderr).to.equal(0);
      expect(bundled.stdout).to.equal(fromSource.stdout);
    });

    it("has a worker thread that verifies a chunk and answers with its reports", async () => {
      const worker = new Worker(path.join(outDir, "verifier-worker.cjs"));
      try {
        const messages: WorkerMessage[] = [];
        const next = () =>
          new Promise<WorkerMessage>((resolve, reject) => {
            worker.once("message", resolve);
            worker.once("error", reject);
          });
        messages.push(await next());
        expect(messages[0]).to.deep.equal({ ready: true });
        const answer = next();
        const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
        worker.postMessage({
          id: 7,
          run: 0,
          inputs: texts.slice(0, 120),
          options: { snapshot, registry: fx.registry },
        });
        const reply = await answer;
        expect(reply).to.have.property("id", 7);
        if (!("packed" in reply)) throw new Error(`the worker failed: ${JSON.stringify(reply)}`);
        const reports = unpackReports(reply.packed);
        expect(reports).to.have.length(120);
        expect(reports.every((r) => r.verified)).to.equal(true);
        // A chunk of files of the same run: the worker reads them.
        const fromFiles = next();
        const files = [0, 1, 2].map((i) => path.join(folder, `${i}.json`));
        worker.postMessage({ id: 8, run: 0, files });
        const filesReply = await fromFiles;
        if (!("packed" in filesReply)) throw new Error(`the worker failed: ${JSON.stringify(filesReply)}`);
        expect(
          unpackReports(filesReply.packed).map((r) => [r.verified, r.credential?.credentialId]),
        ).to.deep.equal(texts.slice(0, 3).map((t) => [true, JSON.parse(t).id]));
      } finally {
        await worker.terminate();
      }
    });
  });
});
