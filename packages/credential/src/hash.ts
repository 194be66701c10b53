// keccak256 for the hot paths of the format (claim digests, commitment and batch trees, proof walks). Two engines
// give the same bytes: hash-wasm's WebAssembly Keccak (3–5× js-sha3 on this format's 32–820-byte inputs, measured
// by `pnpm bench verification`) once it is compiled, and js-sha3, a pure-JS Keccak, until then or where
// WebAssembly cannot be compiled (a page whose Content-Security-Policy forbids it). Compiling is asynchronous, so
// it starts when this module loads and the entry points that hash a lot await {@link keccakReady}; a caller that
// hashes before then gets js-sha3's identical digests. Tests compare both engines with viem's, and the trees with
// OpenZeppelin's own hashing, on random inputs.

import { createKeccak } from "hash-wasm";
import { keccak256 as jsKeccak } from "js-sha3";
import type { Hex } from "./viem";

/** One keccak256 implementation: the digest of bytes, and of a text's UTF-8 bytes (U+FFFD for lone surrogates). */
export type KeccakEngine = {
  readonly name: "hash-wasm" | "js-sha3";
  bytes(data: Uint8Array): Uint8Array;
  text(text: string): Uint8Array;
};

const encoder = new TextEncoder();

/**
 * js-sha3: its `array` output copied into a 32-byte array that V8 keeps on its heap (its `arrayBuffer` output
 * allocates a backing store per hash, which costs more). It encodes a well-formed string itself, saving the copy
 * of a `TextEncoder`; a string with lone surrogates goes through `TextEncoder` (U+FFFD for each, as viem's
 * `stringToBytes` does), since js-sha3 would encode those differently.
 */
export const jsSha3Engine: KeccakEngine = {
  name: "js-sha3",
  bytes: (data) => new Uint8Array(jsKeccak.array(data)),
  text: (text) => {
    const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
    return new Uint8Array(
      jsKeccak.array(typeof wellFormed === "function" && wellFormed.call(text) ? text : encoder.encode(text)),
    );
  },
};

/**
 * The engine in use. The benchmark's counting hooks wrap its methods; everything in this module hashes through
 * it, so they see every hash.
 */
export const keccakEngine: { current: KeccakEngine } = { current: jsSha3Engine };

const SCRATCH_LIMIT = 65_536;

type WasmHasher = Awaited<ReturnType<typeof createKeccak>>;

function wasmEngine(hasher: WasmHasher): KeccakEngine {
  // Texts are encoded into one reused buffer (3 bytes per UTF-16 unit at most), grown up to 64 KB; a longer text
  // (a whole document, not a claim) is encoded on its own, so that one large input does not stay in memory.
  let scratch = new Uint8Array(4096);
  const bytes = (data: Uint8Array): Uint8Array => hasher.init().update(data).digest("binary");
  return {
    name: "hash-wasm",
    bytes,
    text: (text) => {
      const most = text.length * 3;
      if (most > SCRATCH_LIMIT) return bytes(encoder.encode(text));
      if (most > scratch.length) scratch = new Uint8Array(most);
      const { written } = encoder.encodeInto(text, scratch);
      return bytes(scratch.subarray(0, written));
    },
  };
}

let ready: Promise<void> | undefined;

/**
 * Resolves once the WebAssembly engine is in use, or once it is known it cannot be (no WebAssembly, or a policy
 * that forbids compiling it): hashing then stays on js-sha3. Never rejects. Started when this module loads.
 */
export function keccakReady(): Promise<void> {
  ready ??= (
    typeof WebAssembly === "undefined" ? Promise.reject(new Error("no WebAssembly")) : createKeccak(256)
  ).then(
    (hasher) => {
      keccakEngine.current = wasmEngine(hasher);
    },
    () => undefined,
  );
  return ready;
}

void keccakReady();

const HEX = "0123456789abcdef";
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE[HEX.charCodeAt(i)] = i;
  NIBBLE[HEX.toUpperCase().charCodeAt(i)] = i;
}

