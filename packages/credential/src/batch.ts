// Batches: many credentials of one event anchored under one Merkle root (OpenZeppelin `StandardMerkleTree`
// over `[commitment root]` leaves encoded as `bytes32`), each credential carrying its leaf and proof.

// The library's tree layout and proofs, built here on bytes from leaves hashed once: `StandardMerkleTree.of` would
// also ABI-encode every value and sort with big-integer comparisons, and its `getProof` re-hashes 19 nodes per
// call as a sanity check — together most of the time for 100,000 credentials — and the library would bring its
// dependencies into the verifier page. The result is the same tree (a test checks root, leaves and proofs against
// `StandardMerkleTree.of`).
import type { StandardMerkleTreeData } from "@openzeppelin/merkle-tree/dist/standard";
import { ANCHOR_TYPE, BATCH_LEAF_ENCODING } from "./constants";
import { BatchError } from "./errors";
import { bytesHex, hexBytes, keccakBytes, nodeBytes, processProofCached, sortedPairHashBytes } from "./hash";
import { checkIntegrity } from "./integrity";
import type { CredentialAnchor } from "./schema/anchor";
import type { UnsignedCredential } from "./schema/credential";
import { isoToUnixSeconds } from "./time";
import { parseEventUrn } from "./urn";
import { type Address, getAddress, type Hex } from "./viem";

/**
 * The leaf of a credential in a batch tree: the `StandardMerkleTree` leaf hash of `[commitmentRoot]` encoded as
 * `bytes32`, that is `keccak256(keccak256(abi.encode(commitmentRoot)))`, and `abi.encode` of a `bytes32` is
 * the value itself.
 */
