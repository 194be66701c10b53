// Every mutation of every field of three real documents — a single credential, a credential of a batch (with
// its Merkle proof) and a presentation of a credential with hidden claims — one at a time: each leaf's
// character, case, type or value; each property and array item deleted; each array reversed and grown; each
// object given an extra property; each property written twice in the text. The fields are found by walking
// the documents. Only the mutations listed in UNCOMMITTED may still verify, so a new field that nothing
// signs or commits to makes this test fail; and each rejection must name a specific reason from the check
// that guards the field.

import { type Credential, discloseCredential } from "@intyg/credential";
import { expect } from "chai";
import {
  createPresentation,
  holderDid,
  type VerifiablePresentation,
  type VerificationReport,
  verifyCredentials,
  verifyPresentation,
} from "../src";
import { account, clone, createFixture, type Fixture } from "./fixture";
import { type Mutant, type MutationKind, mutants, reverseKeys } from "./mutate";

type Case = "a single credential" | "a credential of a batch" | "a presentation with hidden claims";

/**
 * The mutations that still verify, and why.
 * - `created` of a proof is informative: the issuer's EIP-712 request has no time in it (the issuance time a
 *   verifier reports is the anchoring block's). A presentation has none: the holder's signature covers the
 *   canonical hash of the whole presentation, both proofs' creation times included.
 * (The issuer proof's `verificationMethod` names the key that must recover from the signature; a spelling of
 * its address with a broken EIP-55 checksum is refused by the schema, as for every other address field.)
 */
const UNCOMMITTED: Record<Case, string[]> = {
  "a single credential": ["/proof/0/created flip"],
  "a credential of a batch": ["/proof/0/created flip"],
  // The holder signs the whole presentation (its canonical hash), the proofs' creation times included.
  "a presentation with hidden claims": [],
};

const ALL_KINDS: MutationKind[] = [
  "flip",
  "case",
  "type",
  "null",
  "delete",
  "reverse",
  "grow",
  "extra-key",
  "duplicate-key",
];

/** The checks allowed to reject a mutation of a field: the ones that guard it. */
function guards(pointer: string, presentation: boolean): string[] {
  let rest = pointer;
  if (presentation) {
    // The credential's only unsigned field is still covered by the holder's signature of the whole presentation.
    if (rest === "/verifiableCredential/0/proof/0/created") return ["format", "holder"];
    if (!rest.startsWith("/verifiableCredential/0/")) {
      // The envelope (holder, challenge, domain, signature), or the credential list itself: the holder's
      // signature covers both (a presentation may hold any number of credentials, so only it guards the list).
      return ["format", "holder"];
    }
    rest = rest.slice("/verifiableCredential/0".length);
  }
  if (rest.startsWith("/proof") || rest.startsWith("/anchor")) return ["format", "signature"];
  // Claims and the commitment: the schema, else the salted digests and their root.
  return ["format", "integrity"];
}

