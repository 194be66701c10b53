// A verified credential in words: one sentence a person can act on, then every disclosed claim with a human
// label, in Swedish or English. Dates and times are shown in Swedish time (Europe/Stockholm), numbers in the
// language's own style ("7,5 hp"). The web page, the CLI and the report all use this one description.

import { ATTENDANCE_ACHIEVEMENT_TYPE, achievementSkills, type Credential } from "@intyg/credential";
import { dayFormatter, listFormatter, numberFormatter, rangeFormatter, ZONE } from "./formatters";
import { formatTime, memoFormat } from "./messages";
import type { Lang } from "./types";

/** One line of a description: a stable id (for programs and tests), a label and a value, both in words. */
export type DescribedField = { id: string; label: string; value: string };

/** A verified credential in words. */
export type CredentialDescription = {
  /** One sentence: who did what, when and where, and who says so. */
  sentence: string;
  /** The disclosed claims, the achievement and the issuer, labelled. */
  fields: DescribedField[];
};

const LABELS = {
  en: {
    holder: "The holder",
    name: "Name",
    email: "E-mail",
    birthDate: "Date of birth",
    organisation: "Organisation",
    role: "Role",
    team: "Hackathon team",
    partsAttended: "Attended",
    result: "Result",
    identifier: "Identifier",
    id: "Holder's wallet",
    hidden: "Hidden by the holder",
    achievement: "Event or course",
    kind: "Kind",
    dates: "Date",
    location: "Place",
    parts: "Parts of the event",
    description: "Description",
    hours: "Length",
    credits: "Credits",
    learningOutcomes: "Learning outcomes",
    skills: "Skills",
    assessment: "Assessment",
    issuer: "Issuer",
    organisationNumber: "Organisation number",
    url: "Issuer's web site",
    validFrom: "Valid from",
    validUntil: "Valid until",
    anchoredAt: "Recorded on the blockchain",
  },
  sv: {
    holder: "Innehavaren",
    name: "Namn",
    email: "E-post",
    birthDate: "Födelsedatum",
    organisation: "Organisation",
    role: "Roll",
    team: "Hackathonlag",
    partsAttended: "Deltog i",
    result: "Resultat",
    identifier: "Identitet",
    id: "Innehavarens plånbok",
    hidden: "Dolt av innehavaren",
    achievement: "Evenemang eller kurs",
    kind: "Slag",
    dates: "Datum",
    location: "Plats",
    parts: "Evenemangets delar",
    description: "Beskrivning",
    hours: "Omfattning",
    credits: "Poäng",
    learningOutcomes: "Lärandemål",
    skills: "Färdigheter",
    assessment: "Examination",
    issuer: "Utfärdare",
    organisationNumber: "Organisationsnummer",
    url: "Utfärdarens webbplats",
    validFrom: "Giltigt från",
    validUntil: "Giltigt till",
    anchoredAt: "Registrerat i blockkedjan",
  },
} as const satisfies Record<Lang, Record<string, string>>;

const ROLES: Record<Lang, Record<string, string>> = {
  en: {
    participant: "participant",
    speaker: "speaker",
    organiser: "organiser",
    "hackathon-team-member": "hackathon team member",
  },
  sv: {
    participant: "deltagare",
    speaker: "talare",
    organiser: "arrangör",
    "hackathon-team-member": "medlem i ett hackathonlag",
  },
};

const RESULTS: Record<Lang, Record<string, string>> = {
  en: {
    Completed: "completed",
    Enrolled: "enrolled",
    Failed: "not passed",
    InProgress: "in progress",
    OnHold: "on hold",
    Provisional: "provisional",
    Withdrew: "withdrew",
  },
  sv: {
    Completed: "genomförd",
    Enrolled: "antagen",
    Failed: "ej godkänd",
    InProgress: "pågår",
    OnHold: "vilande",
    Provisional: "preliminär",
    Withdrew: "avbruten",
  },
};

const KINDS: Record<Lang, Record<string, string>> = {
  en: { [ATTENDANCE_ACHIEVEMENT_TYPE]: "Attendance", Course: "Training" },
  sv: { [ATTENDANCE_ACHIEVEMENT_TYPE]: "Närvaro", Course: "Utbildning" },
};

const isDateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** A calendar date (kept as written) or a date-time in Swedish time, in the language's words. */
export function formatDate(lang: Lang, value: string): string {
  // Once per distinct date: a batch's credentials share theirs.
  return memoFormat(`date|${lang}|${value}`, () => dateText(lang, value));
}

