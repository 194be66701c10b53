// VC 2.0 / Open Badges 3.0 conformance of every credential the format makes: each fixture, and credentials
// issued here (attendance, a part of a conference, a course; with and without hidden claims; single and
// batched), expand with jsonld in safe mode using only the shipped contexts, every term lands in a known
// vocabulary, and each validates against 1EdTech's AchievementCredential schema.

import { expect } from "chai";
import {
  buildAttendanceCredential,
  buildBatch,
  buildCourseCredential,
  CREDENTIAL_CONTEXT,
  type Credential,
  checkIntegrity,
  discloseCredential,
  hideableClaimPaths,
  INTYG_CONTEXT,
  identityHash,
  localContextLoader,
  signBatch,
  signCredential,
} from "../src";
import { expandedIris, expandSafely, KNOWN_NAMESPACES, openBadgesErrors } from "./conformance/check";
import attendanceFixture from "./fixtures/attendance-credential.json";
import batchFixture from "./fixtures/batch.json";
import courseFixture from "./fixtures/course-credential.json";
import disclosedFixture from "./fixtures/disclosed-credential.json";
import {
  account,
  attendanceDocument,
  batchDocuments,
  CHAIN_ID,
  CREATED,
  conference,
  course,
  courseDocument,
  DEADLINE,
  EVENT_ID,
  issuer,
  REGISTRY,
  VALID_FROM,
} from "./helpers";

// biome-ignore lint/suspicious/noExplicitAny: tests edit documents as free JSON
type Json = any;

async function expectConformant(doc: unknown, label: string): Promise<void> {
  const expanded = await expandSafely(doc).catch((error: { details?: unknown }) => {
    throw new Error(`${label}: ${JSON.stringify(error.details ?? error)}`);
  });
  for (const iri of expandedIris(expanded)) {
    expect(
      KNOWN_NAMESPACES.some((ns) => iri.startsWith(ns)),
      `${label}: ${iri} is in no known vocabulary`,
    ).to.equal(true);
  }
  expect(openBadgesErrors(doc), label).to.deep.equal([]);
}

const signed = (doc: Parameters<typeof signCredential>[0]) =>
  signCredential(doc, { account, deadline: DEADLINE, created: CREATED });

