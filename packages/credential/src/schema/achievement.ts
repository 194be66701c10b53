// The achievement: the event attended or the course completed, as the Open Badges `Achievement` type.

import { z } from "zod";
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

/** A part of an event: a networking day, a seminar session, a hackathon… */
export const eventPartSchema = z.strictObject({
  id: textSchema(300),
  name: textSchema(300),
  kind: z.enum(PART_KINDS),
  date: dateOrDateTimeSchema.optional(),
});
export type EventPart = z.infer<typeof eventPartSchema>;

/** An ESCO skill URI `http://data.europa.eu/esco/skill/<uuid>`. */
export const escoSkillUriSchema = z
  .string()
  .regex(/^http:\/\/data\.europa\.eu\/esco\/skill\//)
  .refine(isEscoSkillUri, { message: "Invalid ESCO skill URI" });

/** A skill a course teaches, with its ESCO URI where one is known. */
export const skillSchema = z.strictObject({ id: escoSkillUriSchema.optional(), name: textSchema(300) });
export type Skill = z.infer<typeof skillSchema>;

const achievementCommon = {
  id: eventUrnSchema,
  type: z.tuple([z.literal("Achievement")]),
  name: textSchema(300),
  description: textSchema(5000).optional(),
  criteria: z.strictObject({ narrative: textSchema(5000) }),
};

/** An event attended: dates, place and parts. */
export const attendanceAchievementSchema = z
  .strictObject({
    ...achievementCommon,
    achievementType: z.literal("Attendance"),
    startDate: dateOrDateTimeSchema,
    endDate: dateOrDateTimeSchema,
    location: textSchema(500).optional(),
    parts: z.array(eventPartSchema).min(1).max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if (dateOrDateTimeToMillis(value.endDate) < dateOrDateTimeToMillis(value.startDate)) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "Ends before it starts" });
    }
    const ids = new Set<string>();
    for (const [i, part] of (value.parts ?? []).entries()) {
      if (ids.has(part.id))
        ctx.addIssue({ code: "custom", path: ["parts", i, "id"], message: "Duplicate part id" });
      ids.add(part.id);
    }
  });
export type AttendanceAchievement = z.infer<typeof attendanceAchievementSchema>;

/** A course completed: hours, credits, learning outcomes, skills and assessment. */
export const courseAchievementSchema = z.strictObject({
  ...achievementCommon,
  achievementType: z.literal("Course"),
  hours: z.number().positive().max(100_000).optional(),
  credits: z.number().positive().max(10_000).optional(),
  learningOutcomes: z.array(textSchema(2000)).min(1).max(200).optional(),
  skills: z.array(skillSchema).min(1).max(200).optional(),
  assessment: textSchema(2000).optional(),
});
export type CourseAchievement = z.infer<typeof courseAchievementSchema>;

/** Either kind of achievement, told apart by `achievementType`. */
export const achievementSchema = z.discriminatedUnion("achievementType", [
  attendanceAchievementSchema,
  courseAchievementSchema,
]);
export type Achievement = z.infer<typeof achievementSchema>;
