// Hostile inputs for fuzzing the verifier (and the CLI, which imports these): arbitraries of random JSON and
// of documents shaped like real ones, and the properties every verification answer must have.

import { expect } from "chai";
import fc from "fast-check";
import { CHECK_IDS, type VerificationReport } from "../src";
import { clone } from "./fixture";
import { allPaths, flip, type Path } from "./mutate";

/** The longest any one verification may take (generous: the machine may be loaded). */
export const TIME_BOUND_MS = 5_000;
export const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "@context",
    "type",
    "id",
    "proof",
    "anchor",
    "commitment",
    "credentialSubject",
    "verifiableCredential",
    "holder",
    "/credentialSubject/name",
    "\uD800",
    "",
    "k".repeat(5_000),
  ),
);

export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\uD800",
    "a\uDC00b",
    "\uFFFD",
    "\u202Eevil",
    "__proto__",
    "1e309",
    "-0",
    "NaN",
    "0x",
    `0x${"0".repeat(64)}`,
    `0x${"f".repeat(130)}`,
    "18446744073709551616",
    "urn:intyg:org:31337:0x0000000000000000000000000000000000000000:1",
    "did:pkh:eip155:31337:0x0000000000000000000000000000000000000000",
    "https://www.w3.org/ns/credentials/v2",
    "VerifiablePresentation",
    "EthereumEip712Signature2021",
    "2026-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "c1.AAAA",
  ),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  // Long strings, within the 1 MiB limit or just beyond it.
  fc.constantFrom(1_000, 100_000, 1_100_000).map((n) => "x".repeat(n)),
);

export const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53 + 1, 2 ** 64, 1e308, -1e308, 5e-324, 31337, 4294967297),
);

export const hostileLeaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Objects are built with Object.fromEntries, so `__proto__` is an own key, as JSON.parse makes it. */
export const { tree: hostileTree } = fc.letrec<{
  tree: unknown;
  array: unknown[];
  object: Record<string, unknown>;
}>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, hostileLeaf, tie("array"), tie("object")),
  array: fc.array(tie("tree"), { maxLength: 5 }),
  object: fc.array(fc.tuple(hostileKey, tie("tree")), { maxLength: 5 }).map((e) => Object.fromEntries(e)),
}));

/** Nesting around the depth limit (32), and arrays around the size limit (50,000 values). */
export const nested = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean(), hostileLeaf).map(([depth, arrays, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { [i % 2 ? "a" : "__proto__"]: value };
    return value;
  }),
  fc.constantFrom(10, 49_990, 50_010).map((length) => ({ items: new Array(length).fill(0) })),
);

type Edit =
  | { at: number; op: "flip" }
  | { at: number; op: "delete" }
  | { at: number; op: "set"; value: unknown }
  | { at: number; op: "add"; key: string; value: unknown };

const edit = fc.oneof(
  // A changed character or number keeps the type, so the document gets past the schema to the digests,
  // the signature and the chain.
  fc.record({ at: fc.nat(), op: fc.constant("flip" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("delete" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("set" as const), value: fc.oneof(hostileTree, nested) }),
  fc.record({ at: fc.nat(), op: fc.constant("add" as const), key: hostileKey, value: hostileTree }),
);

/** A copy of `base` with 1–4 fields changed, deleted, replaced by hostile values, or given hostile neighbours. */
export function shapedLike(base: unknown) {
  const paths = allPaths(base);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const doc = clone(base);
    for (const change of edits as Edit[]) {
      const path: Path = paths[change.at % paths.length]!;
      // An earlier edit may have removed or replaced the way there.
      let parent = doc as Record<string | number, unknown> | undefined;
      for (const token of path.slice(0, -1)) {
        parent = typeof parent === "object" && parent !== null ? (parent[token] as typeof parent) : undefined;
      }
      const key = path[path.length - 1]!;
      if (typeof parent !== "object" || parent === null || !Object.hasOwn(parent, key)) continue;
      if (change.op === "flip") {
        parent[key] = flip(parent[key]);
      } else if (change.op === "delete") {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      } else if (change.op === "set") {
        parent[key] = change.value;
      } else {
        const target = parent[key];
        if (Array.isArray(target)) target.push(change.value);
        else if (typeof target === "object" && target !== null)
          Object.defineProperty(target, change.key, {
            value: change.value,
            enumerable: true,
            writable: true,
          });
        else parent[key] = Object.fromEntries([[change.key, change.value]]);
      }
    }
    return doc;
  });
}