describe("standards: JSON-LD (safe mode) and Open Badges 3.0", () => {
  it("the fixtures expand and validate", async () => {
    await expectConformant(attendanceFixture, "attendance");
    await expectConformant(courseFixture, "course");
    await expectConformant(disclosedFixture, "disclosed");
    for (const [i, credential] of batchFixture.credentials.entries()) {
      await expectConformant(credential, `batch ${i}`);
    }
  });

  it("issued credentials expand and validate: attendance, part of a conference, course; hidden claims; batched", async () => {
    const attendance = await signed(attendanceDocument());
    const part = await signed(
      buildAttendanceCredential({
        chainId: CHAIN_ID,
        registry: REGISTRY,
        eventId: EVENT_ID + 1n,
        issuer,
        validFrom: VALID_FROM,
        description: "Intyg om deltagande i en del av konferensen.",
        event: {
          name: "Hackathon",
          startDate: "2026-05-24T08:00:00Z",
          endDate: "2026-05-24T17:00:00Z",
          parts: [{ id: "kväll 1", name: "Kvällspass", kind: "session" }],
        },
        subject: { name: "Kim", partsAttended: ["kväll 1"] },
      }),
    );
    const minimal = await signed(
      buildCourseCredential({
        chainId: CHAIN_ID,
        registry: REGISTRY,
        eventId: EVENT_ID,
        issuer,
        course: { name: "Grundkurs" },
        subject: {},
      }),
    );
    const courseCredential = await signed(courseDocument());
    const batch = await signBatch(buildBatch(batchDocuments()), { account, deadline: DEADLINE });
    const docs: [string, Credential][] = [
      ["attendance", attendance],
      ["part", part],
      ["minimal course", minimal],
      ["course", courseCredential],
      ...batch.credentials.map((c, i): [string, Credential] => [`batch ${i}`, c]),
    ];
    for (const [label, doc] of [...docs]) {
      docs.push([`${label}, all hidden`, discloseCredential(doc, { hide: hideableClaimPaths(doc) })]);
    }
    for (const [label, doc] of docs) {
      expect(checkIntegrity(doc).ok, label).to.equal(true);
      await expectConformant(doc, label);
    }
  });

  it("a term no context defines, a relative part id or an unknown context fails expansion", async () => {
    const extra = {
      ...attendanceFixture,
      credentialSubject: { ...attendanceFixture.credentialSubject, shoe: 42 },
    };
    await expandSafely(extra).then(
      () => expect.fail("an undefined term expanded"),
      (error: Error) => expect(error.message).to.match(/[Ss]afe mode/),
    );
    const relative = structuredClone(attendanceFixture);
    relative.credentialSubject.achievement.parts[0]!.id = "natverksdag";
    await expandSafely(relative).then(
      () => expect.fail("a relative part id expanded"),
      (error: Error) => expect(error.message).to.match(/[Ss]afe mode/),
    );
    const foreign = { ...attendanceFixture, "@context": [...CREDENTIAL_CONTEXT, "https://example.org/ctx"] };
    await expandSafely(foreign).then(
      () => expect.fail("an unknown context was loaded"),
      (error: Error) => expect(String(error)).to.match(/context/i),
    );
    await localContextLoader("https://example.org/ctx").then(
      () => expect.fail("loaded"),
      (error: Error) => expect(error.name).to.equal("UnknownContextError"),
    );
  });

  it("the OB schema catches what the format once got wrong", () => {
    const noDescription = structuredClone(courseFixture) as Json;
    delete noDescription.credentialSubject.achievement.description;
    expect(openBadgesErrors(noDescription).join()).to.match(/description/);
    const attendanceType = structuredClone(attendanceFixture) as Json;
    attendanceType.credentialSubject.achievement.achievementType = "Attendance";
    expect(openBadgesErrors(attendanceType)).to.not.deep.equal([]);
    const singleProof = structuredClone(courseFixture) as Json;
    singleProof.proof = singleProof.proof[0];
    expect(openBadgesErrors(singleProof).join()).to.match(/proof/);
  });

  it("a subject id is a URL (VC 2.0), never a relative reference", () => {
    const build = (id: string) => () =>
      buildCourseCredential({
        chainId: CHAIN_ID,
        registry: REGISTRY,
        eventId: EVENT_ID,
        issuer,
        course,
        subject: { id },
      });
    expect(build("anna")).to.throw(/Invalid credential/);
    expect(build("did:pkh:eip155:31337:0x90F79bf6EB2c4f870365E785982E1f101E93b906")).to.not.throw();
  });

  it("our context protects every term and types the JSON-valued ones as @json", () => {
    const ctx = INTYG_CONTEXT["@context"] as Json;
    expect(ctx["@protected"]).to.equal(true);
    const commitment = ctx.IntygSaltedMerkleCommitment2026["@context"];
    expect(commitment.claims["@type"]).to.equal("@json");
    expect(ctx.IntygEip712IssueRequestProof2026["@context"].eip712["@type"]).to.equal("@json");
  });

  it("a holder without a wallet has a hashed identifier whose salt only a copy revealing the e-mail carries", async () => {
    const doc = await signed(attendanceDocument());
    const [identifier] = doc.credentialSubject.identifier!;
    const salt = (doc.commitment.claims["/credentialSubject/email"] as { salt: string }).salt;
    expect(identifier).to.deep.equal({
      type: "IdentityObject",
      identityType: "emailAddress",
      hashed: true,
      identityHash: identityHash(doc.credentialSubject.email!, salt),
    });
    expect(JSON.stringify(doc.credentialSubject.identifier)).to.not.include(doc.credentialSubject.email!);
    const shown = discloseCredential(doc, { hide: ["/credentialSubject/email"] });
    expect(JSON.stringify(shown)).to.not.include(salt);
    expect(shown.credentialSubject.identifier).to.deep.equal(doc.credentialSubject.identifier);
    expect(() => discloseCredential(doc, { hide: ["/credentialSubject/identifier"] })).to.throw(/hidden/);
  });

  it("parts and the parts attended are URLs of the achievement; credits and ESCO skills use OB's properties", async () => {
    const doc = attendanceDocument();
    const { achievement } = doc.credentialSubject;
    expect(achievement.achievementType).to.equal("ext:Attendance");
    if (achievement.achievementType !== "ext:Attendance") throw new Error("not attendance");
    expect(achievement.parts!.map((p) => p.id)).to.deep.equal(
      conference.parts.map((p) => `${achievement.id}#${p.id}`),
    );
    expect(doc.credentialSubject.partsAttended).to.deep.equal([
      `${achievement.id}#natverksdag`,
      `${achievement.id}#hackathon`,
    ]);
    const courseAchievement = courseDocument().credentialSubject.achievement;
    if (courseAchievement.achievementType !== "Course") throw new Error("not a course");
    expect(courseAchievement.creditsAvailable).to.equal(course.credits);
    expect(courseAchievement.alignment).to.deep.equal([
      {
        type: ["Alignment"],
        targetType: "ceasn:Competency",
        targetFramework: "ESCO",
        targetName: course.skills[0]!.name,
        targetUrl: course.skills[0]!.id,
      },
    ]);
    expect(courseAchievement.skills).to.deep.equal([{ name: "riskanalys" }]);
  });
});
