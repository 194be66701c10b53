import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import {
  BatchError,
  batchLeafHash,
  buildBatch,
  buildCourseCredential,
  commitCredential,
  signBatch,
  type UnsignedCredential,
  verifyBatchProof,
} from "../src";
import {
  account,
  attendanceDocument,
  batchDocuments,
  CHAIN_ID,
  COURSE_EVENT_ID,
  course,
  DEADLINE,
  issuer,
  REGISTRY,
  verifyOffline,
} from "./helpers";

function freshDocument(name: string): UnsignedCredential {
  const { commitment: _commitment, ...body } = attendanceDocument();
  return commitCredential({ ...body, credentialSubject: { ...body.credentialSubject, name } });
}

describe("batches", () => {
  it("give each credential its leaf and the library's Merkle proof", () => {
    const docs = batchDocuments();
    const batch = buildBatch(docs);
    const reference = StandardMerkleTree.of(
      docs.map((d) => [d.commitment.root]),
      ["bytes32"],
    );
    expect(batch.root).to.equal(reference.root);
    expect(batch.tree).to.deep.equal(reference.dump());
    expect(StandardMerkleTree.load(batch.tree).root).to.equal(batch.root);
    expect(batch.size).to.equal(5);
    expect(batch.eventId).to.equal((1n << 32n) | 1n);
    expect(batch.validUntil).to.equal(0n);
    for (const [i, credential] of batch.credentials.entries()) {
      const anchor = credential.anchor;
      expect(anchor).to.deep.include({
        type: "IntygRegistryAnchor2026",
        chainId: CHAIN_ID,
        registry: REGISTRY,
      });
      expect(anchor.batch!.root).to.equal(batch.root);
      expect(anchor.batch!.size).to.equal(5);
      expect(anchor.batch!.leaf).to.equal(reference.leafHash([docs[i]!.commitment.root]));
      expect(anchor.batch!.leaf).to.equal(batchLeafHash(docs[i]!.commitment.root));
      expect(anchor.batch!.proof).to.deep.equal(reference.getProof(i));
      expect(verifyBatchProof(batch.root, credential.commitment.root, anchor.batch!.proof)).to.equal(true);
      expect(verifyBatchProof(batch.root, docs[(i + 1) % 5]!.commitment.root, anchor.batch!.proof)).to.equal(
        false,
      );
    }
  });

  it("work for one credential (the leaf is the root, the proof is empty)", async () => {
    const batch = await signBatch(buildBatch([attendanceDocument()]), { account, deadline: DEADLINE });
    expect(batch.credentials[0]!.anchor.batch).to.deep.equal({
      root: batch.root,
      leaf: batch.root,
      proof: [],
      size: 1,
    });
    expect(await verifyOffline(batch.credentials[0])).to.equal(true);
  });

  it("carry a shared validUntil into the signed request", async () => {
    const docs = ["Åsa", "Σωκράτης"].map((name) =>
      buildCourseCredential({
        chainId: CHAIN_ID,
        registry: REGISTRY,
        eventId: COURSE_EVENT_ID,
        issuer,
        course,
        validUntil: "2029-05-31T23:59:59Z",
        subject: { name },
      }),
    );
    const batch = await signBatch(buildBatch(docs), { account, deadline: DEADLINE });
    expect(batch.proof.eip712.message.validUntil).to.equal(String(Date.parse("2029-05-31T23:59:59Z") / 1000));
    for (const credential of batch.credentials) expect(await verifyOffline(credential)).to.equal(true);
  });

  it("refuse no credentials, duplicates, mixed events or validity, and (when asked) broken commitments", () => {
    const docs = batchDocuments();
    expect(() => buildBatch([])).to.throw(BatchError, /at least one/);
    expect(() => buildBatch([docs[0]!, docs[1]!, docs[0]!]))
      .to.throw(BatchError, /Duplicate/)
      .with.property("details")
      .that.deep.equals({ index: 2 });
    const course1 = buildCourseCredential({
      chainId: CHAIN_ID,
      registry: REGISTRY,
      eventId: COURSE_EVENT_ID,
      issuer,
      course,
      subject: {},
    });
    expect(() => buildBatch([docs[0]!, course1])).to.throw(BatchError, /share chain, registry and event/);
    const expiring = { ...docs[1]!, validUntil: "2029-01-01T00:00:00Z" };
    expect(() => buildBatch([docs[0]!, expiring])).to.throw(BatchError, /validUntil/);
    const broken = { ...docs[1]!, name: "Annat" };
    expect(() => buildBatch([docs[0]!, broken])).not.to.throw();
    expect(() => buildBatch([docs[0]!, broken], { checkIntegrity: true }))
      .to.throw(BatchError, /integrity/)
      .with.property("details")
      .that.deep.equals({ index: 1, reason: "root-mismatch" });
  });

  it("handle 100,000 credentials: tree, every proof, one signature", async function () {
    this.timeout(180_000);
    const size = 100_000;
    const template = attendanceDocument();
    const realAt = [0, 54_321, size - 1];
    const docs: UnsignedCredential[] = new Array(size);
    for (let i = 0; i < size; i++) {
      // Stand-ins with distinct roots (building 100,000 real credentials would hash 1.3 million claims).
      docs[i] = {
        ...template,
        commitment: { ...template.commitment, root: `0x${(i + 1).toString(16).padStart(64, "0")}` },
      };
    }
    for (const i of realAt) docs[i] = freshDocument(`Deltagare ${i}`);

    let started = Date.now();
    const batch = buildBatch(docs);
    const built = Date.now() - started;
    started = Date.now();
    const signed = await signBatch(batch, { account, deadline: DEADLINE });
    const signedIn = Date.now() - started;
    console.log(`      (100,000 credentials: tree and proofs in ${built} ms, signed in ${signedIn} ms)`);

    expect(signed.size).to.equal(size);
    expect(signed.credentials).to.have.length(size);
    expect(signed.proof.eip712.message.batchSize).to.equal(size);
    for (const credential of signed.credentials) {
      const anchor = credential.anchor.batch!;
      if (
        anchor.root !== signed.root ||
        anchor.size !== size ||
        anchor.proof.length < 16 ||
        anchor.proof.length > 17
      ) {
        expect.fail("a credential lacks its batch anchor");
      }
      if (credential.proof[0] !== signed.proof) expect.fail("a credential lacks the batch proof");
    }
    for (let k = 0; k < 200; k++) {
      const i = (k * 7919) % size;
      const credential = signed.credentials[i]!;
      expect(
        verifyBatchProof(signed.root, credential.commitment.root, credential.anchor.batch!.proof),
      ).to.equal(true);
      if (k < 20) {
        const leaf = batch.tree.values[i]!;
        expect(leaf.value).to.deep.equal([credential.commitment.root]);
        expect(batch.tree.tree[leaf.treeIndex]).to.equal(credential.anchor.batch!.leaf);
      }
    }
    for (const i of realAt)
      expect(await verifyOffline(JSON.parse(JSON.stringify(signed.credentials[i])))).to.equal(true);
  });
});
