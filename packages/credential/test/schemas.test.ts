import { expect } from "chai";
import { z } from "zod";
import {
  achievementSchema,
  attendanceAchievementSchema,
  courseAchievementSchema,
  credentialSchema,
  InvalidCredentialError,
  issuerProfileSchema,
  parseCredential,
  subjectSchema,
  unsignedCredentialSchema,
} from "../src";
import { attendanceDocument, clone, courseDocument, makeFixtures } from "./helpers";

const issuer = {
  id: "urn:intyg:org:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:1",
  type: ["Profile"],
  name: "Göteborgs Stad",
  legalName: "Göteborgs kommun",
  organisationNumber: "212000-1355",
  url: "https://goteborg.se",
};
const eventId = "urn:intyg:event:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:4294967297";
const attendance = {
  id: eventId,
  type: ["Achievement"],
  achievementType: "ext:Attendance",
  name: "Offentliga Rummet 2026",
  description: "Offentliga Sveriges mötesplats.",
  criteria: { narrative: "Närvaro registrerad." },
  startDate: "2026-05-23",
  endDate: "2026-05-25",
  parts: [
    { id: `${eventId}#natverksdag`, name: "Nätverksdag", kind: "networking" },
    { id: `${eventId}#hackathon`, name: "Hackathon", kind: "hackathon", date: "2026-05-24" },
  ],
};
const course = {
  id: eventId,
  type: ["Achievement"],
  achievementType: "Course",
  name: "Informationssäkerhet",
  description: "Grundkurs.",
  criteria: { narrative: "Godkänt prov." },
  hours: 16,
  creditsAvailable: 1.5,
  alignment: [
    {
      type: ["Alignment"],
      targetType: "ceasn:Competency",
      targetFramework: "ESCO",
      targetName: "säkerhet",
      targetUrl: "http://data.europa.eu/esco/skill/f0de4973-0a70-4644-8fd4-3a97080476f4",
    },
  ],
  skills: [{ name: "riskanalys" }],
};

