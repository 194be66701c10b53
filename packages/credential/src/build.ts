// Builders of unsigned credentials: the claims laid out in the Intyg format, validated, and committed to
// with a fresh salt per claim.

import { commitCredential } from "./commitment";
import {
  ATTENDANCE_ACHIEVEMENT_TYPE,
  COURSE_ACHIEVEMENT_TYPE,
  CREDENTIAL_CONTEXT,
  CREDENTIAL_TYPE,
} from "./constants";
import { InvalidCredentialError } from "./errors";
import { holderIdentifier } from "./identity";
import { randomSalt, randomUuidUrn, type SaltGenerator } from "./random";
import type { EventPart, Skill } from "./schema/achievement";
import { type CredentialBody, credentialBodySchema, type UnsignedCredential } from "./schema/credential";
import type { CredentialSubject } from "./schema/subject";
import { toIsoSeconds } from "./time";
import { eventUrn, organisationUrn } from "./urn";
import { toSchemaIssues } from "./validate";
import type { Address } from "./viem";

/** The issuing organisation: its on-chain id and its off-chain profile. */
export type IssuerParams = {
  /** The organisation's id in the registry (uint32). */
  organisationId: number;
  name: string;
  legalName: string;
  /** Swedish organisation number, `NNNNNN-NNNN`. */
  organisationNumber: string;
  /** The organisation's web site (https). */
  url: string;
};

/** The attendee's claims; every one is optional and may later be hidden by the holder. */
export type SubjectParams = Omit<CredentialSubject, "type" | "achievement">;

/** Parameters shared by both builders. */
export type BuildCredentialParams = {
  chainId: number;
  registry: Address;
  /** The event's or course's id in the registry (uint64). */
  eventId: bigint | number;
  issuer: IssuerParams;
  subject: SubjectParams;
  /** Defaults to now. */
  validFrom?: Date | string;
  /** For credentials that expire, e.g. certifications. */
  validUntil?: Date | string;
  /** `urn:uuid:…`; defaults to a random UUID. */
  id?: string;
  /** A description of the credential itself (VC 2.0 `description`), e.g. from a VC-API request. */
  description?: string;
  /** Makes the salt of each claim; defaults to 16 random bytes. */
  salt?: SaltGenerator;
  /** The clock behind the default `validFrom`. */
  now?: () => Date;
};

export type AttendanceEventParams = {
  name: string;
  description?: string;
  /** How attendance was established; defaults to a plain English sentence. */
  criteria?: string;
  /** `YYYY-MM-DD` or an ISO UTC date-time. */
  startDate: string;
  endDate: string;
  location?: string;
  /** Part ids are short (`day1`); the credential carries them, and `partsAttended`, as URLs. */
  parts?: EventPart[];
};

export type BuildAttendanceCredentialParams = BuildCredentialParams & { event: AttendanceEventParams };

export type CourseParams = {
  name: string;
  description?: string;
  /** What completing the course required; defaults to a plain English sentence. */
  criteria?: string;
  hours?: number;
  /** Carried as Open Badges' `creditsAvailable`. */
  credits?: number;
  learningOutcomes?: string[];
  /** Skills, with their ESCO URIs where known: ESCO skills become Open Badges alignments. */
  skills?: Skill[];
  assessment?: string;
};

export type BuildCourseCredentialParams = BuildCredentialParams & { course: CourseParams };

// Open Badges requires criteria and a description; these stand in when the organiser gave none, in Swedish,
// the language of the organisations that issue (an organiser who writes in English gives their own).
const DEFAULT_ATTENDANCE_CRITERIA = "Närvaron är bekräftad av arrangören.";
const DEFAULT_COURSE_CRITERIA = "Kursen är genomförd enligt kursgivarens bekräftelse.";
const defaultAttendanceDescription = (name: string) => `Närvaro vid ${name}.`;
const defaultCourseDescription = (name: string) => `Genomförd kurs: ${name}.`;

/** The URL of a part of an event: `<achievement id>#<part id, percent-encoded>`. */
export function partUrl(achievementId: string, partId: string): string {
  return `${achievementId}#${encodeURIComponent(partId)}`;
}

/** A part id as an organiser wrote it, or as the URL of a part of `achievementId`: always the URL. */
function asPartUrl(achievementId: string, partId: string): string {
  return partId.startsWith(`${achievementId}#`) ? partId : partUrl(achievementId, partId);
}

