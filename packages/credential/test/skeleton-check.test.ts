// The plain-function skeleton check is never more lenient than the zod schema it stands in for: on random
// changes to a batch credential (values replaced, properties removed or added, anywhere but in the sections the
// caller checks by their own schemas), whatever it accepts the schema accepts.

import { expect } from "chai";
import fc from "fast-check";
import { buildBatch, type Credential, signBatch } from "../src";
import { credentialSkeletonSchema } from "../src/schema/credential";
import { isCredentialSkeleton } from "../src/schema/skeleton-check";
import { account, batchDocuments, clone, DEADLINE, leaves } from "./helpers";

type Path = (string | number)[];

/** Values that sit on the edges of the schema's rules. */
const EDGE_VALUES: unknown[] = [
  "",
  " ",
  "\t\n",
  "x",
  "x".repeat(300),
  "x".repeat(301),
  "x".repeat(1201),
  "x".repeat(5001),
  `0x${"a".repeat(64)}`,
  `0x${"A".repeat(64)}`,
  `0x${"a".repeat(63)}`,
  `0x${"a".repeat(65)}`,
  `0x${"a".repeat(32)}`,
  `0x${"g".repeat(64)}`,
  `0x${"a".repeat(40)}`,
  "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  "0x5FBDB2315678AFECB367F032D93F642F64180AA3",
  "0x5FbDB2315678afecb367f032d93F642f64180aA3",
  "2026-05-12T08:00:00Z",
  "2026-05-12T08:00:00.123Z",
  "2026-05-12T08:00:00.1234Z",
  "2026-02-30T08:00:00Z",
  "2026-05-12T24:00:00Z",
  "2026-05-12",
  "2026-13-01",
  "1970-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "36812-01-01T00:00:00Z",
  "urn:uuid:aa2d700d-2aeb-4755-a4f9-d287259244dc",
  "urn:uuid:aa2d700d-2aeb-1755-a4f9-d287259244dc",
  "did:pkh:eip155:1:0x5fbdb2315678afecb367f032d93f642f64180aa3",
  "not a url",
  "a@b",
  "a b@c",
  "@example.se",
  `${"a".repeat(65)}@example.se`,
  `a@${"b".repeat(320)}`,
  "participant",
  "speaker",
  "boss",
  "18446744073709551615",
  "18446744073709551616",
  "01",
  "0",
  "4294967297",
  "sha256$d99d1cdd9180d69977e6a396c9c9aad280d6548aa2089979bd72ee70e9d0a3dd",
  "sha256$D99D1CDD9180D69977E6A396C9C9AAD280D6548AA2089979BD72EE70E9D0A3DD",
  "emailAddress",
  "ext:badge",
  "ext:",
  "IdentityObject",
  "AchievementSubject",
  "IntygSaltedMerkleCommitment2026",
  "IntygRegistryAnchor2026",
  0,
  -1,
  1,
  1.5,
  31337,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  [],
  {},
  ["x"],
  [{ salt: `0x${"a".repeat(32)}` }],
  { salt: `0x${"a".repeat(32)}` },
  { digest: `0x${"a".repeat(64)}` },
  { salt: `0x${"a".repeat(32)}`, digest: `0x${"a".repeat(64)}` },
  [
    {
      type: "IdentityObject",
      identityType: "emailAddress",
      hashed: true,
      identityHash: `sha256$${"a".repeat(64)}`,
    },
  ],
  [{ type: ["Result"], status: "Completed" }],
];

/** Keys that may be added to an object: ones the schema knows somewhere, and ones it never allows. */
const EXTRA_KEYS = [
  "description",
  "validUntil",
  "id",
  "name",
  "email",
  "birthDate",
  "organisation",
  "role",
  "team",
  "partsAttended",
  "identifier",
  "result",
  "salt",
  "digest",
  "batch",
  "unknown",
  "__proto__",
  "/credentialSubject/team",
];

/** The sections checked by their own schemas before the skeleton: changes there are not the skeleton's. */
const OWN_SCHEMA_SECTIONS = (path: Path) =>
  path[0] === "issuer" ||
  path[0] === "proof" ||
  (path[0] === "credentialSubject" && path[1] === "achievement");