export function batchLeafHash(commitmentRoot: Hex): Hex {
  return bytesHex(keccakBytes(keccakBytes(hexBytes(commitmentRoot))));
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * OpenZeppelin's `makeMerkleTree(leaves, standardNodeHash)`: 2n-1 nodes, the leaves at the end in reverse order,
 * node i the sorted-pair hash of nodes 2i+1 and 2i+2; hashed on bytes, given and returned as lowercase hex.
 */
function merkleTree(leaves: readonly Hex[]): Hex[] {
  const n = leaves.length;
  const bytes: Uint8Array[] = new Array(2 * n - 1);
  for (let i = 0; i < n; i++) bytes[bytes.length - 1 - i] = nodeBytes(leaves[i]!);
  for (let i = bytes.length - 1 - n; i >= 0; i--)
    bytes[i] = sortedPairHashBytes(bytes[2 * i + 1]!, bytes[2 * i + 2]!);
  return bytes.map(bytesHex);
}

/** OpenZeppelin's `getProof(tree, index)`: the siblings from node `index` up to the root. */
function proofOf(tree: readonly Hex[], index: number): Hex[] {
  const proof: Hex[] = [];
  for (let i = index; i > 0; i = Math.floor((i - 1) / 2)) proof.push(tree[i % 2 === 1 ? i + 1 : i - 1]!);
  return proof;
}

/** True when `proof` proves that the credential with `commitmentRoot` is a leaf of the batch `root`. Never throws. */
export function verifyBatchProof(root: Hex, commitmentRoot: Hex, proof: readonly Hex[]): boolean {
  if (!BYTES32.test(commitmentRoot)) return false;
  try {
    return processProofCached(batchLeafHash(commitmentRoot), proof) === root.toLowerCase();
  } catch {
    return false;
  }
}

/** A credential whose anchor section is filled in (not yet signed). */
export type AnchoredCredential = UnsignedCredential & { anchor: CredentialAnchor };

/**
 * The batch tree in OpenZeppelin's `standard-v1` dump format (one value `[commitment root]` per credential, in
 * the order given): store it as JSON, and `StandardMerkleTree.load(tree)` gives the library's tree back.
 */
export type BatchTree = StandardMerkleTreeData<[Hex]>;

export type Batch = {
  /** The batch root, which the issuer signs and the registry records. */
  root: Hex;
  size: number;
  tree: BatchTree;
  chainId: number;
  registry: Address;
  eventId: bigint;
  /** Unix seconds, 0 when the credentials do not expire; the same for every credential of the batch. */
  validUntil: bigint;
  /** The credentials in the order given, each with `anchor.batch` filled in. */
  credentials: AnchoredCredential[];
};

export type BuildBatchOptions = {
  /** Recompute every credential's commitment before trusting its root (about 30 hashes per credential). */
  checkIntegrity?: boolean;
};

/**
 * Puts credentials of one event (same chain, registry, event and validity) in a batch tree and gives each its
 * leaf and Merkle proof. A proof section the credentials had is dropped: they must be signed as a batch.
 * Throws {@link BatchError} for no credentials, duplicates, or credentials that cannot share one request.
 */
export function buildBatch(docs: readonly UnsignedCredential[], options: BuildBatchOptions = {}): Batch {
  const first = docs[0];
  if (first === undefined) throw new BatchError("A batch needs at least one credential");
  const target = parseEventUrn(first.credentialSubject.achievement.id);
  if (target === undefined) throw new BatchError("Malformed achievement id", { index: 0 });
  const validUntil = first.validUntil === undefined ? 0n : isoToUnixSeconds(first.validUntil);

  const roots: Hex[] = new Array(docs.length);
  for (const [index, doc] of docs.entries()) {
    const event = parseEventUrn(doc.credentialSubject.achievement.id);
    if (
      event === undefined ||
      event.chainId !== target.chainId ||
      event.registry !== target.registry ||
      event.eventId !== target.eventId
    ) {
      throw new BatchError("Credentials of a batch must share chain, registry and event", { index });
    }
    if ((doc.validUntil === undefined ? 0n : isoToUnixSeconds(doc.validUntil)) !== validUntil) {
      throw new BatchError("Credentials of a batch must share validUntil", { index });
    }
    if (options.checkIntegrity) {
      const result = checkIntegrity(doc);
      if (!result.ok)
        throw new BatchError("Credential integrity check failed", { index, reason: result.reason });
    }
    roots[index] = doc.commitment.root;
  }
  const { anchors, ...tree } = buildBatchTree(
    { chainId: target.chainId, registry: target.registry, eventId: target.eventId, validUntil },
    roots,
  );
  const credentials = docs.map((doc, index): AnchoredCredential => {
    const { proof: _proof, anchor: _anchor, ...rest } = doc as AnchoredCredential & { proof?: unknown };
    return { ...rest, anchor: anchors[index]! };
  });
  return { ...tree, credentials };
}

/** What a batch is made for: one chain, registry, event and validity. */
export type BatchTarget = { chainId: number; registry: Address; eventId: bigint; validUntil: bigint };

/** A batch's tree without its credentials: the anchor section each credential gets, in the order given. */
export type BatchTreeResult = Omit<Batch, "credentials"> & { anchors: CredentialAnchor[] };

/**
 * The batch tree over credentials' commitment roots, and each credential's anchor section: what
 * {@link buildBatch} adds to the credentials, for a caller that holds only their roots (an issuer's worker
 * need not read the credentials' personal data to anchor them). Throws {@link BatchError} for no roots or a
 * duplicate.
 */
export function buildBatchTree(target: BatchTarget, commitmentRoots: readonly Hex[]): BatchTreeResult {
  if (commitmentRoots.length === 0) throw new BatchError("A batch needs at least one credential");
  const seen = new Set<string>();
  for (const [index, root] of commitmentRoots.entries()) {
    if (seen.has(root)) throw new BatchError("Duplicate credential in batch", { index });
    seen.add(root);
  }
  const size = commitmentRoots.length;
  const leaves = commitmentRoots.map((root) => batchLeafHash(root));
  // Sorted leaves, as `StandardMerkleTree.of` sorts them (equal-length lowercase hex sorts as numbers do).
  const order = leaves.map((_, index) => index).sort((a, b) => (leaves[a]! < leaves[b]! ? -1 : 1));
  const nodes = merkleTree(order.map((index) => leaves[index]!));
  const treeIndex: number[] = new Array(size);
  for (const [position, index] of order.entries()) treeIndex[index] = nodes.length - 1 - position;
  const root = nodes[0]!;
  const tree: BatchTree = {
    format: "standard-v1",
    leafEncoding: [...BATCH_LEAF_ENCODING],
    tree: nodes,
    values: commitmentRoots.map((value, index) => ({ value: [value], treeIndex: treeIndex[index]! })),
  };
  const registry = getAddress(target.registry);
  const eventId = target.eventId.toString();
  const anchors = commitmentRoots.map((_, index): CredentialAnchor => {
    const at = treeIndex[index]!;
    return {
      type: ANCHOR_TYPE,
      chainId: target.chainId,
      registry,
      eventId,
      batch: { root, leaf: nodes[at]!, proof: proofOf(nodes, at), size },
    };
  });
  return {
    root,
    size,
    tree,
    chainId: target.chainId,
    registry,
    eventId: target.eventId,
    validUntil: target.validUntil,
    anchors,
  };
}
