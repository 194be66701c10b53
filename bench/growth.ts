// How batches grow: for 1 … 100,000 credentials, the time to build the Merkle tree and every proof,
// the proof size, the memory it takes and the anchoring gas per credential (from bench/results/gas.json).
// Baseline of the same run: raw keccak256 rate of this process over 64-byte inputs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toHex } from "viem";

const SIZES = [1, 10, 100, 1_000, 10_000, 100_000];

function keccakRate(): number {
  const input = new Uint8Array(64);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 500) {
    input[0] = n & 0xff;
    keccak256(input);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

function main() {
  const resultsDir = path.join(__dirname, "results");
  let anchorGas = 0;
  try {
    anchorGas = JSON.parse(readFileSync(path.join(resultsDir, "gas.json"), "utf8")).anchorBatch_1000;
  } catch {}
  const baseline = keccakRate();
  const rows = [];
  for (const size of SIZES) {
    const leaves: [string][] = [];
    for (let i = 0; i < size; i++) leaves.push([toHex(BigInt(i + 1) * 0x9e3779b97f4a7c15n, { size: 32 })]);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    const tree = StandardMerkleTree.of(leaves, ["bytes32"]);
    let proofBytes = 0;
    for (let i = 0; i < size; i++) proofBytes += tree.getProof(i).length * 32;
    const ms = performance.now() - start;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    rows.push({
      size,
      buildAndProveMs: Math.round(ms * 10) / 10,
      credentialsPerSecond: Math.round(size / (ms / 1000)),
      proofBytesPerCredential: Math.round(proofBytes / size),
      heapMb: Math.round(heapMb * 10) / 10,
      anchorGasPerCredential: anchorGas ? Math.round((anchorGas / size) * 100) / 100 : null,
    });
  }
  const result = {
    benchmark: "growth",
    machine: { cpus: require("node:os").cpus().length, node: process.version },
    baseline: { keccak256PerSecond: Math.round(baseline) },
    rows,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, "growth.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`keccak256 baseline: ${Math.round(baseline)} hashes/s`);
  console.log(
    "| batch size | build + all proofs (ms) | credentials/s | proof bytes | heap MB | anchor gas / credential |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.size} | ${r.buildAndProveMs} | ${r.credentialsPerSecond} | ${r.proofBytesPerCredential} | ${r.heapMb} | ${r.anchorGasPerCredential ?? "-"} |`,
    );
  }
}

main();