/** The same salt every time for one path: the holder identifier is salted with its source claim's salt. */
function memoisedSalt(makeSalt: SaltGenerator): SaltGenerator {
  const salts = new Map<string, ReturnType<SaltGenerator>>();
  return (path) => {
    let salt = salts.get(path);
    if (salt === undefined) {
      salt = makeSalt(path);
      salts.set(path, salt);
    }
    return salt;
  };
}

/** A deep copy of plain data without undefined properties (as JSON would carry it). */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = withoutUndefined(item);
    }
    return out as T;
  }
  return value;
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length === 0 ? undefined : items;
}

function isoOf(value: Date | string): string {
  return typeof value === "string" ? value : toIsoSeconds(value);
}

function buildCredential(
  params: BuildCredentialParams,
  achievement: Record<string, unknown> & { name: string },
): UnsignedCredential {
  const eventId = BigInt(params.eventId);
  // The subject's `type` and `achievement` are the builder's, whatever the caller passed.
  const {
    type: _type,
    achievement: _achievement,
    ...subjectClaims
  } = params.subject as Record<string, unknown>;
  const now = params.now ?? (() => new Date());
  const achievementId = eventUrn(params.chainId, params.registry, eventId);
  const parts = achievement.parts as EventPart[] | undefined;
  if (parts !== undefined) {
    achievement.parts = parts.map((part) => ({ ...part, id: asPartUrl(achievementId, part.id) }));
  }
  const attended = subjectClaims.partsAttended as string[] | undefined;
  if (Array.isArray(attended)) {
    subjectClaims.partsAttended = attended.map((id) =>
      typeof id === "string" ? asPartUrl(achievementId, id) : id,
    );
  }
  const salt = memoisedSalt(params.salt ?? randomSalt);
  const id = params.id ?? randomUuidUrn();
  subjectClaims.identifier = [
    holderIdentifier({ subject: subjectClaims, credentialId: id, salt }),
    ...((subjectClaims.identifier as unknown[] | undefined) ?? []),
  ];
  const body = withoutUndefined({
    "@context": [...CREDENTIAL_CONTEXT],
    id,
    type: [...CREDENTIAL_TYPE],
    name: achievement.name,
    description: params.description,
    issuer: {
      id: organisationUrn(params.chainId, params.registry, params.issuer.organisationId),
      type: ["Profile"],
      name: params.issuer.name,
      legalName: params.issuer.legalName,
      organisationNumber: params.issuer.organisationNumber,
      url: params.issuer.url,
    },
    validFrom: isoOf(params.validFrom ?? now()),
    validUntil: params.validUntil === undefined ? undefined : isoOf(params.validUntil),
    credentialSubject: {
      type: ["AchievementSubject"],
      achievement: {
        id: achievementId,
        type: ["Achievement"],
        ...achievement,
      },
      ...subjectClaims,
    },
  });
  const parsed = credentialBodySchema.safeParse(body);
  if (!parsed.success) throw new InvalidCredentialError(toSchemaIssues(parsed.error));
  return commitCredential(body as CredentialBody, { salt });
}

/** An unsigned attendance credential for an event (and the parts attended), with its commitment. */
export function buildAttendanceCredential(params: BuildAttendanceCredentialParams): UnsignedCredential {
  const { event } = params;
  return buildCredential(params, {
    achievementType: ATTENDANCE_ACHIEVEMENT_TYPE,
    name: event.name,
    description: event.description ?? defaultAttendanceDescription(event.name),
    criteria: { narrative: event.criteria ?? DEFAULT_ATTENDANCE_CRITERIA },
    startDate: event.startDate,
    endDate: event.endDate,
    location: event.location,
    parts: event.parts,
  });
}

/** An unsigned training credential for a course, with its commitment. */
export function buildCourseCredential(params: BuildCourseCredentialParams): UnsignedCredential {
  const { course } = params;
  return buildCredential(params, {
    achievementType: COURSE_ACHIEVEMENT_TYPE,
    name: course.name,
    description: course.description ?? defaultCourseDescription(course.name),
    criteria: { narrative: course.criteria ?? DEFAULT_COURSE_CRITERIA },
    hours: course.hours,
    creditsAvailable: course.credits,
    learningOutcomes: course.learningOutcomes,
    alignment: nonEmpty(
      (course.skills ?? []).flatMap((skill) =>
        skill.id === undefined
          ? []
          : [
              {
                type: ["Alignment"],
                targetType: "ceasn:Competency",
                targetFramework: "ESCO",
                targetName: skill.name,
                targetUrl: skill.id,
              },
            ],
      ),
    ),
    skills: nonEmpty(
      (course.skills ?? []).flatMap((skill) => (skill.id === undefined ? [{ name: skill.name }] : [])),
    ),
    assessment: course.assessment,
  });
}
