// The real CLI as a child process, against a real chain: exit codes 0 / 1 / 2 and what it prints.

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { shareUrl } from "@intyg/credential";
import { createPresentation, holderDid } from "@intyg/verifier";
import { expect } from "chai";
import { account, clone, createFixture, type Fixture } from "../../verifier/test/fixture";

const BIN = path.join(__dirname, "..", "bin", "intyg.js");

type Run = { code: number | null; stdout: string; stderr: string };

function run(
  args: string[],
  options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    delete env.INTYG_RPC_URL;
    delete env.INTYG_REGISTRY;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? tmpdir(), env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

describe("intyg CLI", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let dir: string;
  let valid: string;
  let revoked: string;
  let tampered: string;
  let chain: string[];

  before(async () => {
    fx = await createFixture();
    dir = mkdtempSync(path.join(tmpdir(), "intyg-cli-"));
    const credential = await fx.issue();
    valid = path.join(dir, "valid.json");
    writeFileSync(valid, JSON.stringify(credential, null, 2));
    const gone = await fx.issue();
    await fx.write(2, "revoke", [fx.organisationId, gone.commitment.root, 3]);
    revoked = path.join(dir, "revoked.json");
    writeFileSync(revoked, JSON.stringify(gone));
    const changed = clone(credential);
    changed.credentialSubject.name = "Mallory";
    tampered = path.join(dir, "tampered.json");
    writeFileSync(tampered, JSON.stringify(changed));
    chain = ["--rpc", fx.rpcUrl, "--registry", fx.registry];
  });
  after(async () => {
    await fx?.stop();
  });

  it("exits 0 for a valid credential and prints each check, then the verdict", async () => {
    const result = await run(["verify", valid, ...chain]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/✔ Format/);
    expect(result.stdout).to.match(/– Innehavare/);
    expect(result.stdout.trim().split("\n").pop()).to.match(/^Verifierat/);
    expect(result.stdout).to.match(/Region Exempel/);
  });

  it("prints the report as JSON with --json, in English with --lang en", async () => {
    const result = await run(["verify", valid, ...chain, "--json", "--lang", "en"]);
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.stdout);
    expect(report.verified).to.equal(true);
    expect(report.checks[0]).to.include({ id: "format", status: "passed" });
    expect(report.checks.map((c: { id: string }) => c.id)).to.include.members([
      "anchor",
      "revocation",
      "event",
    ]);
    expect(report.verdict).to.match(/^Verified/);
  });

  it("exits 1 for a revoked or a tampered credential", async () => {
    const a = await run(["verify", revoked, ...chain, "--lang", "en"]);
    expect(a.code).to.equal(1);
    expect(a.stdout).to.match(/✖ Not revoked\s+The credential was revoked/);
    const b = await run(["verify", tampered, ...chain, "--json"]);
    expect(b.code).to.equal(1);
    expect(JSON.parse(b.stdout).checks[1]).to.include({ id: "integrity", status: "failed" });
  });

  it("reads standard input with - and share links as the argument", async () => {
    const credential = (await import("node:fs")).readFileSync(valid, "utf8");
    const stdin = await run(["verify", "-", ...chain], { stdin: credential });
    expect(stdin.code).to.equal(0);
    const link = shareUrl("https://intyg.example.se/verify", JSON.parse(credential));
    const shared = await run(["verify", link, ...chain]);
    expect(shared.code).to.equal(0);
  });

  it("exits 2 for unusable input and usage errors, with a message", async () => {
    const notJson = path.join(dir, "not.json");
    writeFileSync(notJson, "this is not JSON");
    const cases = [
      ["verify", notJson, ...chain],
      ["verify", path.join(dir, "missing.json"), ...chain],
      ["verify", valid],
      ["verify", valid, ...chain, "--lang", "de"],
      ["verify", valid, "--rpc", "http://127.0.0.1:9", "--registry", fx.registry],
      ["verify", valid, "--rpc", "not a url"],
      ["verify", valid, "--rpc", fx.rpcUrl],
      ["verify"],
      ["frobnicate"],
      [],
    ];
    for (const args of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).to.equal(2);
      expect(result.stderr + result.stdout, args.join(" ")).to.not.equal("");
    }
    const damaged = await run(["verify", "https://intyg.example.se/verify#c1.@@@", ...chain]);
    expect(damaged.code).to.equal(2);
    expect(damaged.stderr).to.match(/Delningslänken/);
  });

  it("verifies a presentation with --challenge and --domain, and fails a replayed one", async () => {
    const holder = account(3);
    const credential = await fx.issue({ subject: { id: holderDid(31337, holder.address), name: "Anna" } });
    const presentation = await createPresentation({
      credential,
      account: holder,
      challenge: "c-123",
      domain: "hr.example.se",
    });
    const file = path.join(dir, "presentation.json");
    writeFileSync(file, JSON.stringify(presentation));
    const ok = await run([
      "verify",
      file,
      ...chain,
      "--challenge",
      "c-123",
      "--domain",
      "hr.example.se",
      "--json",
    ]);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(JSON.parse(ok.stdout).kind).to.equal("presentation");
    const replay = await run(["verify", file, ...chain, "--challenge", "c-456", "--domain", "hr.example.se"]);
    expect(replay.code).to.equal(1);
    expect(replay.stdout).to.match(/✖ Innehavare/);
  });

  it("has --help on every command", async () => {
    for (const args of [["--help"], ["verify", "--help"], ["snapshot", "--help"], ["help", "verify"]]) {
      const result = await run(args);
      expect(result.code, args.join(" ")).to.equal(0);
      expect(result.stdout).to.match(/Usage: intyg/);
    }
  });

  it("records a snapshot and verifies offline with --snapshot", async () => {
    const file = path.join(dir, "snapshot.json");
    const recorded = await run(["snapshot", "--out", file, ...chain]);
    expect(recorded.code, recorded.stderr).to.equal(0);
    const result = await run(["verify", valid, "--snapshot", file, "--json", "--lang", "en"]);
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout);
    expect(report.chain.source).to.equal("snapshot");
    expect(report.chain.note).to.match(/^Offline verification/);
    const broken = path.join(dir, "broken-snapshot.json");
    writeFileSync(broken, "{}");
    expect((await run(["verify", valid, "--snapshot", broken])).code).to.equal(2);
  });

  it("takes the chain from INTYG_RPC_URL / INTYG_REGISTRY and from .intyg/dev.json", async () => {
    const env = await run(["verify", valid], {
      env: { INTYG_RPC_URL: fx.rpcUrl, INTYG_REGISTRY: fx.registry },
    });
    expect(env.code).to.equal(0);
    const project = mkdtempSync(path.join(tmpdir(), "intyg-dev-"));
    (await import("node:fs")).mkdirSync(path.join(project, ".intyg"));
    writeFileSync(
      path.join(project, ".intyg", "dev.json"),
      JSON.stringify({ rpcUrl: fx.rpcUrl, registry: fx.registry }),
    );
    const dev = await run(["verify", valid], { cwd: project });
    expect(dev.code).to.equal(0);
  });
});
