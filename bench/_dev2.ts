import { buildBatch, signBatch } from "../packages/credential/src";
import { recordSnapshot, verifyCredentials } from "../packages/verifier/src";
import { account, createBenchEvent, startBenchChain } from "./chain";
import { profiled } from "./lib";
import { openAttestationBatch, verifyOpenAttestation } from "./peers";

async function main() {
  const chain = await startBenchChain();
  try {
    const ev = await createBenchEvent(chain);
    const signed = await signBatch(buildBatch(Array.from({ length: 1000 }, (_, i) => ev.unsigned(i))), {
      account: account(2),
      deadline: (await chain.publicClient.getBlock()).timestamp + 3600n,
    });
    await chain.write(2, "anchorBatch", [signed.root, signed.eventId, signed.validUntil, signed.size]);
    const texts = signed.credentials.map((c) => JSON.stringify(c));
    const snapshot = await recordSnapshot({ rpcUrl: chain.rpcUrl, registry: chain.registry });
    const oa = openAttestationBatch(1000, chain.registry);
    for (let r = 0; r < 3; r++) {
      let t = performance.now();
      const reports = await verifyCredentials(texts, { snapshot, registry: chain.registry });
      const a = performance.now() - t;
      if (!reports.every((x) => x.verified)) throw new Error("not verified");
      t = performance.now();
      verifyOpenAttestation(oa);
      const b = performance.now() - t;
      console.log(`intyg ${a.toFixed(0)} oa ${b.toFixed(0)} ratio ${(b / a).toFixed(2)}`);
    }
    if (process.env.PROF)
      await profiled("snap", () => verifyCredentials(texts, { snapshot, registry: chain.registry }));
  } finally {
    await chain.stop();
  }
}
main();
