// Gas of every registry operation, each the gasUsed of a real receipt on Hardhat's in-process network.
// Writes bench/results/gas.json and gas.md: a table against the targets, and for the targeted operations a
// breakdown of where the gas goes — the transaction's base cost, its calldata and its logs (computed from the
// transaction and receipt), the storage and precompiles it must touch (fixed by the EVM's prices, listed
// per operation below), and the rest: the contract's own execution.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { artifacts, ethers } from "hardhat";
import { authorise, deployRegistry, issueRequest, signClaim, signIssue } from "../test/contracts/fixtures";

const TARGETS: Record<string, number> = {
  issueSigned: 55_000,
  issueDirect: 49_000,
  anchorBatch_1: 47_800,
  anchorBatch_1000: 47_800,
  anchorBatch_100000: 47_800,
  revoke: 31_000,
  issueSignedWithToken: 100_000,
};

/** The product's standing limits (README § Gas), which every release must keep; TARGETS are the next goals. */
const LIMITS: Record<string, number> = {
  issueSigned: 58_000,
  issueDirect: 52_000,
  anchorBatch_1: 50_000,
  anchorBatch_1000: 50_000,
  anchorBatch_100000: 50_000,
  revoke: 38_000,
  revokeBatchLeaf: 52_000,
  issueSignedWithToken: 105_000,
};

// EVM prices (Cancun): a cold storage read 2,100; a fresh slot written 20,000 on top of its cold read (22,100);
// a slot rewritten 2,900 after its cold read; a cold account 2,600; ecrecover 3,000.
const COLD_READ = 2_100;
const FRESH_SLOT = 22_100;
const REWRITE = 2_900;
const COLD_ACCOUNT = 2_600;
const ECRECOVER = 3_000;

/** What each targeted operation must touch, whatever the code: storage, other accounts, precompiles. */
const FIXED: Record<string, { storage: number; other: number; what: string }> = {
  issueDirect: { storage: COLD_READ + FRESH_SLOT, other: 0, what: "key slot read; the record's fresh slot" },
  issueSigned: {
    storage: COLD_READ + FRESH_SLOT,
    other: ECRECOVER,
    what: "key slot read; the record's fresh slot; ecrecover",
  },
  anchorBatch_1: {
    storage: COLD_READ + FRESH_SLOT,
    other: 0,
    what: "key slot read; the record's fresh slot",
  },
  anchorBatch_1000: { storage: COLD_READ + FRESH_SLOT, other: 0, what: "as anchorBatch_1" },
  anchorBatch_100000: { storage: COLD_READ + FRESH_SLOT, other: 0, what: "as anchorBatch_1" },
  revoke: {
    storage: COLD_READ + REWRITE + COLD_READ,
    other: 0,
    what: "record read and rewritten; key slot read",
  },
  issueSignedWithToken: {
    storage: COLD_READ + FRESH_SLOT + FRESH_SLOT + FRESH_SLOT,
    other: ECRECOVER + COLD_ACCOUNT,
    what: "key read; record, token owner and holder balance fresh; ecrecover; the token contract's account",
  },
};

