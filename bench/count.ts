// Counting the work of a verification: keccak256 calls (the format's engine, with their input sizes) and
// secp256k1 public-key recoveries. The hooks wrap the very module instances the packages use, only in the
// benchmark's process and only while `counted` runs, so production code carries no counters; and pricing the
// counted hashes at a raw rate (same inputs sizes, no verification around them) gives the keccak ceiling: at
// js-sha3's (the pure-JS engine) and at the engine in use (WebAssembly, once compiled).

import { createRequire } from "node:module";
import path from "node:path";
import { jsSha3Engine, type KeccakEngine, keccakEngine } from "../packages/credential/src/hash";

type RecoverFn = (this: unknown, hash: unknown) => unknown;

const credentialRequire = createRequire(path.join(__dirname, "..", "packages", "credential", "package.json"));
const viemRequire = createRequire(credentialRequire.resolve("viem"));
type MultiplyFn = (this: unknown, scalar: bigint) => unknown;
const curves = viemRequire("@noble/curves/secp256k1") as {
  secp256k1: {
    Signature: { prototype: { recoverPublicKey: RecoverFn } };
    ProjectivePoint: { BASE: object; prototype: { multiply: MultiplyFn } };
  };
};

export type WorkCount = {
  /** keccak256 calls. */
  keccak: number;
  /** The input size (bytes) of each call, for pricing at the raw rate. */
  inputBytes: number[];
  /** secp256k1 public-key recoveries. */
  recoveries: number;
  /**
   * Signature checks: recoveries, and checks against a key already recovered (ECDSA verification with the nonce's
   * parity); each multiplies the base point once.
   */
  signatureChecks: number;
};

const encoder = new TextEncoder();

/** Runs `fn` with every keccak call and recovery counted. */
export async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; work: WorkCount }> {
  const work: WorkCount = { keccak: 0, inputBytes: [], recoveries: 0, signatureChecks: 0 };
  const engine = keccakEngine.current;
  const original = { bytes: engine.bytes, text: engine.text };
  const recover = curves.secp256k1.Signature.prototype.recoverPublicKey;
  const points = curves.secp256k1.ProjectivePoint;
  const multiply = points.prototype.multiply;
  // The engines' `text` does not call their own `bytes`, so no hash is counted twice.
  engine.bytes = (data) => {
    work.keccak++;
    work.inputBytes.push(data.byteLength);
    return original.bytes(data);
  };
  engine.text = (text) => {
    work.keccak++;
    work.inputBytes.push(encoder.encode(text).byteLength);
    return original.text(text);
  };
  curves.secp256k1.Signature.prototype.recoverPublicKey = function (this: unknown, hash: unknown) {
    work.recoveries++;
    return recover.call(this, hash);
  };
  points.prototype.multiply = function (this: unknown, scalar: bigint) {
    if (this === points.BASE) work.signatureChecks++;
    return multiply.call(this, scalar);
  };
  try {
    return { result: await fn(), work };
  } finally {
    Object.assign(engine, original);
    curves.secp256k1.Signature.prototype.recoverPublicKey = recover;
    points.prototype.multiply = multiply;
  }
}

/** The keccak engine the format hashes with now (WebAssembly once compiled, else js-sha3). */
export const engineInUse = (): KeccakEngine => keccakEngine.current;

/**
 * What the counted hashes cost at an engine's raw rate (js-sha3's unless another is given): the same number of
 * calls on inputs of the same sizes, with nothing around them (best of `runs`), in ms.
 */
export function keccakCeilingMs(work: WorkCount, runs = 5, engine: KeccakEngine = jsSha3Engine): number {
  const buffers = new Map<number, Uint8Array>();
  const inputs = work.inputBytes.map((size) => {
    let buffer = buffers.get(size);
    if (!buffer) {
      buffer = new Uint8Array(size).map((_, i) => (i * 31 + size) & 255);
      buffers.set(size, buffer);
    }
    return buffer;
  });
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    for (const input of inputs) engine.bytes(input);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The raw rate of secp256k1 public-key recovery (noble, as viem and Intyg call it), per second. */
export async function rawRecoveryRate(ms = 1500): Promise<number> {
  const { recoverPublicKey, keccak256 } = await import("viem");
  const { privateKeyToAccount } = await import("viem/accounts");
  const signer = privateKeyToAccount(`0x${"42".repeat(32)}`);
  const hash = keccak256("0x1234");
  const signature = await signer.sign({ hash });
  for (let i = 0; i < 20; i++) await recoverPublicKey({ hash, signature });
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await recoverPublicKey({ hash, signature });
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}
