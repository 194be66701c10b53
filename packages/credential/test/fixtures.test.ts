// The committed test vectors: recomputed by scripts/make-fixtures.ts and compared byte for byte, and checked
// by an independent path (canonicalize, viem and OpenZeppelin used directly) as another implementation would.

import { readFileSync } from "node:fs";
import path from "node:path";
import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import canonicalize from "canonicalize";
import { expect } from "chai";
import { recoverTypedDataAddress } from "viem";
import { type Credential, decodeShareFragment } from "../src";
import { keccak256, stringToBytes } from "../src/viem";
import { FIXTURES_DIR, fixtureText, makeFixtures, verifyOffline } from "./helpers";

type Expected = {
  signer: string;
  attendance: { credentialHash: string; claimDigests: Record<string, string>; proofDigest: string };
  disclosed: { credentialHash: string; hidden: string[]; shareFragment: string };
  course: { credentialHash: string; claimDigests: Record<string, string>; proofDigest: string };
  batch: { root: string; size: number; credentialHashes: string[]; leaves: string[]; proofDigest: string };
};

function read(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${name}.json`), "utf8"));
}

/** Claim digests computed from the document with canonicalize and keccak256 alone. */
function independentDigests(doc: Record<string, unknown>): Record<string, string> {
  const claims = (doc.commitment as { claims: Record<string, { salt?: string; digest?: string }> }).claims;
  const subject = doc.credentialSubject as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [pointer, entry] of Object.entries(claims)) {
    if (entry.digest !== undefined) {
      out[pointer] = entry.digest;
      continue;
    }
    const [, first, second] = pointer.split("/");
    const value = first === "credentialSubject" ? subject[second!] : doc[first!];
    out[pointer] = keccak256(stringToBytes(canonicalize([entry.salt, pointer, value])!));
  }
  return out;
}

async function independentSigner(doc: Credential): Promise<string> {
  const { domain, types, message } = doc.proof[0].eip712;
  return recoverTypedDataAddress({
    domain,
    types,
    primaryType: "IssueRequest",
    message: {
      ...message,
      eventId: BigInt(message.eventId),
      validUntil: BigInt(message.validUntil),
      deadline: BigInt(message.deadline),
    },
    signature: doc.proof[0].proofValue,
  });
}

describe("test vectors (test/fixtures)", () => {
  let fixtures: Record<string, unknown>;
  before(async () => {
    fixtures = await makeFixtures();
  });

  it("are what scripts/make-fixtures.ts writes, byte for byte", () => {
    for (const [name, value] of Object.entries(fixtures)) {
      const committed = readFileSync(path.join(FIXTURES_DIR, `${name}.json`), "utf8");
      expect(
        fixtureText(value),
        `${name}.json is stale: run pnpm --filter @intyg/credential fixtures`,
      ).to.equal(committed);
    }
  });

  it("verify: schema, integrity, binding and signature", async () => {
    for (const name of ["attendance-credential", "disclosed-credential", "course-credential"]) {
      expect(await verifyOffline(read(name)), name).to.equal(true);
    }
    for (const credential of (read("batch") as { credentials: unknown[] }).credentials) {
      expect(await verifyOffline(credential)).to.equal(true);
    }
  });

  it("hold the expected hashes and signer, recomputed independently", async () => {
    const expected = read("expected") as Expected;
    const attendance = read("attendance-credential") as Credential;
    const disclosed = read("disclosed-credential") as Credential;
    const course = read("course-credential") as Credential;
    const batch = read("batch") as { root: string; size: number; credentials: Credential[] };

    for (const [doc, vectors] of [
      [attendance, expected.attendance],
      [course, expected.course],
    ] as const) {
      const digests = independentDigests(doc as unknown as Record<string, unknown>);
      expect(digests).to.deep.equal(vectors.claimDigests);
      expect(SimpleMerkleTree.of(Object.values(digests)).root).to.equal(vectors.credentialHash);
      expect(doc.commitment.root).to.equal(vectors.credentialHash);
      expect(await independentSigner(doc)).to.equal(expected.signer);
    }

    const disclosedDigests = independentDigests(disclosed as unknown as Record<string, unknown>);
    expect(disclosedDigests).to.deep.equal(expected.attendance.claimDigests);
    expect(SimpleMerkleTree.of(Object.values(disclosedDigests)).root).to.equal(
      expected.disclosed.credentialHash,
    );
    expect(decodeShareFragment(expected.disclosed.shareFragment)).to.deep.equal(disclosed);
    for (const hidden of expected.disclosed.hidden) {
      expect(disclosed.commitment.claims[hidden]).to.have.property("digest");
    }

    const tree = StandardMerkleTree.of(
      expected.batch.credentialHashes.map((hash) => [hash]),
      ["bytes32"],
    );
    expect(tree.root).to.equal(expected.batch.root);
    expect(batch.root).to.equal(expected.batch.root);
    for (const [i, credential] of batch.credentials.entries()) {
      expect(credential.commitment.root).to.equal(expected.batch.credentialHashes[i]);
      expect(credential.anchor.batch!.leaf).to.equal(expected.batch.leaves[i]);
      expect(credential.anchor.batch!.proof).to.deep.equal(tree.getProof(i));
      expect(await independentSigner(credential)).to.equal(expected.signer);
    }
  });
});