/** Every object and array in a document, with its path. */
function containers(value: unknown, path: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const own = [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return own.concat(...entries.map(([key, item]) => containers(item, [...path, key])));
}

function nodeAt(doc: unknown, path: Path): Record<string | number, unknown> {
  let node = doc as Record<string | number, unknown>;
  for (const key of path) node = node[key] as Record<string | number, unknown>;
  return node;
}

describe("isCredentialSkeleton", function () {
  this.timeout(120_000);
  let batch: Credential[];

  before(async () => {
    batch = (await signBatch(buildBatch(batchDocuments()), { account, deadline: DEADLINE })).credentials;
  });

  it("accepts every credential of a batch, as the schema does", () => {
    for (const doc of batch) {
      const value = clone(doc);
      expect(credentialSkeletonSchema.safeParse(value).success).to.equal(true);
      expect(isCredentialSkeleton(value)).to.equal(true);
    }
  });

  it("accepts only what the skeleton schema accepts, for each edge value put anywhere or added to any object", () => {
    const target = clone(batch[1]!);
    const leafPaths = leaves(target)
      .map((leaf) => leaf.path)
      .filter((path) => !OWN_SCHEMA_SECTIONS(path));
    const objectPaths = containers(target).filter((path) => !OWN_SCHEMA_SECTIONS(path));
    let accepted = 0;
    const check = (doc: unknown, where: string) => {
      const value = JSON.parse(JSON.stringify(doc));
      if (!isCredentialSkeleton(value)) return;
      accepted++;
      expect(credentialSkeletonSchema.safeParse(value).success, where).to.equal(true);
    };
    for (const path of [...leafPaths, ...objectPaths.filter((p) => p.length > 0)]) {
      for (const [i, edge] of EDGE_VALUES.entries()) {
        const doc = clone(target) as unknown as Record<string, unknown>;
        nodeAt(doc, path.slice(0, -1))[path.at(-1)!] = structuredClone(edge);
        check(doc, `${path.join("/")} = edge value ${i}`);
      }
      const doc = clone(target) as unknown as Record<string, unknown>;
      const parent = nodeAt(doc, path.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
      else delete parent[path.at(-1)!];
      check(doc, `${path.join("/")} removed`);
    }
    for (const path of objectPaths) {
      if (Array.isArray(nodeAt(target, path))) continue;
      for (const key of EXTRA_KEYS) {
        for (const [i, edge] of EDGE_VALUES.entries()) {
          const doc = clone(target) as unknown as Record<string, unknown>;
          nodeAt(doc, path)[key] = structuredClone(edge);
          check(doc, `${path.join("/")}/${key} added = edge value ${i}`);
        }
      }
    }
    expect(accepted).to.be.greaterThan(100);
  });

  it("accepts only what the skeleton schema accepts, on random changes anywhere", () => {
    const target = clone(batch[1]!);
    const leafPaths = leaves(target)
      .map((leaf) => leaf.path)
      .filter((path) => !OWN_SCHEMA_SECTIONS(path));
    const objectPaths = containers(target).filter((path) => !OWN_SCHEMA_SECTIONS(path));
    const change = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        path: fc.constantFrom(...leafPaths, ...objectPaths.filter((p) => p.length > 0)),
        value: fc.constantFrom(...EDGE_VALUES),
      }),
      fc.record({
        kind: fc.constant("remove" as const),
        path: fc.constantFrom(...leafPaths, ...objectPaths.filter((p) => p.length > 0)),
      }),
      fc.record({
        kind: fc.constant("add" as const),
        path: fc.constantFrom(...objectPaths),
        key: fc.constantFrom(...EXTRA_KEYS),
        value: fc.constantFrom(...EDGE_VALUES),
      }),
    );
    let accepted = 0;
    let rejectedBoth = 0;
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
        const doc = clone(target) as unknown as Record<string, unknown>;
        for (const c of changes) {
          const parentPath = c.kind === "add" ? c.path : c.path.slice(0, -1);
          let parent: Record<string | number, unknown>;
          try {
            parent = nodeAt(doc, parentPath);
          } catch {
            continue;
          }
          if (typeof parent !== "object" || parent === null) continue;
          if (c.kind === "set") parent[c.path.at(-1)!] = structuredClone(c.value);
          else if (c.kind === "remove") {
            if (Array.isArray(parent)) parent.splice(Number(c.path.at(-1)), 1);
            else delete parent[c.path.at(-1)!];
          } else if (!Array.isArray(parent)) parent[c.key] = structuredClone(c.value);
        }
        // As the check gets it: a value JSON.parse made (a `__proto__` key becomes an own property).
        const value = JSON.parse(JSON.stringify(doc));
        const fast = isCredentialSkeleton(value);
        const schema = credentialSkeletonSchema.safeParse(value).success;
        if (fast) {
          accepted++;
          expect(schema, JSON.stringify(changes)).to.equal(true);
        } else if (!schema) rejectedBoth++;
      }),
      { numRuns: 4000 },
    );
    // Both sides were exercised: some changes keep the document valid, most break it.
    expect(accepted).to.be.greaterThan(50);
    expect(rejectedBoth).to.be.greaterThan(1000);
  });
});