/** Writes the hex string `hex` (with 0x, an even number of digits) into `out` at `offset`. */
function writeHex(hex: string, out: Uint8Array, offset: number): void {
  if (hex.length % 2 !== 0 || hex[0] !== "0" || (hex[1] !== "x" && hex[1] !== "X")) {
    throw new TypeError("Expected 0x-prefixed hex of whole bytes");
  }
  for (let i = 2, j = offset; i < hex.length; i += 2, j++) {
    const high = NIBBLE[hex.charCodeAt(i)] ?? -1;
    const low = NIBBLE[hex.charCodeAt(i + 1)] ?? -1;
    if (high < 0 || low < 0) throw new TypeError("Expected 0x-prefixed hex of whole bytes");
    out[j] = (high << 4) | low;
  }
}

/** keccak256 of bytes, or of the bytes a 0x hex string spells, as lowercase 0x hex (like viem's). */
export function keccak256(data: Uint8Array | Hex): Hex {
  if (typeof data === "string") {
    const bytes = new Uint8Array((data.length - 2) / 2);
    writeHex(data, bytes, 0);
    return bytesHex(keccakEngine.current.bytes(bytes));
  }
  return bytesHex(keccakEngine.current.bytes(data));
}

/** keccak256 of bytes, as 32 bytes (no hex round trip). */
export function keccakBytes(data: Uint8Array): Uint8Array {
  return keccakEngine.current.bytes(data);
}

/** keccak256 of the UTF-8 bytes of `text` (U+FFFD for lone surrogates, as viem's `stringToBytes`), as 32 bytes. */
export function keccakUtf8(text: string): Uint8Array {
  return keccakEngine.current.text(text);
}

/** The bytes a 0x hex string of whole bytes spells (either case); throws a TypeError for anything else. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array((hex.length - 2) >> 1);
  writeHex(hex, out, 0);
  return out;
}

/** The 32 bytes of a 0x hex node (either case); throws a TypeError for anything else. */
export function nodeBytes(hex: string): Uint8Array {
  if (hex.length !== 66) throw new TypeError("Merkle nodes must be 32 bytes");
  const out = new Uint8Array(32);
  writeHex(hex, out, 0);
  return out;
}

/** Lowercase 0x hex of bytes. */
export function bytesHex(bytes: Uint8Array): Hex {
  let hex = "0x";
  for (let i = 0; i < bytes.length; i++) hex += HEX_PAIRS[bytes[i]!]!;
  return hex as Hex;
}

const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

/** Compares two byte strings of equal length as big-endian numbers. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

const pairBuffer = new Uint8Array(64);

/** {@link sortedPairHash} on 32-byte nodes given and returned as bytes. */
export function sortedPairHashBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (compareBytes(a, b) <= 0) {
    pairBuffer.set(a, 0);
    pairBuffer.set(b, 32);
  } else {
    pairBuffer.set(b, 0);
    pairBuffer.set(a, 32);
  }
  return keccakEngine.current.bytes(pairBuffer);
}

/**
 * The root of OpenZeppelin's `makeMerkleTree(leaves, standardNodeHash)` over leaves given in the tree's order
 * (sorted, for `SimpleMerkleTree` and `StandardMerkleTree`), on bytes: the same array layout (leaves at the end,
 * in reverse; node i hashes nodes 2i+1 and 2i+2), so the same root.
 */
export function merkleRootBytes(leaves: readonly Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) throw new TypeError("A Merkle tree needs at least one leaf");
  const tree: Uint8Array[] = new Array(2 * n - 1);
  for (let i = 0; i < n; i++) tree[tree.length - 1 - i] = leaves[i]!;
  for (let i = tree.length - 1 - n; i >= 0; i--)
    tree[i] = sortedPairHashBytes(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return tree[0]!;
}

