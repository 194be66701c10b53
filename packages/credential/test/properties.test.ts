// Property tests (fast-check): any change to what a credential commits to or signs makes verification fail;
// encoding, decoding and disclosure round-trip; and the checks never throw on hostile input.
import { isDeepStrictEqual } from "node:util";

import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";
import {
  buildAttendanceCredential,
  buildBatch,
  type Credential,
  checkIntegrity,
  checkProofBinding,
  checkProofSignature,
  commitmentRoot,
  createSignerCache,
  credentialSchema,
  decodeShareFragment,
  discloseCredential,
  encodeShareFragment,
  hideableClaimPaths,
  isOrganisationNumber,
  luhnCheckDigit,
  ShareLinkError,
  signBatch,
  signCredential,
  type UnsignedCredential,
} from "../src";
import { bytesToHex } from "../src/viem";
import {
  account,
  batchDocuments,
  CHAIN_ID,
  clone,
  conference,
  DEADLINE,
  EVENT_ID,
  issuer,
  leaves,
  makeFixtures,
  mutate,
  REGISTRY,
  setAt,
  verifyOffline,
} from "./helpers";

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely
type Json = Record<string, any>;

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b));
const distinctBytes32 = (max: number) => fc.uniqueArray(bytes32, { minLength: 1, maxLength: max });
/** A non-blank text in any script (grapheme clusters of all of Unicode). */
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);

