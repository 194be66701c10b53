// Batches: many credentials of one event anchored under one Merkle root (OpenZeppelin `StandardMerkleTree`
// over `[commitment root]` leaves encoded as `bytes32`), each credential carrying its leaf and proof.

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
// The tree's own proof walk, without `getProof`'s per-call re-hashing sanity check (19 hashes a proof, which
// for 100,000 credentials is most of the time). The tree is built, and so validated, by the library.
import { getProof } from "@openzeppelin/merkle-tree/dist/core";
import { standardLeafHash } from "@openzeppelin/merkle-tree/dist/hashes";
import { ANCHOR_TYPE, BATCH_LEAF_ENCODING } from "./constants";
import { BatchError } from "./errors";
import { checkIntegrity } from "./integrity";
import type { CredentialAnchor } from "./schema/anchor";
import type { UnsignedCredential } from "./schema/credential";
import { isoToUnixSeconds } from "./time";
import { parseEventUrn } from "./urn";
import { type Address, getAddress, type Hex } from "./viem";

/** The leaf of a credential in a batch tree: the standard leaf hash of `[commitmentRoot]` as `bytes32`. */
export function batchLeafHash(commitmentRoot: Hex): Hex {
  return standardLeafHash([...BATCH_LEAF_ENCODING], [commitmentRoot]) as Hex;
}

/** True when `proof` proves that the credential with `commitmentRoot` is a leaf of the batch `root`. Never throws. */
export function verifyBatchProof(root: Hex, commitmentRoot: Hex, proof: readonly Hex[]): boolean {
  try {
    return StandardMerkleTree.verify(root, [...BATCH_LEAF_ENCODING], [commitmentRoot], [...proof]);
  } catch {
    return false;
  }
}

/** A credential whose anchor section is filled in (not yet signed). */
export type AnchoredCredential = UnsignedCredential & { anchor: CredentialAnchor };

/** The batch tree: one leaf per credential, valued `[commitment root]`. */
export type BatchTree = StandardMerkleTree<[Hex]>;

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

  const seen = new Set<string>();
  const values: [Hex][] = new Array(docs.length);
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
    const root = doc.commitment.root;
    if (seen.has(root)) throw new BatchError("Duplicate credential in batch", { index });
    seen.add(root);
    values[index] = [root];
  }

  const tree = StandardMerkleTree.of(values, [...BATCH_LEAF_ENCODING]);
  const { tree: nodes, values: indexed } = tree.dump();
  const root = tree.root as Hex;
  const size = docs.length;
  const registry = getAddress(target.registry);
  const eventId = target.eventId.toString();
  const credentials = docs.map((doc, index): AnchoredCredential => {
    const { treeIndex } = indexed[index]!;
    const { proof: _proof, anchor: _anchor, ...rest } = doc as AnchoredCredential & { proof?: unknown };
    return {
      ...rest,
      anchor: {
        type: ANCHOR_TYPE,
        chainId: target.chainId,
        registry,
        eventId,
        batch: { root, leaf: nodes[treeIndex] as Hex, proof: getProof(nodes, treeIndex) as Hex[], size },
      },
    };
  });
  return {
    root,
    size,
    tree,
    chainId: target.chainId,
    registry,
    eventId: target.eventId,
    validUntil,
    credentials,
  };
}