/** What the breakdown means, and what each remaining unit of gas buys (bench/results/gas.md). */
const EXPLANATION = [
  "The floor is what the operation costs with no contract code at all: the transaction, its calldata, its log and",
  "the storage it must touch. Where a target is below the floor, no code can meet it; where it is above, the",
  "execution column is what the code may spend. Opcode traces (`debug_traceTransaction`) split the execution: in",
  "this contract of about 60 external functions, Solidity's selector dispatch costs 200–250 and its ABI decoder",
  "(validating each typed argument through helper functions, at any optimizer setting) 250–350 before the",
  "function's first line; the rest is the checks, the namespace's two keccaks (about 100), the key slot's keccak,",
  "packing the record and writing the log. Commitments are fixed labels' hashes without zero bytes, so runs repeat",
  "exactly and calldata is at its dearest (a zero byte in a real commitment costs 12 less).",
  "",
  "- **Direct single (≤ 49,000: met) and relayed signed single (≤ 55,000: met).** One cold read of the key's slot",
  "  (the whole authorisation: organisation, window, suspension, index, read as one word and checked without",
  "  branches), one fresh slot (the record, packed by hand) and one log of one topic and two words (the",
  "  commitment and the event id, which names the organisation; 1,262 instead of 1,893). The signed path adds the",
  "  request and the 65-byte signature in calldata (about 1,800), ecrecover (3,000, called directly with",
  "  OpenZeppelin's rules: 65 bytes, low s, v 27 or 28) and the EIP-712 digest over the calldata struct, read once.",
  "- **Revoke (≤ 31,000: met, 3 to spare).** The record is read and rewritten in place (5,000), the caller's key",
  "  slot read (2,100: a key may revoke only what it anchored itself, while valid), and the log names the",
  "  commitment only (1,006: the organisation is `revoke`'s first argument, the reason and time are in the record).",
  "  The record's and key's slots are read in one block with one branch on the hot path; about 510 of the 1,035",
  "  of execution is the dispatcher and the decoding of three typed arguments. Naming the organisation in the log",
  "  again would cost 256 and miss the target.",
  "- **Batch anchoring (≤ 47,800: not met; ≤ 50,000: met).** The floor is 47,446–47,482: 21,000 for the",
  "  transaction, about 1,000 of calldata (a root, and the event id, validity and size as ABI words, mostly zero",
  "  bytes at 4 gas each), 2,100 for the key's slot, 22,100 for the record's fresh slot — the anchor itself — and",
  "  1,262 for the log, which snapshots find records by (it must name the organisation: commitments are unique only",
  "  within one). That leaves 354 for code; the code spends 1,338, of which about 550 is the dispatcher and ABI",
  "  decoder before the function starts. What would close the remaining 984, and what it would cost: packing",
  "  event id, validity and size into one calldata word (about −250, an untyped ABI), a log without the event id",
  "  (−256, snapshots could no longer tell the namespace), and a separate records contract with few functions",
  "  (about −150 of dispatch, but its key check would then need either a call to the organisations contract,",
  "  +2,700, or a mirrored key slot kept in step by calls). Together still about 48,100. OpenAttestation's 47,858",
  "  has one namespace, one 36-byte argument and a log of the commitment alone.",
  "- **Signed issuance with a soulbound token (≤ 100,000: not met; the earlier ≤ 105,000: 502 over).** Three fresh",
  "  slots (the record, the token's owner and the holder's balance: 66,300), the token contract's cold account",
  "  (2,600: the token is its own contract so that the registry keeps 2 KB under EIP-170; ERC-721 does not fit",
  "  beside it), ecrecover, and three logs (CredentialAnchored 1,262, ERC-721 Transfer with four topics 1,875,",
  "  ERC-5192 Locked 1,006) — a floor of 102,079, above 100,000 before any code runs. The registry calls the token",
  "  directly (no code-size check, no ABI encoder) and the token writes owner and balance as whole words (about",
  "  660 of execution there, 360 of it its own dispatcher and decoder). Not emitting `Locked` on mint (ERC-5192",
  '  recommends it, "should") would save 1,006 and meet 105,000; it is kept so that wallets and indexers see the',
  "  lock as the standard asks.",
  "",
  "Against the first registry (one namespace), each operation pays about 100 for the namespace (the organisation",
  "in the mapping key: a second keccak). Optimizer runs (2,000, 20,000, 1,000,000) and via-IR were measured on",
  "the lean hot paths: runs change these figures by less than 200 (1,000,000 runs would leave the registry 189",
  "bytes under EIP-170); via-IR made direct issuance and batch anchoring about 1,050 dearer while saving 200–370",
  "on revoke and the signed path, so the registry stays on the legacy pipeline at 2,000 runs.",
];

type Breakdown = { calldata: number; logs: number };
const breakdowns: Record<string, Breakdown> = {};

function calldataGas(data: string): number {
  let gas = 0;
  for (const byte of ethers.getBytes(data)) gas += byte === 0 ? 4 : 16;
  return gas;
}

function logGas(receipt: ContractTransactionReceipt): number {
  return receipt.logs.reduce(
    (sum, log) => sum + 375 + 375 * log.topics.length + 8 * ethers.getBytes(log.data).length,
    0,
  );
}

/** The gas of one operation, keeping its calldata and log gas for the breakdown. */
async function gasOf(name: string, tx: Promise<ContractTransactionResponse>): Promise<number> {
  const sent = await tx;
  const receipt = (await sent.wait())!;
  breakdowns[name] = { calldata: calldataGas(sent.data), logs: logGas(receipt) };
  return Number(receipt.gasUsed);
}

/**
 * A fixed commitment per operation (keccak256 of a label), so that every run sends the same calldata and reports
 * the same gas. Random commitments would move calldata gas by 12 for each zero byte they happen to have.
 */