describe("properties", function () {
  this.timeout(120_000);
  let single: Credential;
  let disclosed: Credential;
  let course: Credential;
  let batched: Credential[];
  before(async () => {
    const fixtures = await makeFixtures();
    single = fixtures["attendance-credential"] as Credential;
    disclosed = fixtures["disclosed-credential"] as Credential;
    course = fixtures["course-credential"] as Credential;
    batched = (fixtures.batch as { credentials: Credential[] }).credentials;
  });
  const samples = () => [single, disclosed, course, ...batched];

  it("the commitment root is SimpleMerkleTree.of over the digests, in any order", () => {
    fc.assert(
      fc.property(distinctBytes32(40), (digests) => {
        const root = SimpleMerkleTree.of(digests).root;
        expect(commitmentRoot(digests)).to.equal(root);
        expect(commitmentRoot([...digests].reverse())).to.equal(root);
      }),
      { numRuns: 100 },
    );
  });

  it("the batch tree is StandardMerkleTree.of over [root] leaves, with the same proofs", () => {
    const template = batchDocuments()[0]!;
    fc.assert(
      fc.property(distinctBytes32(50), (roots) => {
        const docs: UnsignedCredential[] = roots.map((root) => ({
          ...template,
          commitment: { ...template.commitment, root: root as `0x${string}` },
        }));
        const batch = buildBatch(docs);
        const reference = StandardMerkleTree.of(
          roots.map((root) => [root]),
          ["bytes32"],
        );
        expect(batch.root).to.equal(reference.root);
        expect(batch.tree).to.deep.equal(reference.dump());
        batch.credentials.forEach((credential, i) => {
          expect(credential.anchor.batch!.proof).to.deep.equal(reference.getProof(i));
        });
      }),
      { numRuns: 50 },
    );
  });

  it("changing any value of a credential (claim, salt, hash, proof, signature, date, id) fails verification", async () => {
    const cache = createSignerCache();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), async (which, where, seed) => {
        const doc = samples()[which % samples().length]!;
        // `proof.created` is unsigned metadata of the proof; everything else is committed to or signed.
        const candidates = leaves(doc).filter((leaf) => leaf.path.join("/") !== "proof/0/created");
        const leaf = candidates[where % candidates.length]!;
        const changed = clone(doc);
        setAt(changed, leaf.path, mutate(leaf.value, seed));
        const verdict = await verifyOffline(changed, cache);
        if (verdict === true) expect.fail(`accepted a change at /${leaf.path.join("/")}`);
      }),
      { numRuns: Number(process.env.INTYG_PROPERTY_RUNS ?? 400) },
    );
  });

  it("changing a salt or a hidden digest breaks integrity", () => {
    fc.assert(
      fc.property(fc.nat(), bytes32, fc.boolean(), (where, replacement, hidden) => {
        const doc = clone(hidden ? disclosed : single) as Json;
        const entries = Object.entries(doc.commitment.claims as Record<string, Json>).filter(([, entry]) =>
          hidden ? "digest" in entry : "salt" in entry,
        );
        const [path, entry] = entries[where % entries.length]!;
        const value = hidden ? replacement : replacement.slice(0, 34);
        fc.pre(value !== (hidden ? entry.digest : entry.salt));
        doc.commitment.claims[path] = hidden ? { digest: value } : { salt: value };
        expect(checkIntegrity(doc)).to.deep.equal({ ok: false, reason: "root-mismatch" });
      }),
      { numRuns: 200 },
    );
  });

  it("changing a batch proof element, leaf or root breaks the binding", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), bytes32, (which, where, replacement) => {
        const doc = clone(batched[which % batched.length]!) as Json;
        const batch = doc.anchor.batch as { proof: string[]; leaf: string; root: string };
        const target = where % (batch.proof.length + 2);
        if (target < batch.proof.length) {
          fc.pre(batch.proof[target] !== replacement);
          batch.proof[target] = replacement;
        } else if (target === batch.proof.length) {
          fc.pre(batch.leaf !== replacement);
          batch.leaf = replacement;
        } else {
          fc.pre(batch.root !== replacement);
          batch.root = replacement;
        }
        expect(checkProofBinding(doc).ok).to.equal(false);
      }),
      { numRuns: 200 },
    );
  });

  it("changing any signature byte breaks the signature", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 64 }), fc.integer({ min: 1, max: 255 }), async (index, delta) => {
        const doc = clone(single) as Json;
        const signature = doc.proof[0].proofValue as string;
        const at = 2 + index * 2;
        const byte = (Number.parseInt(signature.slice(at, at + 2), 16) + delta) % 256;
        doc.proof[0].proofValue = `${signature.slice(0, at)}${byte.toString(16).padStart(2, "0")}${signature.slice(at + 2)}`;
        expect((await checkProofSignature(doc)).ok).to.equal(false);
      }),
      { numRuns: 150 },
    );
  });

  it("changing a date or an id breaks integrity", () => {
    const dates: [string[], boolean][] = [
      [["validFrom"], true],
      [["credentialSubject", "achievement", "startDate"], false],
      [["credentialSubject", "achievement", "endDate"], false],
      [["credentialSubject", "achievement", "parts", "0", "date"], false],
      [["credentialSubject", "birthDate"], false],
    ];
    fc.assert(
      fc.property(
        fc.nat({ max: dates.length }),
        fc.integer({ min: -4000, max: 4000 }).filter((d) => d !== 0),
        fc.uuid({ version: 4 }),
        (which, days, uuid) => {
          const doc = clone(single) as Json;
          if (which === dates.length) {
            fc.pre(`urn:uuid:${uuid}` !== doc.id);
            doc.id = `urn:uuid:${uuid}`;
          } else {
            const [path, withTime] = dates[which]!;
            const node = path.slice(0, -1).reduce((n, key) => n[key], doc as Json);
            const key = path[path.length - 1]!;
            const moved = new Date(Date.parse(node[key]) + days * 86_400_000).toISOString();
            node[key] = withTime ? `${moved.slice(0, 19)}Z` : moved.slice(0, 10);
          }
          expect(checkIntegrity(doc).ok).to.equal(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("names, places and organisations in any script round-trip through sign, share link and decode", async () => {
    const cache = createSignerCache();
    await fc.assert(
      fc.asyncProperty(text, text, text, async (name, organisation, location) => {
        const doc = buildAttendanceCredential({
          chainId: CHAIN_ID,
          registry: REGISTRY,
          eventId: EVENT_ID,
          issuer,
          event: { ...conference, location },
          subject: { name, organisation },
        });
        const signed = await signCredential(doc, { account, deadline: DEADLINE });
        const decoded = decodeShareFragment(encodeShareFragment(signed));
        expect(decoded).to.deep.equal(signed);
        expect(decoded.credentialSubject.name).to.equal(name);
        expect(await verifyOffline(decoded, cache)).to.equal(true);
      }),
      { numRuns: 40 },
    );
  });

  it("disclosure of any subset verifies, hides its values and composes", async () => {
    const cache = createSignerCache();
    const hideable = () => hideableClaimPaths(single);
    await fc.assert(
      fc.asyncProperty(fc.subarray(hideable()), fc.subarray(hideable()), async (first, second) => {
        const once = discloseCredential(single, { hide: first });
        const twice = discloseCredential(once, { hide: second });
        expect(twice).to.deep.equal(
          discloseCredential(single, { hide: [...new Set([...first, ...second])] }),
        );
        expect(await verifyOffline(twice, cache)).to.equal(true);
        const json = JSON.stringify(twice);
        for (const path of [...first, ...second]) {
          const property = path.split("/").pop()!;
          expect(twice.credentialSubject).not.to.have.property(property);
          const value = JSON.stringify((single.credentialSubject as Json)[property]);
          if (value.length > 8) expect(json).not.to.contain(value);
        }
        expect(decodeShareFragment(encodeShareFragment(twice))).to.deep.equal(twice);
      }),
      { numRuns: 60 },
    );
  });

  it("the checks never throw, whatever they are given", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.nat(), async (value, where) => {
        const doc = clone(single) as Json;
        const targets = leaves(doc);
        const target = targets[where % targets.length]!;
        setAt(doc, target.path, value);
        for (const input of [value, doc]) {
          expect(() => credentialSchema.safeParse(input)).not.to.throw();
          expect(() => checkIntegrity(input)).not.to.throw();
          expect(() => checkProofBinding(input)).not.to.throw();
          await checkProofSignature(input);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a damaged or arbitrary share fragment gives a ShareLinkError or a credential that does not verify", async () => {
    const fragment = encodeShareFragment(single);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.nat({ max: fragment.length - 1 }).map((n) => fragment.slice(0, n)),
          fc
            .tuple(fc.nat({ max: fragment.length - 4 }), fc.nat({ max: 63 }))
            .map(([at, c]) => `${fragment.slice(0, 3 + at)}${alphabet[c]}${fragment.slice(4 + at)}`),
        ),
        async (input) => {
          let decoded: Credential;
          try {
            decoded = decodeShareFragment(input);
          } catch (error) {
            expect(error).to.be.instanceOf(ShareLinkError);
            return;
          }
          if (input !== fragment) {
            // The same credential (keys in any order; `proof.created` is documented as unsigned) may verify.
            const withoutCreated = (c: Credential) => ({
              ...c,
              proof: [{ ...c.proof[0], created: undefined }],
            });
            const equal = isDeepStrictEqual(withoutCreated(decoded), withoutCreated(single));
            if (!equal) expect(await verifyOffline(decoded)).not.to.equal(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("organisation numbers: the Luhn digit makes any nine digits valid, and only that digit", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 1, max: 9 }), (nine, delta) => {
        const check = luhnCheckDigit(nine);
        const format = (last: number) => `${nine.slice(0, 6)}-${nine.slice(6)}${last}`;
        expect(isOrganisationNumber(format(check))).to.equal(true);
        expect(isOrganisationNumber(format((check + delta) % 10))).to.equal(false);
      }),
      { numRuns: 300 },
    );
  });

  it("signing a batch of any size gives every credential the same verifying proof", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), async (count) => {
        const batch = await signBatch(buildBatch(batchDocuments().slice(0, count)), {
          account,
          deadline: DEADLINE,
        });
        const cache = createSignerCache();
        for (const credential of batch.credentials)
          expect(await verifyOffline(clone(credential), cache)).to.equal(true);
        expect(cache.signers.size).to.equal(1);
      }),
      { numRuns: 5 },
    );
  });
});