function dateText(lang: Lang, value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return value;
  if (!isDateOnly(value)) return formatTime(value, lang);
  return dayFormatter(lang).format(new Date(ms));
}

/** A span of days in the language's words: "23–25 maj 2026", "23 May – 2 June 2026". */
export function formatDateRange(lang: Lang, start: string, end: string): string {
  return memoFormat(`range|${lang}|${start}|${end}`, () => dateRange(lang, start, end));
}

function dateRange(lang: Lang, start: string, end: string): string {
  const from = Date.parse(start);
  const to = Date.parse(end);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${start} – ${end}`;
  const format = rangeFormatter(lang, isDateOnly(start) && isDateOnly(end) ? "UTC" : ZONE);
  return to <= from ? format.format(new Date(from)) : format.formatRange(new Date(from), new Date(to));
}

function formatNumber(lang: Lang, value: number): string {
  return numberFormatter(lang).format(value);
}

function list(lang: Lang, items: string[]): string {
  // The key cannot be another list's: items are joined with a character that no item text holds.
  if (items.some((item) => item.includes("\u0000"))) return listText(lang, items);
  return memoFormat(`list|${lang}|${items.join("\u0000")}`, () => listText(lang, items));
}

function listText(lang: Lang, items: string[]): string {
  return listFormatter(lang).format(items);
}

type SentenceParams = Record<string, string | number>;

/** The phrases of the one-sentence verdict: the English table defines the keys, Swedish must have each. */
const sentenceEn = {
  hours: (p: SentenceParams) => `${p.n} ${p.count === 1 ? "hour" : "hours"}`,
  credits: (p: SentenceParams) => `${p.n} credits`,
  claims: (p: SentenceParams) => `${p.n} ${p.count === 1 ? "claim" : "claims"}`,
  orgnr: (p: SentenceParams) => `org. no. ${p.number}`,
  issued: (p: SentenceParams) => `Issued by ${p.issuer}.`,
  course: (p: SentenceParams) =>
    `${p.who} completed the course ${p.name}${p.detail ? ` (${p.detail})` : ""}.`,
  speaker: () => "spoke at",
  organiser: () => "helped organise",
  attended: () => "attended",
  team: (p: SentenceParams) => ` (team ${p.team})`,
};
type SentenceKey = keyof typeof sentenceEn;
const SENTENCE: Record<Lang, Record<SentenceKey, (p: SentenceParams) => string>> = {
  en: sentenceEn,
  sv: {
    hours: (p) => `${p.n} ${p.count === 1 ? "timme" : "timmar"}`,
    // Swedish higher-education credits (högskolepoäng); ECTS-equivalent, one point per 0.67 weeks of study.
    credits: (p) => `${p.n} hp`,
    claims: (p) => `${p.n} ${p.count === 1 ? "uppgift" : "uppgifter"}`,
    orgnr: (p) => `org.nr ${p.number}`,
    issued: (p) => `Utfärdat av ${p.issuer}.`,
    course: (p) => `${p.who} har genomgått kursen ${p.name}${p.detail ? ` (${p.detail})` : ""}.`,
    speaker: () => "medverkade som talare vid",
    organiser: () => "var med och arrangerade",
    attended: () => "deltog i",
    team: (p) => ` (lag ${p.team})`,
  },
};
const phrase = (lang: Lang, key: SentenceKey, p: SentenceParams = {}) => SENTENCE[lang][key](p);

function hoursText(lang: Lang, hours: number): string {
  return phrase(lang, "hours", { n: formatNumber(lang, hours), count: hours });
}

function creditsText(lang: Lang, credits: number): string {
  return phrase(lang, "credits", { n: formatNumber(lang, credits) });
}

type Subject = Credential["credentialSubject"];
type ResultClaim = NonNullable<Subject["result"]>[number];

function resultText(lang: Lang, result: ResultClaim): string {
  const status = result.status ? RESULTS[lang][result.status] : undefined;
  return [result.value, status].filter((x): x is string => Boolean(x)).join(", ");
}

/** Describes a credential that verified. Only what the holder disclosed is there to describe. */
export function describeCredential(
  credential: Credential,
  lang: Lang,
  chain: { anchoredAt?: string; hiddenClaims?: number } = {},
): CredentialDescription {
  const l = LABELS[lang];
  const subject = credential.credentialSubject;
  const achievement = subject.achievement;
  const fields: DescribedField[] = [];
  const add = (id: keyof typeof l, value: string | undefined) => {
    if (value !== undefined && value !== "") fields.push({ id, label: l[id], value });
  };

  // The holder
  add("name", subject.name);
  add("organisation", subject.organisation);
  add("role", subject.role ? ROLES[lang][subject.role] : undefined);
  add("team", subject.team);
  const partNames = new Map(
    achievement.achievementType === ATTENDANCE_ACHIEVEMENT_TYPE
      ? (achievement.parts ?? []).map((part) => [
          part.id,
          part.date ? `${part.name} (${formatDate(lang, part.date)})` : part.name,
        ])
      : [],
  );
  const attended = subject.partsAttended?.map((id) => partNames.get(id) ?? id);
  add("partsAttended", attended ? list(lang, attended) : undefined);
  add("result", subject.result ? subject.result.map((r) => resultText(lang, r)).join("; ") : undefined);
  add("email", subject.email);
  add("birthDate", subject.birthDate ? formatDate(lang, subject.birthDate) : undefined);
  // Hashed identifiers (Open Badges' IdentityObject, always hashed here) say nothing to a reader: not shown.
  add("id", subject.id);
  if (chain.hiddenClaims)
    add("hidden", phrase(lang, "claims", { n: chain.hiddenClaims, count: chain.hiddenClaims }));

  // What was attended or completed
  add("achievement", achievement.name);
  add("kind", KINDS[lang][achievement.achievementType]);
  let when: string | undefined;
  if (achievement.achievementType === ATTENDANCE_ACHIEVEMENT_TYPE) {
    when = formatDateRange(lang, achievement.startDate, achievement.endDate);
    add("dates", when);
    add("location", achievement.location);
    const parts = (achievement.parts ?? []).map((part) => partNames.get(part.id) ?? part.name);
    add("parts", parts.length > 0 ? list(lang, parts) : undefined);
  } else {
    add("hours", achievement.hours === undefined ? undefined : hoursText(lang, achievement.hours));
    add(
      "credits",
      achievement.creditsAvailable === undefined
        ? undefined
        : creditsText(lang, achievement.creditsAvailable),
    );
    add("learningOutcomes", achievement.learningOutcomes?.join("; "));
    const skills = achievementSkills(achievement).map((s) => s.name);
    add("skills", skills.length > 0 ? list(lang, skills) : undefined);
    add("assessment", achievement.assessment);
  }
  add("description", achievement.description);

  // Who says so, and for how long
  const issuer = credential.issuer;
  add("issuer", issuer.name);
  add("organisationNumber", issuer.organisationNumber);
  add("url", issuer.url);
  add("validFrom", formatDate(lang, credential.validFrom));
  add("validUntil", credential.validUntil ? formatDate(lang, credential.validUntil) : undefined);
  add("anchoredAt", chain.anchoredAt ? formatDate(lang, chain.anchoredAt) : undefined);

  return { sentence: sentence(credential, lang, attended, when), fields };
}

function sentence(
  credential: Credential,
  lang: Lang,
  attended: string[] | undefined,
  when: string | undefined,
): string {
  const subject = credential.credentialSubject;
  const achievement = subject.achievement;
  const who = subject.name ?? LABELS[lang].holder;
  const number = credential.issuer.organisationNumber;
  const issuer = `${credential.issuer.name}${number ? `, ${phrase(lang, "orgnr", { number })}` : ""}`;
  const issued = phrase(lang, "issued", { issuer });
  if (achievement.achievementType === "Course") {
    const size = [
      achievement.hours === undefined ? undefined : hoursText(lang, achievement.hours),
      achievement.creditsAvailable === undefined
        ? undefined
        : creditsText(lang, achievement.creditsAvailable),
    ].filter((x): x is string => Boolean(x));
    const result = subject.result?.map((r) => resultText(lang, r)).join("; ");
    const detail = [
      size.length > 0 ? size.join(", ") : undefined,
      result ? `${LABELS[lang].result.toLowerCase()}: ${result}` : undefined,
    ]
      .filter(Boolean)
      .join("; ");
    return `${phrase(lang, "course", { who, name: achievement.name, detail })} ${issued}`;
  }
  const verb = phrase(
    lang,
    subject.role === "speaker" ? "speaker" : subject.role === "organiser" ? "organiser" : "attended",
  );
  const place = [when, achievement.location].filter(Boolean).join(", ");
  const parts = attended && attended.length > 0 ? `: ${list(lang, attended)}` : "";
  const team = subject.team ? phrase(lang, "team", { team: subject.team }) : "";
  return `${who} ${verb} ${achievement.name}${place ? `, ${place}` : ""}${parts}${team}. ${issued}`;
}
