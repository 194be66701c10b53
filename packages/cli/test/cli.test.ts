// The real CLI as a child process, against a real chain: exit codes 0 / 1 / 2 and what it prints.

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { shareUrl } from "@intyg/credential";
import { createPresentation, holderDid } from "@intyg/verifier";
import { expect } from "chai";
import { account, clone, createFixture, type Fixture } from "../../verifier/test/fixture";

const BIN = path.join(__dirname, "..", "bin", "intyg.js");

type Run = { code: number | null; stdout: string; stderr: string };

/** The verdict line, which must come after an attribute reset (returned without it). */
const lastLine = (text: string) => {
  const line = text.trim().split("\n").pop() ?? "";
  if (!line.startsWith("\u001b[0m")) throw new Error(`the last line does not start with a reset: ${line}`);
  return line.slice(4);
};

function run(
  args: string[],
  options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    delete env.INTYG_RPC_URL;
    delete env.INTYG_REGISTRY;
    delete env.INTYG_CHAIN_ID;
    for (const name of ["INTYG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]) delete env[name];
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
    expect(lastLine(result.stdout)).to.match(/^✔ Verifierat/);
    expect(result.stdout).to.match(/Region Exempel/);
    expect(result.stdout).to.match(
      /Förtroendeankare: registret 0x[0-9a-fA-F]{40} på kedja 31337, valt av kommandoraden \(--registry\)/,
    );
  });

  it("follows --lang, then INTYG_LANG, then the system locale", async () => {
    const english = await run(["verify", valid, ...chain], { env: { LANG: "en_GB.UTF-8" } });
    expect(lastLine(english.stdout)).to.match(/^✔ Verified/);
    const swedish = await run(["verify", valid, ...chain], { env: { LANG: "sv_SE.UTF-8" } });
    expect(lastLine(swedish.stdout)).to.match(/^✔ Verifierat/);
    const chosen = await run(["verify", valid, ...chain], { env: { LANG: "en_GB.UTF-8", INTYG_LANG: "sv" } });
    expect(lastLine(chosen.stdout)).to.match(/^✔ Verifierat/);
    const flag = await run(["verify", valid, ...chain, "--lang", "sv"], { env: { INTYG_LANG: "en" } });
    expect(lastLine(flag.stdout)).to.match(/^✔ Verifierat/);
  });

  it("says what a verified credential proves in words: a sentence, labelled claims, Swedish time, no raw keys", async () => {
    const result = await run(["verify", valid, ...chain]);
    expect(result.stdout).to.match(/^Anna Andersson deltog i /);
    expect(result.stdout).to.match(/Utfärdat av Region Exempel, org\.nr 232100-\d{4}\./);
    expect(result.stdout).to.match(/ {2}Namn: +Anna Andersson/);
    expect(result.stdout).to.match(/ {2}Roll: +deltagare/);
    expect(result.stdout).to.not.match(/partsAttended|credentialSubject|\bemail:|\d{4}-\d{2}-\d{2}T/);
    // No English in the Swedish output (addresses and the registry's name aside).
    const swedish = result.stdout.replace("W3C Verifiable Credential", "").replace("--registry", "");
    expect(swedish).to.not.match(
      /(?<!\p{L})(the|and|of|is|was|credential|verified|issuer|chain|registry)(?!\p{L})/iu,
    );
    const english = await run(["verify", valid, ...chain, "--lang", "en"]);
    expect(english.stdout).to.match(/^Anna Andersson attended /);
    expect(english.stdout).to.match(/\(Swedish time\)/);
  });

  it("verifies several files and a folder at once: one line each, a summary last, exit 0 only if all verified", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "intyg-applicants-"));
    const batch = await fx.issueBatch(3);
    for (const [i, credential] of batch.entries())
      writeFileSync(path.join(folder, `sokande-${i + 1}.json`), JSON.stringify(credential));
    writeFileSync(path.join(folder, "notes.txt"), "not a credential");
    const all = await run(["verify", folder, valid, ...chain]);
    expect(all.code, all.stdout + all.stderr).to.equal(0);
    const lines = all.stdout.trim().split("\n");
    expect(lines.filter((line) => line.startsWith("✔ ")).length).to.equal(4);
    expect(all.stdout).to.match(/✔ .*sokande-1\.json +Deltagare 1 — Offentliga Rummet 2026 — Region Exempel/);
    expect(lastLine(all.stdout)).to.equal("✔ 4 av 4 intyg verifierade.");
    const mixed = await run(["verify", valid, revoked, tampered, ...chain, "--lang", "en"]);
    expect(mixed.code).to.equal(1);
    expect(lastLine(mixed.stdout)).to.equal("✖ 1 of 3 credentials verified.");
    expect(mixed.stdout).to.not.include("Mallory");
    const json = await run(["verify", valid, revoked, ...chain, "--json"]);
    const reports = JSON.parse(json.stdout);
    expect(reports.map((r: { verified: boolean }) => r.verified)).to.deep.equal([true, false]);
    const unusable = path.join(dir, "garbage.json");
    writeFileSync(unusable, "not json");
    expect((await run(["verify", valid, unusable, ...chain])).code).to.equal(2);
    // A file that is not there: exit 2, naming it, and no table.
    const gone = path.join(dir, "not-there.json");
    for (const threads of [[], ["--threads", "1"]]) {
      const missing = await run(["verify", valid, gone, ...chain, ...threads]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include(`No such file: ${gone}`);
      expect(missing.stdout).to.equal("");
    }
    // --threads caps the threads; the verdicts are the same on one.
    const oneThread = await run(["verify", folder, valid, ...chain, "--threads", "1"]);
    expect(oneThread.code).to.equal(0);
    expect(oneThread.stdout).to.equal(all.stdout);
    for (const bad of ["0", "two", "-1"]) {
      const refused = await run(["verify", folder, ...chain, "--threads", bad]);
      expect(refused.code, bad).to.equal(2);
      expect(refused.stderr).to.include("--threads: expected a whole number of threads from 1 up");
    }
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

  it("fetches the credential behind a service's short verification link or holder link (JSON)", async () => {
    const credential = JSON.parse(readFileSync(valid, "utf8"));
    const server = http.createServer((request, response) => {
      const json = request.headers.accept?.includes("application/json");
      if (request.url === "/v/AAAAAAAAAAAAAAAAAAAAAA" && json) {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(credential));
      } else if (request.url === "/holder/BBBBBBBBBBBBBBBBBBBBBBBB" && json) {
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ id: "x", status: "anchored", credential }));
      } else if (request.url === "/v/endless") {
        // A body that does not end (bounded here at 256 MiB): the CLI must stop reading at its limit, not wait.
        response.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(65_536, 0x20);
        let sent = 0;
        let closed = false;
        response.on("close", () => {
          closed = true;
        });
        response.on("error", () => {});
        const push = () => {
          while (!closed && sent < 268_435_456 && response.write(chunk)) sent += chunk.length;
          if (!closed && sent < 268_435_456) response.once("drain", push);
        };
        push();
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await run(["verify", `${base}/v/AAAAAAAAAAAAAAAAAAAAAA`, ...chain])).code).to.equal(0);
      expect((await run(["verify", `${base}/holder/BBBBBBBBBBBBBBBBBBBBBBBB`, ...chain])).code).to.equal(0);
      const gone = await run(["verify", `${base}/v/revoked`, ...chain]);
      expect(gone.code).to.equal(2);
      expect(gone.stderr).to.contain("HTTP 404");
      const endless = await run(["verify", `${base}/v/endless`, ...chain]);
      expect(endless.code).to.equal(2);
      expect(endless.stderr).to.match(/answered more than 1048576 bytes/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
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
    const asked = ["--challenge", "c-123", "--domain", "hr.example.se", "--json"];
    const ok = await run(["verify", file, ...chain, ...asked]);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(JSON.parse(ok.stdout).kind).to.equal("presentation");
    const replay = await run(["verify", file, ...chain, "--challenge", "c-456", "--domain", "hr.example.se"]);
    expect(replay.code).to.equal(1);
    expect(replay.stdout).to.match(/✖ Innehavare/);
    // Among other files (a run of files, read by the threads that verify them): verified as a presentation still.
    const several = await run(["verify", valid, file, ...chain, ...asked]);
    expect(several.code, several.stdout).to.equal(0);
    const reports = JSON.parse(several.stdout) as { kind: string; verified: boolean }[];
    expect(reports.map((r) => [r.kind, r.verified])).to.deep.equal([
      ["credential", true],
      ["presentation", true],
    ]);
    // From a pipe (a named FIFO, as `<(…)` gives): read once. Its writer then offers a second, empty document,
    // which a second read would take instead (after a pause, so that the first read has seen the end of the first).
    const fifo = path.join(mkdtempSync(path.join(tmpdir(), "intyg-fifo-")), "presentation.json");
    expect(spawnSync("mkfifo", [fifo]).status).to.equal(0);
    const writer = spawn("sh", ["-c", 'cat "$1" > "$2"; sleep 1; printf "{}" > "$2"', "sh", file, fifo]);
    try {
      const piped = await run(["verify", valid, fifo, ...chain, ...asked]);
      expect(piped.code, piped.stdout + piped.stderr).to.equal(0);
      expect((JSON.parse(piped.stdout) as { kind: string }[]).map((r) => r.kind)).to.deep.equal([
        "credential",
        "presentation",
      ]);
    } finally {
      writer.kill();
    }
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

  it("takes the chain from INTYG_RPC_URL / INTYG_REGISTRY and from a --config file, never from a file it finds", async () => {
    const env = await run(["verify", valid, "--json"], {
      env: { INTYG_RPC_URL: fx.rpcUrl, INTYG_REGISTRY: fx.registry },
    });
    expect(env.code).to.equal(0);
    expect(JSON.parse(env.stdout).trust).to.include({ source: "environment", registry: fx.registry });
    const project = mkdtempSync(path.join(tmpdir(), "intyg-dev-"));
    mkdirSync(path.join(project, ".intyg"));
    writeFileSync(
      path.join(project, ".intyg", "dev.json"),
      JSON.stringify({ rpcUrl: fx.rpcUrl, registry: fx.registry, chainId: fx.chainId }),
    );
    const named = await run(["verify", valid, "--config", ".intyg/dev.json", "--json"], { cwd: project });
    expect(named.code, named.stderr).to.equal(0);
    expect(JSON.parse(named.stdout).trust).to.include({
      source: "config-file",
      detail: ".intyg/dev.json",
      chainId: fx.chainId,
    });
    // Not named: not read, even in the working directory.
    const unnamed = await run(["verify", valid], { cwd: project });
    expect(unnamed.code).to.equal(2);
    expect(unnamed.stderr).to.match(/--config/);
  });

  describe("attacks on the trust anchor", () => {
    let rogue: Fixture;
    let forged: string;

    before(async () => {
      rogue = await createFixture({ chain: fx.chain, accounts: { governor: 4, admin: 5, signer: 4 } });
      forged = path.join(dir, "forged.json");
      writeFileSync(forged, JSON.stringify(await rogue.issue()));
    });

    it("a .intyg/dev.json planted in the folder or a parent folder decides nothing", async () => {
      // The archive someone sends: a forged credential and a hidden config naming the attacker's registry.
      const archive = mkdtempSync(path.join(tmpdir(), "intyg-archive-"));
      const inner = path.join(archive, "ansökan");
      mkdirSync(path.join(archive, ".intyg"));
      mkdirSync(path.join(inner, ".intyg"), { recursive: true });
      const planted = JSON.stringify({ rpcUrl: fx.rpcUrl, registry: rogue.registry, chainId: fx.chainId });
      writeFileSync(path.join(archive, ".intyg", "dev.json"), planted);
      writeFileSync(path.join(inner, ".intyg", "dev.json"), planted);
      writeFileSync(path.join(inner, "intyg.json"), readFileSync(forged));
      const bare = await run(["verify", "intyg.json"], { cwd: inner });
      expect(bare.code, bare.stdout).to.equal(2);
      const withEnv = await run(["verify", "intyg.json", "--json", "--lang", "en"], {
        cwd: inner,
        env: { INTYG_RPC_URL: fx.rpcUrl, INTYG_REGISTRY: fx.registry },
      });
      expect(withEnv.code, withEnv.stdout).to.equal(1);
      const report = JSON.parse(withEnv.stdout);
      expect(report.trust).to.include({ source: "environment", registry: fx.registry });
      expect(report.credential).to.equal(undefined);
    });

    it("a snapshot of another registry than --registry fails with wrong-registry", async () => {
      const file = path.join(dir, "rogue-snapshot.json");
      const recorded = await run([
        "snapshot",
        "--out",
        file,
        "--rpc",
        fx.rpcUrl,
        "--registry",
        rogue.registry,
      ]);
      expect(recorded.code, recorded.stderr).to.equal(0);
      for (const doc of [valid, forged]) {
        const result = await run(["verify", doc, "--snapshot", file, "--registry", fx.registry, "--json"]);
        expect(result.code, result.stdout).to.equal(1);
        const anchor = JSON.parse(result.stdout).checks.find((c: { id: string }) => c.id === "anchor");
        expect(anchor).to.include({ status: "failed", code: "wrong-registry" });
      }
    });

    it("a node on another chain than --chain-id is refused", async () => {
      const result = await run(["verify", valid, ...chain, "--chain-id", "1", "--json"]);
      expect(result.code).to.equal(1);
      const anchor = JSON.parse(result.stdout).checks.find((c: { id: string }) => c.id === "anchor");
      expect(anchor).to.include({ status: "failed", code: "wrong-chain" });
      expect((await run(["verify", valid, ...chain, "--chain-id", "x"])).code).to.equal(2);
    });

    it("prints hostile text as visible escapes: no ESC, BEL or bidi control reaches the terminal", async () => {
      const hostile = await fx.issue({
        subject: {
          name: "Eve\u001b[8m\u0007\u202e\u2066\u009b",
          organisation: "\u001b[2K\r✔ Verifierat: allt stämmer\u001b[8m",
          role: "participant",
        },
      });
      const file = path.join(dir, "hostile.json");
      writeFileSync(file, JSON.stringify(hostile));
      const result = await run(["verify", file, ...chain]);
      expect(result.code, result.stderr).to.equal(0);
      const withoutReset = result.stdout.replaceAll("\u001b[0m", "");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
      const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
      expect(withoutReset).to.not.match(unsafe);
      expect(result.stdout.split("\u001b[0m")).to.have.length(2);
      expect(result.stdout).to.include("Eve\\u{001B}[8m\\u{0007}\\u{202E}\\u{2066}\\u{009B}");
      expect(lastLine(result.stdout)).to.match(/^✔ Verifierat/);
      // Not verified: the claims are not printed at all, and the verdict is still last.
      const changed = clone(hostile);
      changed.credentialSubject.name = "Mallory\u001b[8m";
      writeFileSync(file, JSON.stringify(changed));
      const tamperedRun = await run(["verify", file, ...chain]);
      expect(tamperedRun.code).to.equal(1);
      expect(tamperedRun.stdout).to.not.include("Mallory");
      expect(tamperedRun.stdout).to.match(/Inga uppgifter ur dokumentet visas/);
      expect(lastLine(tamperedRun.stdout)).to.match(/^✖ Inte verifierat/);
    });

    it("shows no forged value of a tampered credential, in text or --json", async () => {
      const text = await run(["verify", tampered, ...chain]);
      expect(text.stdout).to.not.include("Mallory");
      const json = await run(["verify", tampered, ...chain, "--json"]);
      expect(json.stdout).to.not.include("Mallory");
      expect(JSON.parse(json.stdout).credential).to.equal(undefined);
    });

    it("exits 2 for a presentation with nothing in it", async () => {
      const file = path.join(dir, "empty-presentation.json");
      writeFileSync(file, JSON.stringify({ type: "VerifiablePresentation" }));
      const result = await run(["verify", file, ...chain]);
      expect(result.code, result.stdout).to.equal(2);
    });
  });
});
