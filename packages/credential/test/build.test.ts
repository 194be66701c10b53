import { expect } from "chai";
import {
  buildAttendanceCredential,
  buildCourseCredential,
  checkIntegrity,
  IntygCredentialError,
  InvalidCredentialError,
  parseShareUrl,
  shareUrl,
  signCredential,
} from "../src";
import {
  account,
  CHAIN_ID,
  conference,
  course,
  DEADLINE,
  EVENT_ID,
  issuer,
  REGISTRY,
  seededSalt,
  verifyOffline,
} from "./helpers";

const base = { chainId: CHAIN_ID, registry: REGISTRY, eventId: EVENT_ID, issuer };

describe("builders", () => {
  it("lay out an attendance credential as a VC 2.0 / Open Badges 3.0 document", () => {
    const doc = buildAttendanceCredential({
      ...base,
      event: conference,
      subject: { name: "Åsa Öberg-Ärlig", role: "participant", partsAttended: ["natverksdag"] },
      now: () => new Date("2026-05-25T16:00:00.500Z"),
    });
    expect(doc["@context"]).to.deep.equal([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
      "https://intyg.se/ns/credentials/v1",
    ]);
    expect(doc.type).to.deep.equal(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(doc.id).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(doc.name).to.equal("Offentliga Rummet 2026");
    expect(doc.validFrom).to.equal("2026-05-25T16:00:00Z");
    expect(doc).not.to.have.property("validUntil");
    expect(doc.issuer).to.deep.equal({
      id: "urn:intyg:org:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:1",
      type: ["Profile"],
      name: "Göteborgs Stad",
      legalName: "Göteborgs kommun",
      organisationNumber: "212000-1355",
      url: "https://goteborg.se",
    });
    const { achievement } = doc.credentialSubject;
    expect(achievement.id).to.equal(
      "urn:intyg:event:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:4294967297",
    );
    expect(achievement.achievementType).to.equal("ext:Attendance");
    expect(doc.credentialSubject.type).to.deep.equal(["AchievementSubject"]);
    expect(Object.keys(doc.commitment.claims)).to.deep.equal([
      "/@context",
      "/id",
      "/type",
      "/name",
      "/issuer",
      "/validFrom",
      "/credentialSubject/type",
      "/credentialSubject/achievement",
      "/credentialSubject/name",
      "/credentialSubject/role",
      "/credentialSubject/partsAttended",
      "/credentialSubject/identifier",
    ]);
    for (const entry of Object.values(doc.commitment.claims)) expect(entry).to.have.property("salt");
    expect(doc.commitment.type).to.equal("IntygSaltedMerkleCommitment2026");
    expect(checkIntegrity(doc)).to.include({ ok: true, root: doc.commitment.root });
  });

  it("lay out a course credential with hours, credits, outcomes, ESCO skills and validUntil", () => {
    const doc = buildCourseCredential({
      ...base,
      validUntil: new Date("2029-05-31T23:59:59Z"),
      course,
      subject: { name: "Σωκράτης" },
    });
    expect(doc.validUntil).to.equal("2029-05-31T23:59:59Z");
    expect(doc.credentialSubject.achievement).to.deep.include({
      achievementType: "Course",
      hours: 16,
      creditsAvailable: 1.5,
      assessment: "Skriftligt prov",
    });
    expect(doc.commitment.claims).to.have.property("/validUntil");
    expect(checkIntegrity(doc).ok).to.equal(true);
  });

  it("draw a fresh salt per claim, so equal claims give unlinkable hashes", () => {
    const params = {
      ...base,
      event: conference,
      subject: { name: "Åsa Öberg-Ärlig" },
      id: "urn:uuid:8f2b6a4e-3c1d-4e5f-9a7b-1c2d3e4f5a6b",
      validFrom: "2026-05-25T16:00:00Z",
    };
    const a = buildAttendanceCredential(params);
    const b = buildAttendanceCredential(params);
    expect(a.commitment.root).not.to.equal(b.commitment.root);
    const salts = Object.values(a.commitment.claims).map((entry) => ("salt" in entry ? entry.salt : ""));
    expect(new Set(salts).size).to.equal(salts.length);
    const fixed = { ...params, salt: seededSalt("x") };
    expect(buildAttendanceCredential(fixed).commitment).to.deep.equal(
      buildAttendanceCredential(fixed).commitment,
    );
  });

  it("keep the builder's subject type and achievement whatever the caller passes", () => {
    const subject = { name: "Åsa", type: ["Other"], achievement: { id: "x" } } as unknown as { name: string };
    const doc = buildAttendanceCredential({ ...base, event: conference, subject });
    expect(doc.credentialSubject.type).to.deep.equal(["AchievementSubject"]);
    expect(doc.credentialSubject.achievement.name).to.equal("Offentliga Rummet 2026");
  });

  it("reject invalid parameters with paths and no personal data", () => {
    const attempt = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      try {
        buildAttendanceCredential({ ...base, ...extra, event: conference, subject } as never);
      } catch (error) {
        return error as InvalidCredentialError;
      }
      throw new Error("no error");
    };
    const email = attempt({ name: "Åsa Öberg-Ärlig", email: "åsa.öberg at example" });
    expect(email).to.be.instanceOf(InvalidCredentialError).and.instanceOf(IntygCredentialError);
    expect(email.issues.map((i) => i.path)).to.deep.equal(["/credentialSubject/email"]);
    expect(JSON.stringify(email.details) + email.message).not.to.match(/öberg|Öberg/);
    expect(attempt({ partsAttended: ["fika"] }).issues[0]?.path).to.equal(
      "/credentialSubject/partsAttended/0",
    );
    const orgnr = attempt({}, { issuer: { ...issuer, organisationNumber: "212000-1356" } });
    expect(orgnr.issues[0]?.path).to.equal("/issuer/organisationNumber");
    expect(
      attempt({}, { validUntil: "2026-01-01T00:00:00Z", validFrom: "2026-05-25T16:00:00Z" }).issues[0]?.path,
    ).to.equal("/validUntil");
  });

  it("reject a salt generator that does not make 16 bytes of lowercase hex", () => {
    expect(() =>
      buildAttendanceCredential({ ...base, event: conference, subject: {}, salt: () => "0xABCD" }),
    ).to.throw(IntygCredentialError, /Salt/);
  });

  describe("names in any script round-trip through build, sign, JSON and share link unchanged", () => {
    const names = [
      "Åsa Öberg-Ärlig",
      "Σωκράτης",
      "李小龙",
      "محمد",
      "Ngũgĩ wa Thiong'o",
      "Сергей Иванов",
      "Zoë 👩🏽‍⚕️",
      "A\u030asa", // decomposed Å: kept as given, not normalised
    ];
    for (const name of names) {
      it(name, async () => {
        const doc = buildAttendanceCredential({
          ...base,
          event: { ...conference, location: `${name}s gata 1, Göteborg` },
          subject: { name, organisation: name },
        });
        const signed = await signCredential(doc, { account, deadline: DEADLINE });
        const viaJson = JSON.parse(JSON.stringify(signed));
        const viaLink = parseShareUrl(shareUrl("https://intyg.example/verify", viaJson));
        for (const copy of [viaJson, viaLink]) {
          expect(copy.credentialSubject.name).to.equal(name);
          expect(copy.credentialSubject.organisation).to.equal(name);
          expect(copy).to.deep.equal(signed);
          expect(await verifyOffline(copy)).to.equal(true);
        }
      });
    }
  });
});
