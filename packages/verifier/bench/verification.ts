// Verification benchmark: 1,000 credentials of one batch and 100 single credentials against a local node, and
// the same 1,000 offline on a snapshot, side by side with this process's raw limit, the public-key recovery rate
// of a typed-data signature. Writes bench/results/verification.json at the repository root.
// Run: pnpm --filter @intyg/verifier bench   (target, README § Throughput: 1,000 credentials in ≤ 2 s)

import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repositoryRoot } from "@intyg/devchain";
import { createPublicClient, http, type PublicClient, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { recordSnapshot, verifyCredentials } from "../src";
import { createFixture } from "../test/fixture";

async function recoveryRate(): Promise<number> {
  const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
  const typedData = {
    domain: { name: "Intyg", version: "1", chainId: 31337 },
    types: { M: [{ name: "n", type: "uint256" }] },
    primaryType: "M" as const,
    message: { n: 1n },
  };
  const signature = await account.signTypedData(typedData);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 1000) {
    await recoverTypedDataAddress({ ...typedData, signature });
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: Math.round(performance.now() - start), value };
}

async function main() {
  const fx = await createFixture();
  try {
    const batch = await fx.issueBatch(1000);
    const singles = [];
    for (let i = 0; i < 100; i++) singles.push(await fx.issue());
    const baseline = await recoveryRate();
    let requests = 0;
    const client = createPublicClient({
      transport: http(fx.rpcUrl, { batch: true, onFetchRequest: () => void requests++ }),
    }) as PublicClient;

    const batched = await timed(() => verifyCredentials(batch, { client, registry: fx.registry }));
    const batchRequests = requests;
    requests = 0;
    const single = await timed(() => verifyCredentials(singles, { client, registry: fx.registry }));
    const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const offline = await timed(() => verifyCredentials(batch, { snapshot }));
    const all = [...batched.value, ...single.value, ...offline.value];
    if (!all.every((report) => report.verified)) throw new Error("a benchmark credential did not verify");

    const result = {
      benchmark: "verification",
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg()[0] },
      target: { credentials: 1000, maxMs: 2000 },
      baseline: {
        typedDataRecoveriesPerSecond: Math.round(baseline),
        msFor1000Recoveries: Math.round(1_000_000 / baseline),
      },
      batch1000: { ms: batched.ms, httpRequests: batchRequests, meetsTarget: batched.ms <= 2000 },
      single100: {
        ms: single.ms,
        httpRequests: requests,
        msPerCredential: Math.round((single.ms / 100) * 10) / 10,
      },
      offlineBatch1000: { ms: offline.ms },
    };
    const dir = path.join(repositoryRoot(), "bench", "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "verification.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await fx.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