function commitment(label: string): `0x${string}` {
  return ethers.id(`intyg-bench/${label}`) as `0x${string}`;
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

  const signed = issueRequest({ eventId: conference, commitment: commitment("issueSigned") });
  results.issueSigned = await gasOf(
    "issueSigned",
    registry.connect(relayer).issueSigned(signed, await signIssue(key, chainId, address, signed)),
  );
  const direct = commitment("issueDirect");
  results.issueDirect = await gasOf("issueDirect", registry.connect(key).issue(direct, conference, 0));
  results.issueDirectWithExpiry = await gasOf(
    "issueDirectWithExpiry",
    registry.connect(key).issue(commitment("issueDirectWithExpiry"), conference, 4_000_000_000n),
  );

  let lastTree: ReturnType<typeof batchTree> | undefined;
  for (const size of [1, 1000, 100_000]) {
    const tree = batchTree(size);
    lastTree = tree;
    results[`anchorBatch_${size}`] = await gasOf(
      `anchorBatch_${size}`,
      registry.connect(key).anchorBatch(tree.root, conference, 0, size),
    );
  }
  const signedBatch = issueRequest({
    eventId: conference,
    batchSize: 1000,
    commitment: batchTree(1000).root as `0x${string}`,
  });
  // The same root as the direct 1,000 batch is already anchored; use a fresh one.
  signedBatch.commitment = commitment("anchorBatchSigned");
  results.anchorBatchSigned = await gasOf(
    "anchorBatchSigned",
    registry.connect(relayer).issueSigned(signedBatch, await signIssue(key, chainId, address, signedBatch)),
  );

  results.revoke = await gasOf("revoke", registry.connect(key).revoke(1, direct, 1));
  const tree = lastTree!;
  const leaf = tree.leafHash(tree.at(4242)!);
  results.revokeBatchLeaf = await gasOf(
    "revokeBatchLeaf",
    registry.connect(key).revokeLeaf(1, tree.root, leaf, 1),
  );

  const withToken = issueRequest({
    eventId: conference,
    commitment: commitment("issueSignedWithToken"),
    holder: holder.address as `0x${string}`,
  });
  results.issueSignedWithToken = await gasOf(
    "issueSignedWithToken",
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
    "claimTokenFromBatch_100000",
    registry
      .connect(relayer)
      .claimToken(claim, tree.getProof(777), key.address, await signClaim(key, chainId, address, claim)),
  );
  const replacement = commitment("replacement");
  await registry.connect(key).issue(replacement, conference, 0);
  const old = commitment("superseded");
  await registry.connect(key).issue(old, conference, 0);
  results.supersede = await gasOf(
    "supersede",
    registry.connect(key).supersede(1, old, ethers.ZeroHash, replacement),
  );
  results.createEvent = await gasOf(
    "createEvent",
    registry.connect(f.orgAdmin).createEvent(1, 0, 1, ethers.id("x")),
  );
  results.authoriseKey = await gasOf(
    "authoriseKey",
    authorise(registry, f.orgAdmin, 1, ethers.Wallet.createRandom()),
  );

  const outDir = path.join(__dirname, "..", "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "gas.json"), `${JSON.stringify(results, null, 2)}\n`);

  const lines = [
    "## Gas",
    "",
    "| operation | gasUsed | limit | within limit | next target | within target |",
    "|---|---:|---:|---|---:|---|",
  ];
  const within = (gas: number, bound: number | undefined) =>
    bound === undefined ? "-" : gas <= bound ? "yes" : "NO";
  for (const [op, gas] of Object.entries(results)) {
    const limit = LIMITS[op];
    const target = TARGETS[op];
    lines.push(
      `| ${op} | ${gas} | ${limit ?? "-"} | ${within(gas, limit)} | ${target ?? "-"} | ${within(gas, target)} |`,
    );
  }
  lines.push(
    "",
    "### Where the gas of the targeted operations goes",
    "",
    "Base: every transaction's 21,000. Calldata: 16 per non-zero byte, 4 per zero byte. Logs: 375 per log, 375 per",
    "topic, 8 per data byte. Storage and other: what the operation must touch at the EVM's prices. Execution: the",
    "rest — the contract's own code (dispatch, ABI decoding, checks, hashing the namespace key, packing the record).",
    "",
    "| operation | gasUsed | target | base | calldata | logs | storage | other | floor | execution | what it touches |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const [op, fixed] of Object.entries(FIXED)) {
    const gas = results[op]!;
    const { calldata, logs } = breakdowns[op]!;
    const floor = 21_000 + calldata + logs + fixed.storage + fixed.other;
    const execution = gas - floor;
    lines.push(
      `| ${op} | ${gas} | ${TARGETS[op]} | 21000 | ${calldata} | ${logs} | ${fixed.storage} | ${fixed.other} | ${floor} | ${execution} | ${fixed.what} |`,
    );
  }
  lines.push("", "### Contract sizes (EIP-170: 24,576 bytes; each must keep 2,048 spare)", "");
  lines.push("| contract | deployed bytes | margin |", "|---|---:|---:|");
  for (const name of ["IntygRegistry", "IntygSoulbound"]) {
    const artifact = await artifacts.readArtifact(name);
    const size = ethers.getBytes(artifact.deployedBytecode).length;
    lines.push(`| ${name} | ${size} | ${24_576 - size} |`);
  }
  lines.push("", ...EXPLANATION);
  console.log(lines.slice(2).join("\n"));
  writeFileSync(path.join(outDir, "gas.md"), `${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
