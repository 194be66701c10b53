// The credential subject: the attendee and the achievement, as the Open Badges `AchievementSubject` type.
// Every property is one claim; all but `type` and `achievement` may be hidden by the holder.

import { z } from "zod";
import { ATTENDANCE_ACHIEVEMENT_TYPE } from "../constants";
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

/** Open Badges' identifier types, and `ext:`-prefixed extensions. */
export const IDENTITY_TYPES = [
  "name",
  "sourcedId",
  "systemId",
  "productId",
  "userName",
  "accountId",
  "emailAddress",
  "nationalIdentityNumber",
  "isbn",
  "issn",
  "lisSourcedId",
  "oneRosterSourcedId",
  "sisSourcedId",
  "ltiContextId",
  "ltiDeploymentId",
  "ltiToolId",
  "ltiPlatformId",
  "ltiUserId",
  "identifier",
] as const;

/**
 * An Open Badges `IdentityObject`: an identifier of the subject, always hashed (`sha256$<hex>` of the value
 * with its salt appended), since it is never hidden. The builder's own, for a holder without a wallet, hashes
 * the e-mail (or the name) salted with that claim's commitment salt, which is absent from any copy that hides
 * the claim: only the holder's own copy lets someone who knows the e-mail check it.
 */
export const identityObjectSchema = z.strictObject({
  type: z.literal("IdentityObject"),
  identityType: z.union([z.enum(IDENTITY_TYPES), z.string().regex(/^ext:[A-Za-z0-9._-]{1,100}$/)]),
  identityHash: z.string().regex(/^sha256\$[0-9a-f]{64}$/, { message: "Not sha256$<hex>" }),
  hashed: z.literal(true),
  salt: textSchema(200).optional(),
});
export type IdentityObject = z.infer<typeof identityObjectSchema>;

/** The attendee's own claims (everything of `credentialSubject` except `type` and `achievement`). */
export const subjectClaimsShape = {
  /** The holder's identifier, e.g. a `did:pkh` of a wallet: a URL (an absolute IRI), as VC 2.0 requires. */
  id: textSchema(300)
    .regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/, { message: "Must be a URL, e.g. a did" })
    .optional(),
  name: textSchema(300).optional(),
  email: z.email({ pattern: z.regexes.unicodeEmail }).max(320).optional(),
  birthDate: dateSchema.optional(),
  /** The attendee's employer or unit, e.g. a municipality. */
  organisation: textSchema(300).optional(),
  role: z.enum(SUBJECT_ROLES).optional(),
  /** The hackathon team, for a hackathon team member. */
  team: textSchema(300).optional(),
  /** Ids (URLs) of the achievement's parts that were attended. */
  partsAttended: z.array(textSchema(1200)).min(1).max(200).optional(),
  result: z.array(resultSchema).min(1).max(50).optional(),
  identifier: z.array(identityObjectSchema).min(1).max(20).optional(),
};

export type SubjectValue = {
  id?: string | undefined;
  identifier?: unknown;
  partsAttended?: string[] | undefined;
  achievement: { achievementType?: string; parts?: { id: string }[] | undefined };
};

/** What the subject's refinement finds wrong, as zod issues' paths and messages (none for a valid subject). */
export function subjectProblems(subject: SubjectValue): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  // Open Badges: a subject is identified by its id (a wallet's did) or by an identifier.
  if (subject.id === undefined && subject.identifier === undefined) {
    problems.push({ path: ["identifier"], message: "Needs an id or an identifier" });
  }
  if (subject.partsAttended === undefined) return problems;
  const parts =
    subject.achievement.achievementType === ATTENDANCE_ACHIEVEMENT_TYPE
      ? (subject.achievement.parts ?? [])
      : [];
  const known = new Set(parts.map((part) => part.id));
  const seen = new Set<string>();
  for (const [i, id] of subject.partsAttended.entries()) {
    if (!known.has(id))
      problems.push({ path: ["partsAttended", i], message: "Not a part of the achievement" });
    if (seen.has(id)) problems.push({ path: ["partsAttended", i], message: "Duplicate part" });
    seen.add(id);
  }
  return problems;
}

function checkSubject(subject: SubjectValue, ctx: z.RefinementCtx): void {
  for (const { path, message } of subjectProblems(subject)) ctx.addIssue({ code: "custom", path, message });
}

/** The `credentialSubject` of a credential. In a disclosed copy hidden claims are absent. */
export const subjectSchema = z
  .strictObject({
    type: z.tuple([z.literal("AchievementSubject")]),
    achievement: achievementSchema,
    ...subjectClaimsShape,
  })
  .superRefine(checkSubject);

/**
 * {@link subjectSchema} with its achievement taken as already checked (by the caller, with `achievementSchema`):
 * see `checkCredentialJson`.
 */
export const subjectSkeletonSchema = z
  .strictObject({
    type: z.tuple([z.literal("AchievementSubject")]),
    achievement: z.custom<z.infer<typeof achievementSchema>>(() => true),
    ...subjectClaimsShape,
  })
  .superRefine(checkSubject);
export type CredentialSubject = z.infer<typeof subjectSchema>;