describe("schemas", () => {
  describe("issuerProfileSchema", () => {
    it("accepts a profile with a valid organisation number", () => {
      expect(issuerProfileSchema.safeParse(issuer).success).to.equal(true);
    });
    for (const organisationNumber of ["212000-1354", "2120001355", "212000 1355", "21200-13555", ""]) {
      it(`rejects the organisation number ${JSON.stringify(organisationNumber)}`, () => {
        expect(issuerProfileSchema.safeParse({ ...issuer, organisationNumber }).success).to.equal(false);
      });
    }
    it("rejects a web site without https, a malformed id and unknown properties", () => {
      expect(issuerProfileSchema.safeParse({ ...issuer, url: "http://goteborg.se" }).success).to.equal(false);
      expect(issuerProfileSchema.safeParse({ ...issuer, id: "urn:intyg:org:31337:0x5f:1" }).success).to.equal(
        false,
      );
      expect(
        issuerProfileSchema.safeParse({ ...issuer, id: issuer.id.replace(":1", ":0") }).success,
      ).to.equal(false);
      expect(issuerProfileSchema.safeParse({ ...issuer, email: "info@goteborg.se" }).success).to.equal(false);
    });
  });

  describe("achievements", () => {
    it("accepts an attendance achievement with parts and a course with ESCO skills", () => {
      expect(attendanceAchievementSchema.safeParse(attendance).success).to.equal(true);
      expect(courseAchievementSchema.safeParse(course).success).to.equal(true);
      expect(achievementSchema.safeParse(attendance).success).to.equal(true);
      expect(achievementSchema.safeParse(course).success).to.equal(true);
    });
    it("rejects an event that ends before it starts, and duplicate part ids", () => {
      expect(
        attendanceAchievementSchema.safeParse({ ...attendance, endDate: "2026-05-22" }).success,
      ).to.equal(false);
      const parts = [attendance.parts[0], attendance.parts[0]];
      expect(attendanceAchievementSchema.safeParse({ ...attendance, parts }).success).to.equal(false);
    });
    it("accepts date-times and rejects dates that do not exist", () => {
      const times = { startDate: "2026-05-23T08:00:00Z", endDate: "2026-05-23T17:00:00Z" };
      expect(attendanceAchievementSchema.safeParse({ ...attendance, ...times }).success).to.equal(true);
      expect(
        attendanceAchievementSchema.safeParse({ ...attendance, startDate: "2026-02-30" }).success,
      ).to.equal(false);
    });
    it("rejects an unknown part kind, a non-ESCO skill id and non-positive hours", () => {
      const parts = [{ id: `${eventId}#x`, name: "X", kind: "party" }];
      expect(attendanceAchievementSchema.safeParse({ ...attendance, parts }).success).to.equal(false);
      const alignment = [{ ...course.alignment[0], targetUrl: "https://example.org/skill/1" }];
      expect(courseAchievementSchema.safeParse({ ...course, alignment }).success).to.equal(false);
      const relative = [{ id: "natverksdag", name: "X", kind: "networking" }];
      expect(attendanceAchievementSchema.safeParse({ ...attendance, parts: relative }).success).to.equal(
        false,
      );
      const foreign = [{ id: `${eventId}9#x`, name: "X", kind: "networking" }];
      expect(attendanceAchievementSchema.safeParse({ ...attendance, parts: foreign }).success).to.equal(
        false,
      );
      const { description: _d, ...undescribed } = course;
      expect(courseAchievementSchema.safeParse(undescribed).success).to.equal(false);
      expect(courseAchievementSchema.safeParse({ ...course, hours: 0 }).success).to.equal(false);
    });
    it("tells the two kinds apart by achievementType", () => {
      expect(achievementSchema.safeParse({ ...attendance, achievementType: "Attendance" }).success).to.equal(
        false,
      );
      expect(achievementSchema.safeParse({ ...course, achievementType: "ext:Attendance" }).success).to.equal(
        false,
      );
      expect(achievementSchema.safeParse({ ...attendance, achievementType: "Course" }).success).to.equal(
        false,
      );
    });
  });

  describe("subjectSchema", () => {
    const identifier = [
      {
        type: "IdentityObject",
        identityType: "emailAddress",
        identityHash: `sha256$${"ab".repeat(32)}`,
        hashed: true,
      },
    ];
    const subject = { type: ["AchievementSubject"], achievement: attendance, identifier };
    it("accepts the attendee's claims, all optional", () => {
      expect(subjectSchema.safeParse(subject).success).to.equal(true);
      const full = {
        ...subject,
        name: "Åsa Öberg-Ärlig",
        email: "åsa@exempel.se",
        birthDate: "1984-02-29",
        role: "hackathon-team-member",
        team: "Team Blåklocka",
        partsAttended: [`${eventId}#hackathon`],
        result: [{ type: ["Result"], status: "Completed" }],
        identifier: [
          ...identifier,
          {
            type: "IdentityObject",
            identityType: "ext:employeeId",
            identityHash: `sha256$${"cd".repeat(32)}`,
            hashed: true,
          },
        ],
      };
      expect(subjectSchema.safeParse(full).success).to.equal(true);
    });
    it("needs an id or an identifier, and identifiers hashed, of an OB identity type", () => {
      const { identifier: _none, ...anonymous } = subject;
      expect(subjectSchema.safeParse(anonymous).success).to.equal(false);
      expect(
        subjectSchema.safeParse({
          ...anonymous,
          id: "did:pkh:eip155:1:0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        }).success,
      ).to.equal(true);
      for (const bad of [
        { ...identifier[0], hashed: false },
        { ...identifier[0], identityHash: "4711" },
        { ...identifier[0], identityType: "employeeId" },
      ]) {
        expect(subjectSchema.safeParse({ ...subject, identifier: [bad] }).success).to.equal(false);
      }
    });
    it("rejects attended parts that the achievement lacks, unknown roles and bad dates", () => {
      expect(
        subjectSchema.safeParse({ ...subject, partsAttended: [`${eventId}#seminarier`] }).success,
      ).to.equal(false);
      expect(
        subjectSchema.safeParse({ ...subject, partsAttended: ["hackathon", "hackathon"] }).success,
      ).to.equal(false);
      expect(subjectSchema.safeParse({ ...subject, role: "visitor" }).success).to.equal(false);
      expect(subjectSchema.safeParse({ ...subject, birthDate: "1983-02-29" }).success).to.equal(false);
      expect(subjectSchema.safeParse({ ...subject, name: "   " }).success).to.equal(false);
      expect(subjectSchema.safeParse({ ...subject, result: [{ type: ["Result"] }] }).success).to.equal(false);
    });
  });

  describe("credentialSchema", () => {
    it("accepts the fixtures and the builders' unsigned documents", async () => {
      const fixtures = await makeFixtures();
      for (const name of ["attendance-credential", "disclosed-credential", "course-credential"]) {
        expect(credentialSchema.safeParse(fixtures[name]).success, name).to.equal(true);
      }
      expect(unsignedCredentialSchema.safeParse(attendanceDocument()).success).to.equal(true);
      expect(unsignedCredentialSchema.safeParse(courseDocument()).success).to.equal(true);
      expect(credentialSchema.safeParse(attendanceDocument()).success).to.equal(false);
    });
    it("rejects unknown properties, a validUntil before validFrom and a malformed id", async () => {
      const doc = (await makeFixtures())["attendance-credential"] as Record<string, unknown>;
      expect(credentialSchema.safeParse({ ...doc, extra: 1 }).success).to.equal(false);
      expect(credentialSchema.safeParse({ ...doc, validUntil: "2020-01-01T00:00:00Z" }).success).to.equal(
        false,
      );
      expect(credentialSchema.safeParse({ ...doc, id: "urn:uuid:not-a-uuid" }).success).to.equal(false);
      const context = clone(doc["@context"]) as string[];
      context.reverse();
      expect(credentialSchema.safeParse({ ...doc, "@context": context }).success).to.equal(false);
    });
    it("reports problems by path, without values", async () => {
      const doc = clone((await makeFixtures())["attendance-credential"]) as {
        credentialSubject: Record<string, unknown>;
      };
      doc.credentialSubject.email = "inte en adress, Åsa Öberg";
      try {
        parseCredential(doc);
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidCredentialError);
        const { issues } = error as InvalidCredentialError;
        expect(issues.map((issue) => issue.path)).to.include("/credentialSubject/email");
        expect(JSON.stringify(issues)).not.to.contain("Öberg");
        expect(String((error as Error).message)).not.to.contain("Öberg");
      }
    });
    it("converts to JSON Schema (for OpenAPI documents)", () => {
      const schema = z.toJSONSchema(credentialSchema, { unrepresentable: "any" }) as { required?: string[] };
      expect(schema.required).to.include.members(["@context", "commitment", "proof", "anchor"]);
    });
  });
});
