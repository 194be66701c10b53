// --help on every command (exit 0), and usage errors (exit 2 with a message) — no service needed.

import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { intyg } from "./helpers/run";

const COMMANDS = [
  ["verify"],
  ["snapshot"],
  ["login"],
  ["logout"],
  ["events"],
  ["events", "create"],
  ["events", "list"],
  ["events", "show"],
  ["courses"],
  ["courses", "create"],
  ["issue"],
  ["status"],
  ["revoke"],
  ["reissue"],
  ["erase"],
  ["export"],
  ["api-keys"],
  ["api-keys", "list"],
  ["api-keys", "create"],
  ["api-keys", "revoke"],
];

const ID = "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f";

describe("intyg --help and usage errors", () => {
  let cwd: string;
  let env: Record<string, string>;
  before(() => {
    cwd = mkdtempSync(path.join(tmpdir(), "intyg-help-"));
    // Logged in to a service that is not there: a usage error must come before any request.
    env = { HOME: cwd, INTYG_URL: "http://127.0.0.1:9", INTYG_API_KEY: "k".repeat(40) };
  });

  it("prints help for every command and subcommand and exits 0", async () => {
    for (const command of COMMANDS) {
      const result = await intyg([...command, "--help"], { cwd, env });
      expect(result.code, command.join(" ")).to.equal(0);
      expect(result.stdout, command.join(" ")).to.include(`Usage: intyg ${command.join(" ")}`);
    }
    const root = await intyg(["--help"], { cwd, env });
    expect(root.code).to.equal(0);
    for (const name of ["login", "logout", "events", "courses", "issue", "status", "revoke", "export"]) {
      expect(root.stdout).to.match(new RegExp(`\\n  ${name} `));
    }
    expect((await intyg(["help", "issue"], { cwd, env })).code).to.equal(0);
    const issue = await intyg(["issue", "--help"], { cwd, env });
    expect(issue.stdout).to.match(/rad 7: e-postadressen saknar @/);
    expect(issue.stdout).to.match(/personnummer/);
    expect((await intyg(["revoke", "--help"], { cwd, env })).stdout).to.match(/issuedInError/);
  });

  it("exits 2 with a message on usage errors, before sending anything", async () => {
    const cases: string[][] = [
      ["events"],
      ["events", "frobnicate"],
      ["events", "create", "--start", "2026-05-12"],
      ["events", "create", "--name", "X", "--start", "12/5/2026"],
      ["events", "create", "--name", "X", "--start", "2026-05-14", "--end", "2026-05-12"],
      ["events", "create", "--name", "X", "--start", "2026-05-12", "--part", "dinner"],
      [
        "events",
        "create",
        "--name",
        "X",
        "--start",
        "2026-05-12",
        "--part",
        "a|session|A",
        "--part",
        "a|session|B",
      ],
      ["events", "create", "--name", "X", "--start", "2026-05-12", "--parent", "not-an-id"],
      ["events", "list", "--kind", "party"],
      ["events", "show", "42"],
      ["courses", "create", "--name", "X", "--hours", "many"],
      ["courses", "create", "--name", "X", "--skill", "Y=http://data.europa.eu/esco/skill/nope"],
      ["issue", ID],
      ["issue", "not-an-id", "--csv", "x.csv"],
      ["issue", ID, "--csv", "missing.csv"],
      ["issue", ID, "--csv", "x.csv", "--idempotency-key", "has space"],
      ["issue", ID, "--csv", "x.csv", "--lang", "de"],
      ["revoke", ID],
      ["revoke", ID, "--reason", "because"],
      ["status"],
      ["export", ID, "--format", "xml"],
      ["login", "--url", "ftp://intyg.example.se", "--api-key", "k"],
      ["login", "--url", "http://intyg.example.se", "--api-key", "k"],
      ["issue", ID, "--csv", "x.csv", "--unknown-flag"],
    ];
    for (const args of cases) {
      const result = await intyg(args, { cwd, env });
      expect(result.code, args.join(" ")).to.equal(2);
      expect(result.stderr, args.join(" ")).to.not.equal("");
    }
  });

  it("behaves the same as a real process (bin/intyg.js)", async () => {
    const bin = path.join(__dirname, "..", "bin", "intyg.js");
    const spawnRun = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end();
      });
    const help = await spawnRun(["events", "create", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/Usage: intyg events create/);
    const usage = await spawnRun(["revoke", ID, "--reason", "because"]);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.match(/Allowed choices are issuedInError, superseded, withdrawn/);
  });
});
