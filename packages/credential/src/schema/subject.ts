// The credential subject: the attendee and the achievement, as the Open Badges `AchievementSubject` type.
// Every property is one claim; all but `type` and `achievement` may be hidden by the holder.

import { z } from "zod";
import { achievementSchema } from "./achievement";
import { dateSchema, textSchema } from "./primitives";

export const SUBJECT_ROLES = ["participant", "speaker", "organiser", "hackathon-team-member"] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

/** The Open Badges result status types. */
export const RESULT_STATUSES = [
  "Completed",
  "Enrolled",
  "Failed",
  "InProgress",
  "OnHold",
  "Provisional",
  "Withdrew",
] as const;

/** An Open Badges `Result`: a grade or a status of the subject. */
export const resultSchema = z
  .strictObject({
    type: z.tuple([z.literal("Result")]),
    value: textSchema(300).optional(),
    status: z.enum(RESULT_STATUSES).optional(),
  })
  .refine((r) => r.value !== undefined || r.status !== undefined, {
    message: "A result needs a value or a status",
  });
export type Result = z.infer<typeof resultSchema>;

/** An Open Badges `IdentityObject`: an identifier of the subject (e.g. an employee number). */
export const identityObjectSchema = z.strictObject({
  type: z.literal("IdentityObject"),
  identityType: textSchema(100),
  identityHash: textSchema(500),
  hashed: z.boolean(),
  salt: textSchema(200).optional(),
});
export type IdentityObject = z.infer<typeof identityObjectSchema>;

/** The attendee's own claims (everything of `credentialSubject` except `type` and `achievement`). */
export const subjectClaimsShape = {
  /** The holder's identifier, e.g. a `did:pkh` of a wallet. */
  id: textSchema(300).optional(),
  name: textSchema(300).optional(),
  email: z.email({ pattern: z.regexes.unicodeEmail }).max(320).optional(),
  birthDate: dateSchema.optional(),
  /** The attendee's employer or unit, e.g. a municipality. */
  organisation: textSchema(300).optional(),
  role: z.enum(SUBJECT_ROLES).optional(),
  /** The hackathon team, for a hackathon team member. */
  team: textSchema(300).optional(),
  /** Ids of the achievement's parts that were attended. */
  partsAttended: z.array(textSchema(300)).min(1).max(200).optional(),
  result: z.array(resultSchema).min(1).max(50).optional(),
  identifier: z.array(identityObjectSchema).min(1).max(20).optional(),
};

/** The `credentialSubject` of a credential. In a disclosed copy hidden claims are absent. */
export const subjectSchema = z
  .strictObject({
    type: z.tuple([z.literal("AchievementSubject")]),
    achievement: achievementSchema,
    ...subjectClaimsShape,
  })
  .superRefine((subject, ctx) => {
    if (subject.partsAttended === undefined) return;
    const parts =
      subject.achievement.achievementType === "Attendance" ? (subject.achievement.parts ?? []) : [];
    const known = new Set(parts.map((part) => part.id));
    const seen = new Set<string>();
    for (const [i, id] of subject.partsAttended.entries()) {
      if (!known.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["partsAttended", i],
          message: "Not a part of the achievement",
        });
      }
      if (seen.has(id))
        ctx.addIssue({ code: "custom", path: ["partsAttended", i], message: "Duplicate part" });
      seen.add(id);
    }
  });
export type CredentialSubject = z.infer<typeof subjectSchema>;
