// `pnpm demo` runs self-contained (its own chain and service) and exits 0 when every verdict is as expected.

import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..", "..", "..");

describe("scripts/demo.ts", function () {
  this.timeout(600_000);

  it("runs the conference scenario self-contained with 50 attendees and exits 0", async () => {
    const env = { ...process.env };
    delete env.INTYG_URL;
    delete env.INTYG_API_KEY;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            require.resolve("tsx/cli", { paths: [ROOT] }),
            "scripts/demo.ts",
            "--attendees",
            "50",
            "--lang",
            "en",
          ],
          { cwd: ROOT, env },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end();
      },
    );
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/50 credentials issued in ONE bulk request/);
    expect(result.stdout).to.match(/50 anchored, 1 batch/);
    expect(result.stdout).to.match(/✖ Not verified: .*revoked/);
    expect(result.stdout).to.match(/hidden claims: 3/);
    expect(result.stdout).to.match(/Timings/);
    expect(result.stdout.trim().split("\n").pop()).to.equal("Done: every verdict was as expected.");
    expect(result.stderr).to.match(/Issued: 50\/50 \(100 %\)/);
  });
});