/** A value as itself, as its JSON text, or as UTF-8 bytes of that text. */
export const encoded = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom("value", "text", "bytes")).map(([doc, as]) => {
    if (as === "value") return doc;
    const text = JSON.stringify(doc) ?? "";
    return as === "text" ? text : new TextEncoder().encode(text);
  });

/** Character edits of a JSON text: cuts, junk, lone surrogates, 1e309, prototype keys, stray brackets. */
export function textEdited(text: string) {
  const insert = fc.oneof(
    fc.constant(""),
    fc.string({ unit: "binary", maxLength: 3 }),
    fc.constantFrom(
      "1e309",
      "-1e309",
      "\\ud800",
      "\uD800",
      '"__proto__":{"polluted":true},',
      '"constructor":{"prototype":{"polluted":true}},',
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"',
      "\\",
      "-0",
      "18446744073709551616",
      "\uFEFF",
    ),
  );
  return fc.array(fc.tuple(fc.nat(), fc.nat(8), insert), { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce((t, [at, cut, junk]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + junk + t.slice(i + cut);
    }, text),
  );
}

/** Random bytes written over UTF-8 text: mostly not UTF-8 any more. */
export function bytesEdited(text: string) {
  const bytes = new TextEncoder().encode(text);
  return fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const copy = bytes.slice();
      for (const [at, byte] of edits) copy[at % copy.length] = byte;
      return copy;
    });
}

// What every answer must be.

export function expectReport(report: VerificationReport, kind: "credential" | "presentation"): void {
  expect(report.kind).to.equal(kind);
  expect(report.verified).to.be.a("boolean");
  expect(report.lang).to.be.oneOf(["sv", "en"]);
  expect(report.verdict).to.be.a("string").that.is.not.empty;
  expect(Number.isNaN(Date.parse(report.verifiedAt))).to.equal(false);
  expect(report.checks.map((check) => check.id)).to.deep.equal([...CHECK_IDS]);
  for (const check of report.checks) {
    expect(check.status).to.be.oneOf(["passed", "failed", "skipped"]);
    expect(check.code).to.match(CODE);
    expect(check.message).to.be.a("string").that.is.not.empty;
    // No check echoes a long input back.
    expect(check.message.length).to.be.below(1_000);
  }
  if (!report.verified) expect(report.checks.some((check) => check.status === "failed")).to.equal(true);
  // Plain JSON: the CLI prints it and the service returns it as is.
  expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
}

export async function timed<T>(run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  expect(performance.now() - start, "time of one verification (ms)").to.be.below(TIME_BOUND_MS);
  return result;
}

/**
 * The document an input carries, keys sorted, with the informative `created` time of each issuer proof
 * removed (a credential's proofs are a list; a presentation's own proof signs its `created`, so it stays).
 */
export function canonical(input: unknown): string | undefined {
  let value = input;
  try {
    if (input instanceof Uint8Array) value = JSON.parse(new TextDecoder().decode(input));
    else if (typeof input === "string") value = JSON.parse(input);
  } catch {
    return undefined;
  }
  const issuerProof = "proof[]";
  const strip = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node))
      return node.map((item) => strip(item, key === "proof" ? issuerProof : undefined));
    if (typeof node !== "object" || node === null) return node;
    const entries = Object.entries(node)
      .filter(([k]) => !(key === issuerProof && k === "created"))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, strip(v, k)]);
    return Object.fromEntries(entries);
  };
  return JSON.stringify(strip(value));
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

export function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
}