const SPECIFIC_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe("mutation: every change to a signed or committed field fails", function () {
  this.timeout(120_000);
  let fx: Fixture;
  const holder = account(3);
  const challenge = "2f0c8e1a-6b1d-4c38-9d0e-5a7b3c2d1e0f";
  const domain = "rekrytering.example.se";
  const documents = {} as Record<Case, Credential | VerifiablePresentation>;
  const results = {} as Record<
    Case,
    { mutants: Mutant[]; baseline: VerificationReport; reports: VerificationReport[] }
  >;

  before(async () => {
    fx = await createFixture();
    const now = await fx.latestTimestamp();
    const single = await fx.issue({
      validUntil: new Date((now + 365 * 86_400) * 1000),
      subject: {
        id: holderDid(31337, holder.address),
        name: "Anna Andersson",
        email: "anna@example.se",
        birthDate: "1980-02-29",
        organisation: "Exempels kommun",
        role: "hackathon-team-member",
        team: "Team Blåbär",
        partsAttended: ["networking", "hackathon"],
        result: [{ type: ["Result"], status: "Completed" }],
      },
    });
    const batched = (await fx.issueBatch(5, { course: true }))[2]!;
    const disclosed = discloseCredential(single, {
      hide: ["/credentialSubject/email", "/credentialSubject/birthDate", "/credentialSubject/team"],
    });
    documents["a single credential"] = single;
    documents["a credential of a batch"] = batched;
    documents["a presentation with hidden claims"] = await createPresentation({
      credential: disclosed,
      account: holder,
      challenge,
      domain,
    });

    const options = { rpcUrl: fx.rpcUrl, registry: fx.registry, lang: "en" as const };
    for (const name of ["a single credential", "a credential of a batch"] as const) {
      const list = mutants(documents[name]);
      const [baseline, ...reports] = await verifyCredentials(
        [documents[name], ...list.map((m) => m.document)],
        options,
      );
      results[name] = { mutants: list, baseline: baseline!, reports };
    }
    const vp = "a presentation with hidden claims";
    const list = mutants(documents[vp]);
    const verify = (doc: unknown) => verifyPresentation(doc, { ...options, challenge, domain });
    const reports: VerificationReport[] = [];
    for (const mutant of list) reports.push(await verify(mutant.document));
    results[vp] = { mutants: list, baseline: await verify(documents[vp]), reports };
  });
  after(async () => {
    await fx?.stop();
  });

  for (const name of Object.keys(UNCOMMITTED) as Case[]) {
    it(`${name}: the original verifies, and only the documented uncommitted mutations do`, () => {
      const { mutants: list, baseline, reports } = results[name];
      expect(baseline.verified, JSON.stringify(baseline.checks)).to.equal(true);
      // Every kind of mutation was made, on every field.
      expect(new Set(list.map((m) => m.kind))).to.deep.equal(new Set(ALL_KINDS));
      expect(list.length).to.be.greaterThan(500);
      const passing = list.flatMap((mutant, i) => (reports[i]!.verified ? [mutant.label] : []));
      expect(passing, "mutations that still verify").to.deep.equal(UNCOMMITTED[name]);
    });

    it(`${name}: each rejected mutation names a specific reason from the check guarding the field`, () => {
      const { mutants: list, reports } = results[name];
      const presentation = name === "a presentation with hidden claims";
      const wrong: string[] = [];
      const reasons = new Map<string, string>();
      for (const [i, mutant] of list.entries()) {
        const report = reports[i]!;
        if (report.verified) continue;
        const failed = report.checks.find((check) => check.status === "failed");
        const reason = failed ? `${failed.id}:${failed.code}` : "no failed check";
        reasons.set(mutant.label, reason);
        const allowed =
          mutant.kind === "duplicate-key" ? ["format"] : guards(mutant.label.split(" ")[0]!, presentation);
        if (
          !failed ||
          !allowed.includes(failed.id) ||
          !SPECIFIC_CODE.test(failed.code) ||
          failed.code === "depends-on-failed-check" ||
          (mutant.kind === "duplicate-key" && failed.code !== "duplicate-key") ||
          failed.message.length === 0
        ) {
          wrong.push(`${mutant.label} → ${reason}`);
        }
      }
      expect(wrong, "rejections without a specific reason from the guarding check").to.deep.equal([]);

      // The reasons of a few fields, exactly: what each part of the document is bound by.
      const prefix = presentation ? "/verifiableCredential/0" : "";
      const salts = [...reasons].filter(([label]) =>
        /\/commitment\/claims\/[^/]+\/(salt|digest) flip$/.test(label),
      );
      expect(salts.length).to.be.greaterThan(5);
      for (const [label, reason] of salts) expect(reason, label).to.equal("integrity:root-mismatch");
      expect(reasons.get(`${prefix}/commitment/root flip`)).to.equal("integrity:root-mismatch");
      expect(reasons.get(`${prefix}/proof/0/proofValue flip`)).to.match(
        /^signature:(signer-mismatch|invalid-signature)$/,
      );
      expect(reasons.get(`${prefix}/proof/0/eip712/message/eventId flip`)).to.equal(
        "signature:event-mismatch",
      );
      expect(reasons.get(`${prefix}/anchor/chainId flip`)).to.equal("signature:chain-mismatch");
      expect(reasons.get(`${prefix}/credentialSubject/name flip`)).to.equal("integrity:root-mismatch");
      expect(reasons.get(`${prefix}/credentialSubject/achievement/name flip`)).to.equal(
        "integrity:root-mismatch",
      );
      if (name === "a credential of a batch") {
        expect(reasons.get("/anchor/batch/proof/0 flip")).to.equal("signature:batch-proof-invalid");
        expect(reasons.get("/anchor/batch/proof reverse")).to.equal("signature:batch-proof-invalid");
        expect(reasons.get("/anchor/batch/leaf flip")).to.equal("signature:batch-leaf-mismatch");
        expect(reasons.get("/anchor/batch/root flip")).to.equal("signature:batch-root-mismatch");
        expect(reasons.get("/anchor/batch/size flip")).to.equal("signature:batch-size-mismatch");
      } else {
        expect(reasons.get(`${prefix}/credentialSubject/partsAttended reverse`)).to.equal(
          "integrity:root-mismatch",
        );
        expect(reasons.get(`${prefix}/proof/0/eip712/message/commitment flip`)).to.equal(
          "signature:commitment-mismatch",
        );
      }
      if (presentation) {
        expect(reasons.get("/proof/challenge flip")).to.equal("holder:challenge-mismatch");
        expect(reasons.get("/proof/domain flip")).to.equal("holder:domain-mismatch");
        expect(reasons.get("/proof/proofValue flip")).to.equal("holder:invalid-signature");
        expect(reasons.get("/holder flip")).to.equal("format:presentation-schema");
        expect(reasons.get("/proof/verificationMethod delete")).to.equal("format:presentation-schema");
        // A hidden claim's digest stands for the claim: changing it breaks the root.
        expect(
          reasons.get("/verifiableCredential/0/commitment/claims/~1credentialSubject~1email/digest flip"),
        ).to.equal("integrity:root-mismatch");
      }
    });

    it(`${name}: the order of an object's keys is not part of it (reversed everywhere, it verifies)`, async () => {
      const reversed = reverseKeys(documents[name]);
      const options = { rpcUrl: fx.rpcUrl, registry: fx.registry };
      const report =
        name === "a presentation with hidden claims"
          ? await verifyPresentation(JSON.stringify(reversed), { ...options, challenge, domain })
          : (await verifyCredentials([JSON.stringify(reversed)], options))[0]!;
      expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    });
  }

  it("the issuer proof's created time is not signed (the block's time is reported); a presentation signs both", async () => {
    const single = clone(documents["a single credential"] as Credential);
    single.proof[0].created = "2001-01-01T00:00:00Z";
    const [report] = await verifyCredentials([single], { rpcUrl: fx.rpcUrl, registry: fx.registry });
    expect(report!.verified).to.equal(true);
    const anchoredAt = results["a single credential"].baseline.credential?.anchoredAt;
    expect(anchoredAt).to.be.a("string");
    expect(report!.credential?.anchoredAt).to.equal(anchoredAt);
    const vp = clone(documents["a presentation with hidden claims"] as VerifiablePresentation);
    vp.proof.created = "2001-01-01T00:00:00Z";
    const presented = await verifyPresentation(vp, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      challenge,
      domain,
    });
    expect(presented.verified).to.equal(false);
    expect(presented.checks.find((check) => check.id === "holder")).to.include({
      status: "failed",
      code: "invalid-signature",
    });
  });
});
