// The achievement: the event attended or the course completed, as the Open Badges `Achievement` type.

import { z } from "zod";
import { ATTENDANCE_ACHIEVEMENT_TYPE, COURSE_ACHIEVEMENT_TYPE } from "../constants";
import { isEscoSkillUri } from "../esco";
import { dateOrDateTimeToMillis } from "../time";
import { parseEventUrn } from "../urn";
import { dateOrDateTimeSchema, textSchema } from "./primitives";

/** `urn:intyg:event:<chainId>:<registry lowercase>:<eventId>`. */
export const eventUrnSchema = z
  .string()
  .regex(/^urn:intyg:event:/)
  .refine((value) => parseEventUrn(value) !== undefined, { message: "Invalid event URN" });

export const PART_KINDS = ["networking", "seminar", "session", "hackathon", "workshop", "other"] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** A part of an event as an organiser names it: a networking day, a seminar session, a hackathon… */
export const eventPartSchema = z.strictObject({
  /** Short and unique within the event (`day1`); the credential carries it as `<achievement id>#<id>`. */
  id: textSchema(300),
  name: textSchema(300),
  kind: z.enum(PART_KINDS),
  date: dateOrDateTimeSchema.optional(),
});
export type EventPart = z.infer<typeof eventPartSchema>;

/** A part as the credential carries it: its id is a URL, `<achievement id>#<part id, percent-encoded>`. */
export const achievementPartSchema = eventPartSchema.extend({
  id: z
    .string()
    .max(1200)
    .regex(/^urn:intyg:event:[^#]+#[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]+$/, { message: "Not a part URL" }),
});
export type AchievementPart = z.infer<typeof achievementPartSchema>;

/** An ESCO skill URI `http://data.europa.eu/esco/skill/<uuid>`. */
export const escoSkillUriSchema = z
  .string()
  .regex(/^http:\/\/data\.europa\.eu\/esco\/skill\//)
  .refine(isEscoSkillUri, { message: "Invalid ESCO skill URI" });

/** A skill a course teaches, with its ESCO URI where one is known. */
export const skillSchema = z.strictObject({ id: escoSkillUriSchema.optional(), name: textSchema(300) });
export type Skill = z.infer<typeof skillSchema>;

/** A skill without an ESCO URI, named only (Open Badges' `Alignment` needs a target URL). */
export const namedSkillSchema = z.strictObject({ name: textSchema(300) });

/** An Open Badges `Alignment` to an ESCO skill: how a course names the skills it teaches. */
export const escoAlignmentSchema = z.strictObject({
  type: z.tuple([z.literal("Alignment")]),
  targetType: z.literal("ceasn:Competency"),
  targetFramework: z.literal("ESCO"),
  targetName: textSchema(300),
  targetUrl: escoSkillUriSchema,
});
export type EscoAlignment = z.infer<typeof escoAlignmentSchema>;

const achievementCommon = {
  id: eventUrnSchema,
  type: z.tuple([z.literal("Achievement")]),
  name: textSchema(300),
  description: textSchema(5000),
  criteria: z.strictObject({ narrative: textSchema(5000) }),
};

/** An event attended: dates, place and parts. */
export const attendanceAchievementSchema = z
  .strictObject({
    ...achievementCommon,
    achievementType: z.literal(ATTENDANCE_ACHIEVEMENT_TYPE),
    startDate: dateOrDateTimeSchema,
    endDate: dateOrDateTimeSchema,
    location: textSchema(500).optional(),
    parts: z.array(achievementPartSchema).min(1).max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if (dateOrDateTimeToMillis(value.endDate) < dateOrDateTimeToMillis(value.startDate)) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "Ends before it starts" });
    }
    const ids = new Set<string>();
    for (const [i, part] of (value.parts ?? []).entries()) {
      if (!part.id.startsWith(`${value.id}#`))
        ctx.addIssue({ code: "custom", path: ["parts", i, "id"], message: "Not a part of this achievement" });
      if (ids.has(part.id))
        ctx.addIssue({ code: "custom", path: ["parts", i, "id"], message: "Duplicate part id" });
      ids.add(part.id);
    }
  });
export type AttendanceAchievement = z.infer<typeof attendanceAchievementSchema>;

/** A course completed: hours, credits, learning outcomes, skills and assessment. */
export const courseAchievementSchema = z.strictObject({
  ...achievementCommon,
  achievementType: z.literal(COURSE_ACHIEVEMENT_TYPE),
  /** Intyg's own: Open Badges has no length of study. */
  hours: z.number().positive().max(100_000).optional(),
  /** Open Badges' credits (e.g. högskolepoäng). */
  creditsAvailable: z.number().positive().max(10_000).optional(),
  learningOutcomes: z.array(textSchema(2000)).min(1).max(200).optional(),
  /** The ESCO skills the course teaches, as Open Badges alignments. */
  alignment: z.array(escoAlignmentSchema).min(1).max(200).optional(),
  /** Skills without an ESCO URI (Intyg's own: an alignment needs a target URL). */
  skills: z.array(namedSkillSchema).min(1).max(200).optional(),
  assessment: textSchema(2000).optional(),
});
export type CourseAchievement = z.infer<typeof courseAchievementSchema>;

/** Either kind of achievement, told apart by `achievementType`. */
export const achievementSchema = z.discriminatedUnion("achievementType", [
  attendanceAchievementSchema,
  courseAchievementSchema,
]);
export type Achievement = z.infer<typeof achievementSchema>;

/** Every skill a course names, ESCO-aligned first: `{ name, id? }` with the ESCO URI as `id`. */
export function achievementSkills(achievement: {
  alignment?: readonly { targetName: string; targetUrl: string }[] | undefined;
  skills?: readonly { name: string }[] | undefined;
}): Skill[] {
  return [
    ...(achievement.alignment ?? []).map((a) => ({ id: a.targetUrl, name: a.targetName })),
    ...(achievement.skills ?? []).map((s) => ({ name: s.name })),
  ];
}
