// Work kept across a run (schema-valid sections by their JSON text, known public keys, Merkle pair hashes) never
// changes a verdict: after the siblings of a batch were checked, every change to one credential is still caught,
// by the same check and with the same schema issues as without the memo.

import { expect } from "chai";
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
});
