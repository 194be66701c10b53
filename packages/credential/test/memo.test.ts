// Work kept across a run (schema-valid sections by their JSON text, known public keys, Merkle pair hashes) never
// changes a verdict: after the siblings of a batch were checked, every change to one credential is still caught,
// by the same check and with the same schema issues as without the memo.

import { expect } from "chai";
import fc from "fast-check";
import {
  buildBatch,
  type Credential,
  checkCredentialJson,
  checkIntegrity,
  createSignerCache,
  credentialSchema,
  signBatch,
  toSchemaIssues,
} from "../src";
import { commitmentSchema, isClaimsRecord } from "../src/schema/commitment";
import { account, batchDocuments, clone, DEADLINE, leaves, mutate, setAt, verifyOffline } from "./helpers";

describe("memoised checks", function () {
  this.timeout(120_000);
  let batch: Credential[];

  before(async () => {
    batch = (await signBatch(buildBatch(batchDocuments()), { account, deadline: DEADLINE })).credentials;
  });

  it("give the schema's verdict and issues for every one-value change of a batch credential, memo warm", () => {
    for (const doc of batch) expect(checkCredentialJson(clone(doc)).success).to.equal(true);
    const target = batch[1]!;
    const kinds: [string, (value: string | number | boolean, seed: number) => unknown][] = [
      ["mutated", mutate],
      ["emptied", (value) => (typeof value === "string" ? "" : value)],
      ["retyped", (value) => (typeof value === "number" ? String(value) : 7)],
      ["removed", () => undefined],
    ];
    let failures = 0;
    for (const [i, leaf] of leaves(target).entries()) {
      for (const [kind, change] of kinds) {
        const changed = clone(target);
        setAt(changed, leaf.path, change(leaf.value, i));
        const value = JSON.parse(JSON.stringify(changed));
        const expected = credentialSchema.safeParse(value);
        const memoised = checkCredentialJson(value);
        const where = `${kind} /${leaf.path.join("/")}`;
        expect(memoised.success, where).to.equal(expected.success);
        if (!expected.success && !memoised.success) {
          failures++;
          expect(toSchemaIssues(memoised.error), where).to.deep.equal(toSchemaIssues(expected.error));
        }
        // The canonical JSON kept by the issuer's and achievement's texts gives the integrity check's own answer.
        const valueTexts = {
          "/issuer": JSON.stringify(value.issuer),
          "/credentialSubject/achievement": JSON.stringify(value.credentialSubject?.achievement),
        };
        expect(checkIntegrity(value, { valueTexts }), where).to.deep.equal(checkIntegrity(value));
        // The siblings still pass, and the memo still answers for them.
        expect(checkCredentialJson(clone(batch[0]!)).success, where).to.equal(true);
      }
    }
    expect(failures).to.be.greaterThan(100);
  });

  it("still fail a changed credential of a batch whose siblings were verified with the same cache", async () => {
    const cache = createSignerCache();
    for (const doc of batch) expect(await verifyOffline(doc, cache)).to.equal(true);
    const target = batch[2]!;
    for (const [i, leaf] of leaves(target).entries()) {
      const changed = clone(target);
      setAt(changed, leaf.path, mutate(leaf.value, i));
      // A value whose change leaves the document the same (a checksummed address written in another case, say)
      // is not a change.
      if (JSON.stringify(changed).toLowerCase() === JSON.stringify(target).toLowerCase()) continue;
      expect(await verifyOffline(changed, cache), `/${leaf.path.join("/")}`).to.not.equal(true);
    }
    // Another credential's batch proof does not lead from this one's leaf.
    const swapped = clone(target) as Credential;
    swapped.anchor.batch!.proof = clone(batch[3]!.anchor.batch!.proof);
    expect(await verifyOffline(swapped, cache)).to.not.equal(true);
    for (const doc of batch) expect(await verifyOffline(doc, cache)).to.equal(true);
  });

  it("accept a commitment's claims by the plain check only where the zod record accepts them", () => {
    const record = commitmentSchema.shape.claims;
    const hex = (bytes: number) =>
      fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
    const nearHex = (bytes: number) =>
      fc.oneof(
        hex(bytes),
        hex(bytes).map((h) => h.toUpperCase()),
        hex(bytes).map((h) => h.slice(0, -1)),
        hex(bytes).map((h) => `${h}0`),
        hex(bytes).map((h) => `${h}\n`),
        hex(bytes).map((h) => h.slice(2)),
        fc.string(),
        fc.integer(),
      );
    const entry = fc.oneof(
      fc.record({ salt: nearHex(16) }),
      fc.record({ digest: nearHex(32) }),
      fc.record({ salt: nearHex(16), digest: nearHex(32) }),
      fc.record({ salt: nearHex(16), extra: fc.string() }),
      fc.constant({}),
      fc.constant(null),
      fc.constant([]),
      fc.string(),
    );
    const path = fc.oneof(
      fc.constantFrom(
        "/name",
        "/credentialSubject/email",
        "/",
        "//",
        "/\n",
        "name",
        "",
        "__proto__",
        "/x".repeat(150),
      ),
      fc.string({ maxLength: 310 }).map((s) => `/${s}`),
      fc.string({ maxLength: 5 }),
    );
    const claims = fc.oneof(
      fc.dictionary(path, entry, { maxKeys: 6 }),
      fc.constantFrom(null, [], "claims", 3),
    );
    let accepted = 0;
    fc.assert(
      fc.property(claims, (value) => {
        // As checkCredentialJson gets it: a value JSON.parse made.
        const parsed = JSON.parse(JSON.stringify(value));
        const fast = isClaimsRecord(parsed);
        if (fast) accepted++;
        // Never more lenient; equal on every well-formed record.
        if (fast) expect(record.safeParse(parsed).success).to.equal(true);
        else if (record.safeParse(parsed).success) expect(JSON.stringify(parsed)).to.include("__proto__");
      }),
      { numRuns: 3000 },
    );
    expect(accepted).to.be.greaterThan(100);
    for (const doc of batch) expect(isClaimsRecord(clone(doc).commitment.claims)).to.equal(true);
  });
});
