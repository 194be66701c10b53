import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getProof, makeMerkleTree, processProof } from "@openzeppelin/merkle-tree/dist/core";
import { standardNodeHash } from "@openzeppelin/merkle-tree/dist/hashes";
import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, stringToBytes, keccak256 as viemKeccak256 } from "viem";
import { batchLeafHash, verifyBatchProof } from "../src/batch";
import { commitmentRoot } from "../src/commitment";
import {
  bytesHex,
  jsSha3Engine,
  keccak256,
  keccakBytes,
  keccakEngine,
  keccakReady,
  keccakUtf8,
  merkleRootBytes,
  nodeBytes,
  type PairHashCache,
  processProofCached,
  sortedPairHash,
} from "../src/hash";
import { randomSalt } from "../src/random";

const node = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));

describe("hash", () => {
  before(() => keccakReady());

  it("hashes with the WebAssembly engine once it is compiled, and both engines give viem's digests", () => {
    expect(keccakEngine.current.name).to.equal("hash-wasm");
    const engines = [keccakEngine.current, jsSha3Engine];
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), text, (bytes, value) => {
        const expectedBytes = viemKeccak256(bytes);
        const expectedText = viemKeccak256(stringToBytes(value));
        for (const engine of engines) {
          expect(bytesHex(engine.bytes(bytes)), engine.name).to.equal(expectedBytes);
          expect(bytesHex(engine.text(value)), engine.name).to.equal(expectedText);
        }
      }),
      { numRuns: 300 },
    );
    // Past the WebAssembly engine's 16 KB working memory and its first text buffer, and the empty input.
    const large = new Uint8Array(40_000).map((_, i) => (i * 131) & 255);
    const longText = "å€😀".repeat(3000);
    // Past the reused text buffer's 64 KB: encoded on its own.
    const longerText = "a€".repeat(15_000);
    for (const engine of engines) {
      expect(bytesHex(engine.bytes(large))).to.equal(viemKeccak256(large));
      expect(bytesHex(engine.text(longText))).to.equal(viemKeccak256(stringToBytes(longText)));
      expect(bytesHex(engine.text(longerText))).to.equal(viemKeccak256(stringToBytes(longerText)));
      expect(bytesHex(engine.bytes(new Uint8Array(0)))).to.equal(viemKeccak256(new Uint8Array(0)));
      expect(bytesHex(engine.text(""))).to.equal(viemKeccak256(new Uint8Array(0)));
    }
  });

  it("returns a digest of its own each time: a later hash does not change an earlier result", () => {
    const first = keccakBytes(new Uint8Array([1]));
    const copy = bytesHex(first);
    keccakBytes(new Uint8Array([2]));
    keccakUtf8("other");
    expect(bytesHex(first)).to.equal(copy);
  });
  it("keccak256 gives viem's digest for any bytes, given as bytes or as hex", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const expected = viemKeccak256(bytes);
        expect(keccak256(bytes)).to.equal(expected);
        expect(keccak256(bytesToHex(bytes))).to.equal(expected);
        expect(keccak256(bytesToHex(bytes).toUpperCase().replace("0X", "0x") as `0x${string}`)).to.equal(
          expected,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("rejects hex that is not whole bytes", () => {
    for (const bad of ["0x1", "0xzz", "12", "0x0g"]) {
      expect(() => keccak256(bad as `0x${string}`), bad).to.throw(TypeError);
    }
  });

  it("sortedPairHash is OpenZeppelin's standardNodeHash, for hex and byte inputs", () => {
    fc.assert(
      fc.property(node, node, (a, b) => {
        const expected = standardNodeHash(a, b);
        expect(sortedPairHash(a, b)).to.equal(expected);
        expect(sortedPairHash(b, a)).to.equal(expected);
        expect(sortedPairHash(Uint8Array.from(Buffer.from(a.slice(2), "hex")), b.toUpperCase())).to.equal(
          expected,
        );
      }),
      { numRuns: 300 },
    );
    expect(() => sortedPairHash("0x12", "0x34")).to.throw(TypeError);
  });

  it("commitment roots equal SimpleMerkleTree's and batch proofs verify as StandardMerkleTree's do", () => {
    fc.assert(
      fc.property(fc.uniqueArray(node, { minLength: 1, maxLength: 40 }), (digests) => {
        expect(commitmentRoot(digests)).to.equal(SimpleMerkleTree.of(digests).root);
        const tree = StandardMerkleTree.of(
          digests.map((d) => [d]),
          ["bytes32"],
        );
        for (const [index, entry] of tree.entries()) {
          const value = entry[0] as `0x${string}`;
          const proof = tree.getProof(index) as `0x${string}`[];
          expect(tree.leafHash([value])).to.equal(batchLeafHash(value));
          expect(verifyBatchProof(tree.root as `0x${string}`, value, proof)).to.equal(true);
          if (proof.length > 0) {
            const tampered = [...proof];
            tampered[0] = `0x${"00".repeat(32)}` as const;
            expect(verifyBatchProof(tree.root as `0x${string}`, value, tampered)).to.equal(false);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("verifyBatchProof is false, never a throw, for malformed roots, values and proofs", () => {
    const root = `0x${"11".repeat(32)}` as const;
    expect(verifyBatchProof(root, "0x1234", [])).to.equal(false);
    expect(verifyBatchProof(root, root, ["0x12"])).to.equal(false);
    expect(verifyBatchProof(root, root, ["nothex" as `0x${string}`])).to.equal(false);
  });

  it("keccakUtf8 hashes a text's UTF-8 bytes as viem does, lone surrogates included", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 80 }),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(bytesHex(keccakUtf8(value))).to.equal(viemKeccak256(stringToBytes(value)));
      }),
      { numRuns: 400 },
    );
    for (const odd of ["\ud800", "a\udfffb", "\ud83d\ude00", "\u00e5\u00e4\u00f6", ""]) {
      const value = JSON.parse(`"${odd}"`) as string;
      expect(bytesHex(keccakUtf8(value)), odd).to.equal(viemKeccak256(stringToBytes(value)));
    }
  });

  it("merkleRootBytes is the root of OpenZeppelin's makeMerkleTree on the same leaves", () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 70 }), (leaves) => {
        const expected = makeMerkleTree(leaves, standardNodeHash)[0];
        expect(bytesHex(merkleRootBytes(leaves.map(nodeBytes)))).to.equal(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("processProofCached walks every proof of a tree to OpenZeppelin's root, with one cache shared by all", () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 70 }), fc.boolean(), (leaves, upper) => {
        const tree = makeMerkleTree(leaves, standardNodeHash);
        const cache: PairHashCache = new Map();
        for (let i = 0; i < leaves.length; i++) {
          const at = tree.length - 1 - i;
          const proof = getProof(tree, at) as string[];
          const upperCase = (hex: string) => hex.toUpperCase().replace("0X", "0x");
          const leaf = (upper ? upperCase(leaves[i]!) : leaves[i]!) as `0x${string}`;
          // Uppercase siblings too: the same pairs, so the cache filled from lowercase walks serves them.
          expect(processProofCached(leaf, upper ? proof.map(upperCase) : proof, cache)).to.equal(
            processProof(leaves[i]!, proof, standardNodeHash),
          );
          expect(processProofCached(leaf, proof, cache)).to.equal(
            processProof(leaves[i]!, proof, standardNodeHash),
          );
          expect(processProofCached(leaf, proof)).to.equal(tree[0]);
          if (proof.length > 0) {
            // A changed sibling leads elsewhere, whatever the cache holds.
            const tampered = [...proof];
            tampered[proof.length - 1] = `0x${"00".repeat(32)}`;
            expect(processProofCached(leaf, tampered, cache)).to.not.equal(tree[0]);
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(() => processProofCached(`0x${"11".repeat(32)}`, ["0x12"])).to.throw(TypeError);
  });

  it("pooled salts are 16 bytes, distinct, and span refills of the pool", () => {
    const salts = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const salt = randomSalt("credentialSubject.name");
      expect(salt).to.match(/^0x[0-9a-f]{32}$/);
      salts.add(salt);
    }
    expect(salts.size).to.equal(1000);
  });
});
