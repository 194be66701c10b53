// Gas of every registry operation, each the gasUsed of a real receipt on Hardhat's in-process network.
// Writes bench/results/gas.json and prints a table against the targets of DESIGN.md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { ContractTransactionResponse } from "ethers";
import { ethers } from "hardhat";
import {
  authorise,
  deployRegistry,
  issueRequest,
  randomCommitment,
  signClaim,
  signIssue,
} from "../test/contracts/fixtures";

const TARGETS: Record<string, number> = {
  issueSigned: 58_000,
  issueDirect: 52_000,
  anchorBatch_1: 50_000,
  anchorBatch_1000: 50_000,
  anchorBatch_100000: 50_000,
  revoke: 38_000,
  revokeBatchLeaf: 52_000,
  issueSignedWithToken: 105_000,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

function batchTree(size: number) {
  const leaves: [string][] = [];
  for (let i = 0; i < size; i++) leaves.push([ethers.keccak256(ethers.toBeHex(i + 1, 32))]);
  return StandardMerkleTree.of(leaves, ["bytes32"]);
}

async function main() {
  const f = await deployRegistry();
  const { registry, key, relayer, holder, conference, chainId, address } = f;
  const results: Record<string, number> = {};

  const signed = issueRequest({ eventId: conference });
  results.issueSigned = await gasOf(
    registry.connect(relayer).issueSigned(signed, await signIssue(key, chainId, address, signed)),
  );
  const direct = randomCommitment();
  results.issueDirect = await gasOf(registry.connect(key).issue(direct, conference, 0));
  results.issueDirectWithExpiry = await gasOf(
    registry.connect(key).issue(randomCommitment(), conference, 4_000_000_000n),
  );

  let lastTree: ReturnType<typeof batchTree> | undefined;
  for (const size of [1, 1000, 100_000]) {
    const tree = batchTree(size);
    lastTree = tree;
    results[`anchorBatch_${size}`] = await gasOf(
      registry.connect(key).anchorBatch(tree.root, conference, 0, size),
    );
  }
  const signedBatch = issueRequest({
    eventId: conference,
    batchSize: 1000,
    commitment: batchTree(1000).root as `0x${string}`,
  });
  // The same root as the direct 1,000 batch is already anchored; use a fresh one.
  signedBatch.commitment = randomCommitment();
  results.anchorBatchSigned = await gasOf(
    registry.connect(relayer).issueSigned(signedBatch, await signIssue(key, chainId, address, signedBatch)),
  );

  results.revoke = await gasOf(registry.connect(key).revoke(1, direct, 1));
  const tree = lastTree!;
  const leaf = tree.leafHash(tree.at(4242)!);
  results.revokeBatchLeaf = await gasOf(registry.connect(key).revokeLeaf(1, tree.root, leaf, 1));

  const withToken = issueRequest({ eventId: conference, holder: holder.address as `0x${string}` });
  results.issueSignedWithToken = await gasOf(
    registry.connect(relayer).issueSigned(withToken, await signIssue(key, chainId, address, withToken)),
  );
  const claimLeaf = tree.leafHash(tree.at(777)!) as `0x${string}`;
  const claim = {
    root: tree.root as `0x${string}`,
    leaf: claimLeaf,
    holder: holder.address as `0x${string}`,
    deadline: 2n ** 63n,
  };
  results.claimTokenFromBatch_100000 = await gasOf(
    registry
      .connect(relayer)
      .claimToken(claim, tree.getProof(777), key.address, await signClaim(key, chainId, address, claim)),
  );
  const replacement = randomCommitment();
  await registry.connect(key).issue(replacement, conference, 0);
  const old = randomCommitment();
  await registry.connect(key).issue(old, conference, 0);
  results.supersede = await gasOf(registry.connect(key).supersede(1, old, ethers.ZeroHash, replacement));
  results.createEvent = await gasOf(registry.connect(f.orgAdmin).createEvent(1, 0, 1, ethers.id("x")));
  results.authoriseKey = await gasOf(authorise(registry, f.orgAdmin, 1, ethers.Wallet.createRandom()));

  const outDir = path.join(__dirname, "..", "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "gas.json"), `${JSON.stringify(results, null, 2)}\n`);

  const lines = ["## Gas", "", "| operation | gasUsed | target | within |", "|---|---:|---:|---|"];
  for (const [op, gas] of Object.entries(results)) {
    const target = TARGETS[op];
    lines.push(
      `| ${op} | ${gas} | ${target ?? "-"} | ${target === undefined ? "-" : gas <= target ? "yes" : "NO"} |`,
    );
  }
  console.log(lines.slice(2).join("\n"));
  writeFileSync(path.join(outDir, "gas.md"), `${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
