import {
  buildAttendanceCredential,
  buildBatch,
  luhnCheckDigit,
  signBatch,
  signCredential,
} from "../packages/credential/src";
import { resolveOptions } from "../packages/verifier/src/options";
import { prepareInput } from "../packages/verifier/src/verify";
import { account, attendeeSubject, CONFERENCE, PROFILE } from "./chain";
import { profiled } from "./lib";

const registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const chainId = 31337;
const eventId = (1n << 32n) | 1n;
const unsigned = (i: number) =>
  buildAttendanceCredential({
    chainId,
    registry,
    eventId,
    issuer: { organisationId: 1, ...PROFILE },
    subject: attendeeSubject(i),
    event: CONFERENCE,
  });
async function main() {
  const n = Number(process.argv[2] ?? 1000);
  const signed = await signBatch(buildBatch(Array.from({ length: n }, (_, i) => unsigned(i))), {
    account: account(2),
    deadline: 2000000000n,
  });
  const texts = signed.credentials.map((c) => JSON.stringify(c));
  console.log(
    "bytes",
    texts[0]!.length,
    "claims",
    Object.keys(signed.credentials[0]!.commitment.claims).length,
  );
  const singles = [];
  for (let i = 0; i < 200; i++)
    singles.push(
      JSON.stringify(await signCredential(unsigned(i), { account: account(2), deadline: 2000000000n })),
    );
  if (process.env.PROF) {
    await profiled("batch", async () => {
      for (let r = 0; r < 4; r++) {
        const resolved = resolveOptions({});
        for (const s of texts) await prepareInput(s, resolved);
      }
    });
    await profiled("singles", async () => {
      for (const s of singles) await prepareInput(s, resolveOptions({}));
    });
    return;
  }
  for (let round = 0; round < 5; round++) {
    const resolved = resolveOptions({});
    let t = performance.now();
    for (const s of texts) {
      const p = await prepareInput(s, resolved);
      if (!p.target) throw new Error(JSON.stringify(p.checks.list()));
    }
    const batchMs = performance.now() - t;
    t = performance.now();
    for (const s of singles) {
      const p = await prepareInput(s, resolveOptions({}));
      if (!p.target) throw new Error("x");
    }
    const singleMs = performance.now() - t;
    console.log(
      `batch ${n}: ${batchMs.toFixed(1)} ms (${Math.round((n / batchMs) * 1000)}/s); singles: ${(singleMs / singles.length).toFixed(3)} ms each`,
    );
  }
}
main();