/**
 * Pair hashes already computed in a run, keyed by the two nodes in ascending order (the lower node, then the
 * higher): the credentials of a batch share the upper nodes of their proofs, so 1,000 proof walks of 10 steps cost
 * about 2,000 hashes, not 10,000. The value is the same keccak256 of the same bytes, so the check is as strong.
 * Two levels of keys, not the two nodes joined: a joined key is a new string, hashed again on every lookup, while
 * a node a lookup gave keeps the hash V8 computed for it.
 */
export type PairHashCache = Map<string, Map<string, Hex>>;

/**
 * Pair hashes kept before a {@link PairHashCache} starts over: about 130 MB at the limit when no two pairs share a
 * lower node (a batch's walks share most of theirs).
 */
const PAIR_CACHE_LIMIT = 100_000;

/** Pair hashes added to each cache since it last started over (this module only adds to a cache, or clears it). */
const pairCounts = new WeakMap<PairHashCache, number>();

const UPPERCASE = /[A-Z]/;

/** Lowercase hex; the node itself when it is lowercase already (`toLowerCase` makes a new string each time). */
const lowercase = (hex: string): string => (UPPERCASE.test(hex) ? hex.toLowerCase() : hex);

/**
 * OpenZeppelin's `processProof` with {@link sortedPairHash}: the root that `proof` leads to from `leaf`, as
 * lowercase hex, memoised in `cache` when given. Nodes must be 32 bytes of hex; throws a TypeError otherwise.
 */
export function processProofCached(leaf: Hex, proof: readonly string[], cache?: PairHashCache): Hex {
  let node = lowercase(leaf);
  if (node.length !== 66) throw new TypeError("Merkle nodes must be 32 bytes");
  for (const element of proof) {
    const sibling = lowercase(element);
    if (sibling.length !== 66) throw new TypeError("Merkle nodes must be 32 bytes");
    // Strings, not numbers: lowercase hex of equal length orders as the numbers do.
    let low = node;
    let high = sibling;
    if (sibling < node) {
      low = sibling;
      high = node;
    }
    let row = cache?.get(low);
    const known = row?.get(high);
    if (known !== undefined) {
      node = known;
      continue;
    }
    const pair = new Uint8Array(64);
    writeHex(low, pair, 0);
    writeHex(high, pair, 32);
    const next = bytesHex(keccakEngine.current.bytes(pair));
    if (cache) {
      let count = pairCounts.get(cache) ?? 0;
      if (count >= PAIR_CACHE_LIMIT) {
        cache.clear();
        count = 0;
        row = undefined;
      }
      if (row) row.set(high, next);
      else cache.set(low, new Map([[high, next]]));
      pairCounts.set(cache, count + 1);
    }
    node = next;
  }
  return node as Hex;
}

/** What OpenZeppelin's tree functions hand a node hash: hex strings, or bytes. */
export type NodeInput = string | Uint8Array | readonly number[];

function asHex(node: NodeInput): string {
  if (typeof node === "string") return node.toLowerCase();
  let hex = "0x";
  for (const byte of node) hex += HEX[(byte >> 4) & 15]! + HEX[byte & 15]!;
  return hex;
}

/**
 * OpenZeppelin's `standardNodeHash`: keccak256 of the two 32-byte nodes concatenated in ascending order (the
 * node hash of `StandardMerkleTree`, `SimpleMerkleTree` and `MerkleProof.sol`). Nodes are 0x hex; lowercase
 * hex of equal length compares as the numbers do.
 */
export function sortedPairHash(a: NodeInput, b: NodeInput): Hex {
  const left = asHex(a);
  const right = asHex(b);
  if (left.length !== 66 || right.length !== 66) throw new TypeError("Merkle nodes must be 32 bytes");
  const pair = new Uint8Array(64);
  const [low, high] = left < right ? [left, right] : [right, left];
  writeHex(low, pair, 0);
  writeHex(high, pair, 32);
  return bytesHex(keccakEngine.current.bytes(pair));
}
