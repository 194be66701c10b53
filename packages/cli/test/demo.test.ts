// `pnpm demo` runs self-contained (its own chain and service) and exits 0 when every verdict is as expected.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalStack } from "@intyg/stack";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..", "..", "..");

type Run = { code: number | null; stdout: string; stderr: string };

function demo(args: string[], cwd = ROOT): Promise<Run> {
  const env = { ...process.env };
  delete env.INTYG_URL;
  delete env.INTYG_API_KEY;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve("tsx/cli", { paths: [ROOT] }), path.join(ROOT, "scripts", "demo.ts"), ...args],
      { cwd, env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe("scripts/demo.ts", function () {
  this.timeout(600_000);

  it("runs the conference scenario self-contained with 50 attendees and exits 0", async () => {
    const result = await demo(["--attendees", "50", "--lang", "en"]);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/50 credentials issued in ONE bulk request/);
    expect(result.stdout).to.match(/50 anchored, 1 batch/);
    expect(result.stdout).to.match(/✖ Not verified: .*revoked/);
    expect(result.stdout).to.match(/hidden claims: 3/);
    expect(result.stdout).to.match(/Timings/);
    expect(result.stdout.trim().split("\n").pop()).to.equal("Done: every verdict was as expected.");
    expect(result.stderr).to.match(/Issued: 50\/50 \(100 %\)/);
  });

  it("uses the service of .intyg/dev.json with --against-running when it answers", async () => {
    const stack = await startLocalStack();
    try {
      const project = mkdtempSync(path.join(tmpdir(), "intyg-running-"));
      mkdirSync(path.join(project, ".intyg"));
      writeFileSync(
        path.join(project, ".intyg", "dev.json"),
        JSON.stringify({
          serviceUrl: stack.serviceUrl,
          rpcUrl: stack.rpcUrl,
          chainId: stack.chainId,
          registry: stack.registry,
          apiKey: stack.apiKey,
        }),
      );
      const result = await demo(["--attendees", "20", "--against-running", "--lang", "en"], project);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(result.stdout).to.include(`using ${stack.serviceUrl}`);
      expect(result.stdout).to.match(/20 anchored, 1 batch/);
    } finally {
      await stack.stop();
    }
  });
});
