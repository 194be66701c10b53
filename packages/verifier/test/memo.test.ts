// A run keeps work across its credentials (schema-valid sections by their JSON text, the signer's public key, a
// batch's Merkle pair hashes, profile and metadata hashes): after the siblings of a batch verified, a changed
// credential among them still fails, at the check that catches it without any memo, and the siblings still pass.

import type { Credential } from "@intyg/credential";
import { expect } from "chai";
import { recordSnapshot, type VerificationReport, verifyCredentials } from "../src";
import { clone, createFixture, type Fixture } from "./fixture";

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely
type Json = Record<string, any>;

function failedCheck(report: VerificationReport): string {
  const failed = report.checks.find((check) => check.status === "failed");
  return failed ? `${failed.id}:${failed.code}` : "verified";
}

describe("a run's memos", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let batch: Credential[];
  let texts: string[];
  let snapshot: Awaited<ReturnType<typeof recordSnapshot>>;

  before(async () => {
    fx = await createFixture();
    batch = await fx.issueBatch(40);
    texts = batch.map((credential) => JSON.stringify(credential));
    snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
  });
  after(async () => {
    await fx?.stop();
  });

  const changes: [string, (doc: Json) => void, string][] = [
    ["the issuer's name", (doc) => (doc.issuer.name = "Region Annan"), "integrity:root-mismatch"],
    ["the issuer's url, to an invalid one", (doc) => (doc.issuer.url = "inte en url"), "format:schema"],
    [
      "the achievement's name",
      (doc) => (doc.credentialSubject.achievement.name = "Annat"),
      "integrity:root-mismatch",
    ],
    [
      "an achievement part, to an invalid kind",
      (doc) => (doc.credentialSubject.achievement.parts[0].kind = "x"),
      "format:schema",
    ],
    ["the subject's name", (doc) => (doc.credentialSubject.name = "Någon annan"), "integrity:root-mismatch"],
    [
      "a claim's salt",
      (doc) => (doc.commitment.claims["/name"].salt = `0x${"ab".repeat(16)}`),
      "integrity:root-mismatch",
    ],
    [
      "the proof's signature",
      (doc) => (doc.proof[0].proofValue = `0x${"11".repeat(32)}${doc.proof[0].proofValue.slice(66)}`),
      "signature:invalid-signature",
    ],
    [
      "the signed deadline",
      (doc) => (doc.proof[0].eip712.message.deadline = "1"),
      "signature:signer-mismatch",
    ],
    [
      "the proof's type member",
      (doc) => (doc.proof[0].eip712.types.IssueRequest[0].name = "x"),
      "format:schema",
    ],
    [
      "a batch proof node",
      (doc) => (doc.anchor.batch.proof[0] = `0x${"cd".repeat(32)}`),
      "signature:batch-proof-invalid",
    ],
    [
      "the batch leaf",
      (doc) => (doc.anchor.batch.leaf = doc.anchor.batch.proof[0]),
      "signature:batch-leaf-mismatch",
    ],
  ];

  for (const [what, change, expected] of changes) {
    it(`fails a credential among verified siblings after a change to ${what}`, async () => {
      const options = { snapshot, registry: fx.registry };
      // Warm: every sibling verified in this process, then the changed one in the middle of a run of them.
      const warm = await verifyCredentials(texts, options);
      expect(warm.every((report) => report.verified)).to.equal(true);
      const changed = clone(batch[20]!) as Json;
      change(changed);
      const inputs = [...texts.slice(0, 20), JSON.stringify(changed), ...texts.slice(21)];
      const reports = await verifyCredentials(inputs, options);
      expect(failedCheck(reports[20]!)).to.equal(expected);
      expect(reports.filter((report) => !report.verified)).to.have.length(1);
      // As a parsed value (no JSON-text memo), the same verdict.
      const [asValue] = await verifyCredentials([changed], options);
      expect(failedCheck(asValue!)).to.equal(expected);
    });
  }

  it("refuses a duplicated key and verifies another layout of the same credential", async () => {
    const options = { snapshot, registry: fx.registry };
    const duplicated = `{"name":"Annat",${texts[5]!.slice(1)}`;
    const pretty = JSON.stringify(batch[6], null, 2);
    const reports = await verifyCredentials([texts[4]!, duplicated, pretty], options);
    expect(reports.map(failedCheck)).to.deep.equal(["verified", "format:duplicate-key", "verified"]);
  });

  it("fails a credential naming a known signer whose signature has the other recovery bit", async () => {
    const options = { snapshot, registry: fx.registry };
    await verifyCredentials(texts, options);
    const changed = clone(batch[7]!) as Json;
    const signature: string = changed.proof[0].proofValue;
    changed.proof[0].proofValue = `${signature.slice(0, 130)}${signature.endsWith("1b") ? "1c" : "1b"}`;
    const [report] = await verifyCredentials([texts[8]!, JSON.stringify(changed)], options).then((r) =>
      r.slice(1),
    );
    expect(failedCheck(report!)).to.equal("signature:signer-mismatch");
  });
});
