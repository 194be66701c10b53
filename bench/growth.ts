// How batches grow: for 1 … 100,000 credentials of one event, the time to put them in a batch with
// @intyg/credential's `buildBatch` (the Merkle tree, every leaf's proof and every credential's anchor section),
// the proof size, the memory it takes, and the gas of anchoring that batch, measured by sending `anchorBatch`
// for its root to a real `hardhat node`. Baseline of the same run: the raw rate of the keccak256 the format uses
// (js-sha3) over 64-byte inputs; a batch of n needs about 3n hashes (two per leaf, one per inner node), so 0.33×
// that rate is the ceiling.
//
// Building each credential (salted claims, commitment) costs the same per credential whatever the batch size,
// so it is measured once as its own rate; the batches reuse a pool of real credentials with distinct
// commitment roots, which is all `buildBatch` reads.
//
//   pnpm bench growth        (INTYG_BENCH_QUICK=1 stops at 10,000)

import { randomBytes } from "node:crypto";
import { buildBatch, keccak256, signBatch, type UnsignedCredential } from "@intyg/credential";
import { type Hex, toHex } from "viem";
import { account, createBenchEvent, startBenchChain } from "./chain";
import {
  createReport,
  machine,
  markdownTable,
  quickMode,
  ratePerSecond,
  round,
  since,
  writeResult,
} from "./lib";

const SIZES = quickMode() ? [1, 10, 100, 1_000, 10_000] : [1, 10, 100, 1_000, 10_000, 100_000];
const POOL = 1_000;

type Row = {
  size: number;
  buildBatchMs: number;
  credentialsPerSecond: number;
  proofHashes: number;
  proofBytesPerCredential: number;
  anchorBytesPerCredential: number;
  heapMb: number;
  rssMb: number;
  signMs: number;
  anchorGas: number;
  anchorGasPerCredential: number;
};

function withRoot(doc: UnsignedCredential, root: Hex): UnsignedCredential {
  return { ...doc, commitment: { ...doc.commitment, root } };
}

async function main() {
  const chain = await startBenchChain();
  try {
    const event = await createBenchEvent(chain);

    const input = new Uint8Array(64);
    const keccakPerSecond = await ratePerSecond((n) => {
      input[0] = n & 0xff;
      return keccak256(input);
    }, 1000);
    const buildStart = performance.now();
    const pool = Array.from({ length: POOL }, (_, i) => event.unsigned(i));
    const credentialBuildPerSecond = POOL / ((performance.now() - buildStart) / 1000);
    console.log(
      `baseline: keccak256 ${Math.round(keccakPerSecond)}/s; building a credential: ${Math.round(credentialBuildPerSecond)}/s`,
    );

    const rows: Row[] = [];
    for (const size of SIZES) {
      const docs = Array.from({ length: size }, (_, i) => withRoot(pool[i % POOL]!, toHex(randomBytes(32))));
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const start = performance.now();
      const batch = buildBatch(docs);
      const buildBatchMs = since(start);
      const memory = process.memoryUsage();
      const signStart = performance.now();
      const block = await chain.publicClient.getBlock();
      const signed = await signBatch(batch, { account: account(2), deadline: block.timestamp + 3600n });
      const signMs = since(signStart);
      const anchorGas = await chain.write(2, "anchorBatch", [
        signed.root,
        signed.eventId,
        signed.validUntil,
        signed.size,
      ]);
      let proofHashes = 0;
      let proofBytes = 0;
      let anchorBytes = 0;
      for (const credential of batch.credentials) {
        proofHashes = Math.max(proofHashes, credential.anchor.batch!.proof.length);
        proofBytes += JSON.stringify(credential.anchor.batch!.proof).length;
        anchorBytes += JSON.stringify(credential.anchor).length;
      }
      const row: Row = {
        size,
        buildBatchMs,
        credentialsPerSecond: Math.round(size / (buildBatchMs / 1000)),
        proofHashes,
        proofBytesPerCredential: Math.round(proofBytes / size),
        anchorBytesPerCredential: Math.round(anchorBytes / size),
        heapMb: round((memory.heapUsed - heapBefore) / 2 ** 20, 1),
        rssMb: round(memory.rss / 2 ** 20),
        signMs,
        anchorGas: Number(anchorGas),
        anchorGasPerCredential: round(Number(anchorGas) / size, 2),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }

    const table = markdownTable(
      [
        "batch size",
        "buildBatch (ms)",
        "credentials/s",
        "× keccak rate",
        "proof hashes",
        "proof bytes",
        "anchor section bytes",
        "heap MB",
        "anchor gas",
        "gas / credential",
      ],
      rows.map((r) => [
        r.size,
        r.buildBatchMs,
        r.credentialsPerSecond,
        round(r.credentialsPerSecond / keccakPerSecond, 3),
        r.proofHashes,
        r.proofBytesPerCredential,
        r.anchorBytesPerCredential,
        r.heapMb,
        r.anchorGas,
        r.anchorGasPerCredential,
      ]),
    );
    const report = createReport("Growth");
    report.print(
      `Baseline (same process): keccak256 (js-sha3, as the format uses) ${Math.round(keccakPerSecond)}/s over 64 bytes, a batch needs about 3 per credential; building one credential (salted claims and commitment) ${Math.round(credentialBuildPerSecond)}/s. Gas is the gasUsed of anchorBatch for each batch's root on a hardhat node.`,
    );
    report.print(table);
    const file = writeResult(
      "growth",
      {
        benchmark: "growth",
        machine: machine(),
        baseline: {
          keccak256PerSecond: Math.round(keccakPerSecond),
          credentialBuildPerSecond: Math.round(credentialBuildPerSecond),
        },
        rows,
        summary: {
          gasPerCredential: Object.fromEntries(rows.map((r) => [r.size, r.anchorGasPerCredential])),
          buildBatchMs: Object.fromEntries(rows.map((r) => [r.size, r.buildBatchMs])),
        },
      },
      report.markdown(),
    );
    console.log(`written ${file}`);
  } finally {
    await chain.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
