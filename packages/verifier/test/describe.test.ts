// A verified credential in words: the sentence and the labelled claims the page and the CLI show.

import { expect } from "chai";
import { type VerificationReport, verifyCredential } from "../src";
import { createFixture, type Fixture } from "./fixture";

const fieldsOf = (report: VerificationReport) =>
  Object.fromEntries((report.description?.fields ?? []).map((field) => [field.id, field.value]));

describe("a verified credential in words", function () {
  this.timeout(120_000);
  let fx: Fixture;
  const opts = () => ({ rpcUrl: fx.rpcUrl, registry: fx.registry });

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it("an attendance: who took part in what, when, where and in which parts, and who says so", async () => {
    const credential = await fx.issue({
      subject: {
        name: "Anna Andersson",
        role: "hackathon-team-member",
        team: "Datadrivna",
        partsAttended: ["networking", "hackathon"],
      },
    });
    const sv = await verifyCredential(credential, { ...opts(), lang: "sv" });
    expect(sv.description?.sentence).to.equal(
      "Anna Andersson deltog i Offentliga Rummet 2026, 12–14 maj 2026, Göteborg: Nätverksdag (12 maj 2026) och Hackathon: tillförlitliga data i vård och skola (lag Datadrivna). Utfärdat av Region Exempel, org.nr 232100-0016.",
    );
    expect(fieldsOf(sv)).to.include({
      role: "medlem i ett hackathonlag",
      team: "Datadrivna",
      kind: "Närvaro",
    });
    const en = await verifyCredential(credential, { ...opts(), lang: "en" });
    expect(en.description?.sentence).to.match(
      /^Anna Andersson attended Offentliga Rummet 2026, 12\s–\s14 May 2026, Göteborg: /,
    );
    expect(fieldsOf(en).anchoredAt).to.match(/\(Swedish time\)$/);
    // Nothing for a credential that failed.
    const revoked = await fx.issue();
    await fx.write(2, "revoke", [revoked.commitment.root, 3]);
    expect((await verifyCredential(revoked, opts())).description).to.equal(undefined);
  });

  it("a course: hours, credits in the language's style, outcomes, skills and result", async () => {
    const credential = await fx.issue({
      course: true,
      subject: { name: "Bo Ek", result: [{ type: ["Result"], value: "Godkänd", status: "Completed" }] },
    });
    const report = await verifyCredential(credential, { ...opts(), lang: "sv" });
    expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    const fields = fieldsOf(report);
    expect(report.description?.sentence).to.match(/^Bo Ek har genomgått kursen /);
    expect(report.description?.sentence).to.include("resultat: Godkänd, genomförd");
    expect(fields.kind).to.equal("Utbildning");
    expect(fields.result).to.equal("Godkänd, genomförd");
    expect(fields.hours).to.equal("8 timmar");
    expect(fields.credits).to.equal("1,5 hp");
    expect(report.description?.sentence).to.include("(8 timmar, 1,5 hp; resultat: Godkänd, genomförd)");
    for (const id of Object.keys(fields)) expect(id).to.not.match(/^(partsAttended|credentialSubject)$/);
  });
});
