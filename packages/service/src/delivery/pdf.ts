// The PDF certificate: one A4 page in Swedish or English with the credential's visible claims, its status, and a
// QR code that opens the verifier page. Text is set in embedded, subset Noto fonts (see fonts.ts, text.ts), so
// any name a register may hold (Latin with every European diacritic, Sami, Vietnamese, Cyrillic, Greek, Arabic,
// Chinese, Japanese, Korean) is drawn as written and extracted exactly. A revoked or superseded credential's
// certificate says so across the page and in a status line: it is never a clean certificate.
//
// Accessibility: the document has a title, language, author and subject, and opens showing its title; every
// line carries its text as /ActualText. It is not a tagged PDF (pdf-lib has no structure tree API), so a screen
// reader reads it in drawing order: headings first, then each field as "label: value".

import type { Lang } from "@intyg/credential/lang";
import fontkit from "@pdf-lib/fontkit";
import { degrees, PDFDocument, type PDFPage, rgb } from "pdf-lib";
import type { FontWeight } from "./fonts";
import { drawableText, Typesetter, type Typesetter as TypesetterType } from "./text";

/** The language of a certificate (Intyg's one `Lang`). */
export type CertificateLanguage = Lang;

type Doc = {
  id?: string;
  validFrom?: string;
  validUntil?: string;
  issuer?: { name?: string; legalName?: string; organisationNumber?: string; url?: string };
  credentialSubject?: {
    name?: string;
    organisation?: string;
    role?: string;
    team?: string;
    partsAttended?: string[];
    result?: { value?: string; status?: string }[];
    achievement?: {
      achievementType?: "ext:Attendance" | "Course";
      name?: string;
      description?: string;
      startDate?: string;
      endDate?: string;
      location?: string;
      parts?: { id: string; name: string }[];
      hours?: number;
      creditsAvailable?: number;
      learningOutcomes?: string[];
      alignment?: { targetName: string }[];
      skills?: { name: string }[];
      assessment?: string;
    };
  };
};

/** The certificate's texts in English; {@link SV} covers every key. */
const EN = {
  attendance: "Certificate of attendance",
  course: "Certificate of completion",
  attended: "has attended",
  completed: "has completed the course",
  anonymous: "The holder",
  partOf: "Part of",
  dates: "Dates",
  place: "Place",
  parts: "Attended",
  role: "Role",
  team: "Team",
  organisation: "Organisation",
  scope: "Scope",
  hours: "{n} hours",
  credits: "{n} credits",
  result: "Result",
  assessment: "Assessment",
  outcomes: "Learning outcomes",
  skills: "Skills",
  issuer: "Issued by",
  orgnr: "Org. no.",
  issued: "Issued",
  validUntil: "Valid until",
  id: "Credential id",
  scan: "Scan to verify",
  verify: "This certificate is digitally signed and anchored in a registry. Verify it with the QR code.",
  revoked: "REVOKED",
  superseded: "SUPERSEDED",
  revokedLine: "Revoked {date}. Reason: {reason}. This certificate is no longer valid.",
  supersededLine: "Superseded {date} by a new certificate. This one is no longer valid.",
  "role.participant": "Participant",
  "role.speaker": "Speaker",
  "role.organiser": "Organiser",
  "role.hackathon-team-member": "Hackathon team member",
  "result.Completed": "Completed",
  "result.Enrolled": "Enrolled",
  "result.Failed": "Failed",
  "result.InProgress": "In progress",
  "result.OnHold": "On hold",
  "result.Provisional": "Provisional",
  "result.Withdrew": "Withdrew",
  "reason.issuedInError": "issued in error",
  "reason.superseded": "superseded",
  "reason.withdrawn": "withdrawn by the issuer",
  "reason.keyCompromise": "the signing key was compromised",
  "reason.fraud": "fraud",
  "reason.other": "other reason",
} as const;

export type CertificateTextKey = keyof typeof EN;

const SV: Record<CertificateTextKey, string> = {
  attendance: "Intyg om deltagande",
  course: "Kursintyg",
  attended: "har deltagit i",
  completed: "har genomfört kursen",
  anonymous: "Innehavaren",
  partOf: "Del av",
  dates: "Datum",
  place: "Plats",
  parts: "Deltog i",
  role: "Roll",
  team: "Lag",
  organisation: "Organisation",
  scope: "Omfattning",
  hours: "{n} timmar",
  credits: "{n} hp",
  result: "Resultat",
  assessment: "Examination",
  outcomes: "Lärandemål",
  skills: "Färdigheter",
  issuer: "Utfärdat av",
  orgnr: "Org.nr",
  issued: "Utfärdat",
  validUntil: "Giltigt till",
  id: "Intygs-id",
  scan: "Skanna för att verifiera",
  verify: "Intyget är digitalt signerat och förankrat i ett register. Verifiera det med QR-koden.",
  revoked: "ÅTERKALLAT",
  superseded: "ERSATT",
  revokedLine: "Återkallat {date}. Skäl: {reason}. Intyget gäller inte längre.",
  supersededLine: "Ersatt {date} av ett nytt intyg. Det här gäller inte längre.",
  "role.participant": "Deltagare",
  "role.speaker": "Talare",
  "role.organiser": "Arrangör",
  "role.hackathon-team-member": "Deltagare i hackathonlag",
  "result.Completed": "Genomförd",
  "result.Enrolled": "Inskriven",
  "result.Failed": "Underkänd",
  "result.InProgress": "Pågår",
  "result.OnHold": "Vilande",
  "result.Provisional": "Preliminär",
  "result.Withdrew": "Avbruten",
  "reason.issuedInError": "utfärdat av misstag",
  "reason.superseded": "ersatt",
  "reason.withdrawn": "återkallat av utfärdaren",
  "reason.keyCompromise": "signeringsnyckeln har röjts",
  "reason.fraud": "bedrägeri",
  "reason.other": "annat skäl",
};

const TEXTS: Record<CertificateLanguage, Record<CertificateTextKey, string>> = { en: EN, sv: SV };

function locale(lang: CertificateLanguage): string {
  return lang === "sv" ? "sv-SE" : "en-GB";
}

function toDate(value: string): Date | undefined {
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const dateFormat = (lang: CertificateLanguage) =>
  new Intl.DateTimeFormat(locale(lang), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

/** A date in the holder's language: "23 maj 2026", "23 May 2026". */
export function dateText(value: string | undefined, lang: CertificateLanguage): string | undefined {
  if (!value) return undefined;
  const date = toDate(value);
  return date ? dateFormat(lang).format(date) : value;
}

/** A span of dates in the holder's language: "23–25 maj 2026", "30 maj–2 juni 2026", "23–25 May 2026". */
export function dateRangeText(
  start: string | undefined,
  end: string | undefined,
  lang: CertificateLanguage,
): string | undefined {
  const from = start ? toDate(start) : undefined;
  const to = end ? toDate(end) : undefined;
  if (!from || !to) return dateText(start ?? end, lang);
  return dateFormat(lang)
    .formatRange(from, to)
    .replace(/\s*–\s*/g, "–");
}

/** A number in the holder's language: "7,5" or "7.5". */
export function numberText(value: number, lang: CertificateLanguage): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(value);
}

/** A credential that is no longer valid as issued: its certificate says so. */
export type CertificateStatus = {
  kind: "revoked" | "superseded";
  /** The revocation reason code (`issuedInError`, `superseded`, `withdrawn`, …). */
  reason: string;
  /** ISO 8601. */
  date?: string;
};

export type CertificateInput = {
  document: Record<string, unknown>;
  lang: CertificateLanguage;
  qrPng: Uint8Array;
  /** Printed under the QR code (the link it carries, when short enough to type). */
  verifyUrl: string;
  /** Revoked or superseded: marked across the page and in a status line. */
  status?: CertificateStatus;
  /** The name of the conference an event part belongs to. */
  parentName?: string;
};

const INK = rgb(0.12, 0.16, 0.22);
const MUTED = rgb(0.36, 0.39, 0.44);
const ACCENT = rgb(0.0, 0.33, 0.55);
const ALERT = rgb(0.7, 0.07, 0.07);
const PAGE = { width: 842, height: 595 };

/** The certificate as PDF bytes (`%PDF-…`). */
export async function certificatePdf(input: CertificateInput): Promise<Uint8Array> {
  const doc = input.document as Doc;
  const { lang } = input;
  const t = (key: CertificateTextKey, params: Record<string, string> = {}) =>
    TEXTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
  const subject = doc.credentialSubject ?? {};
  const achievement = subject.achievement ?? {};
  const isCourse = achievement.achievementType === "Course";
  const holder = subject.name ?? t("anonymous");

  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const heading = isCourse ? t("course") : t("attendance");
  pdf.setTitle(drawableText(`${heading}: ${achievement.name ?? ""} – ${holder}`), {
    showInWindowTitleBar: true,
  });
  pdf.setSubject(drawableText(achievement.name ?? heading));
  pdf.setAuthor(drawableText(doc.issuer?.name ?? "Intyg"));
  pdf.setKeywords([heading, "Intyg", ...(doc.id ? [doc.id] : [])]);
  pdf.setCreator("Intyg");
  pdf.setProducer("Intyg issuer service (pdf-lib)");
  pdf.setLanguage(lang === "sv" ? "sv-SE" : "en-GB");
  const ts: TypesetterType = new Typesetter(pdf);
  const page: PDFPage = pdf.addPage([PAGE.width, PAGE.height]);

  const left = 56;
  const textWidth = 500;
  let y = 528;
  const line = async (value: string, size: number, weight: FontWeight, color = INK, gap = 6) => {
    for (const part of await ts.wrap(value, size, textWidth, weight)) {
      ts.draw(page, await ts.shape(part, weight), { x: left, y, size, color });
      y -= size + gap;
    }
  };
  const field = async (label: string, value: string | undefined) => {
    if (!value) return;
    await line(`${label}: ${value}`, 10.5, 400, INK, 4.5);
  };

  page.drawRectangle({ x: 24, y: 24, width: 794, height: 547, borderColor: ACCENT, borderWidth: 2 });

  if (input.status) {
    // Across the page, light enough to read the certificate through, and a status line at the top.
    const mark = input.status.kind === "superseded" ? t("superseded") : t("revoked");
    const shaped = await ts.shape(mark, 700);
    // Centred on the text, left of the QR code, so that it hides nothing a scanner needs.
    const angle = Math.atan2(PAGE.height, PAGE.width);
    const size = Math.min(110, (560 * 1000) / shaped.advance);
    const width = (shaped.advance * size) / 1000;
    const centre = { x: 300, y: PAGE.height / 2 - 20 };
    ts.draw(page, shaped, {
      x: centre.x - (Math.cos(angle) * width) / 2 + (Math.sin(angle) * size) / 3,
      y: centre.y - (Math.sin(angle) * width) / 2 - (Math.cos(angle) * size) / 3,
      size,
      color: rgb(0.93, 0.72, 0.72),
      rotate: degrees((angle * 180) / Math.PI),
    });
    const date = dateText(input.status.date, lang) ?? "";
    const reasonKey = `reason.${input.status.reason}` as CertificateTextKey;
    const text =
      input.status.kind === "superseded"
        ? t("supersededLine", { date })
        : t("revokedLine", { date, reason: reasonKey in EN ? t(reasonKey) : input.status.reason });
    page.drawRectangle({ x: 24, y: 535, width: 794, height: 36, color: rgb(0.99, 0.92, 0.92) });
    ts.draw(page, await ts.shape(text, 700), { x: left, y: 548, size: 12, color: ALERT });
    y = 508;
  }

  await line(heading, 24, 700, ACCENT, 16);
  await line(holder, 22, 700, INK, 8);
  await line(isCourse ? t("completed") : t("attended"), 12.5, 400, MUTED, 8);
  await line(achievement.name ?? "", 18, 700, INK, 8);
  if (input.parentName) await line(`${t("partOf")} ${input.parentName}`, 12, 400, MUTED, 8);
  if (achievement.description) await line(achievement.description, 10, 400, MUTED, 4);
  y -= 6;
  await field(t("dates"), dateRangeText(achievement.startDate, achievement.endDate, lang));
  await field(t("place"), achievement.location);
  const attended = subject.partsAttended ?? [];
  if (attended.length > 0) {
    const names = attended.map((id) => achievement.parts?.find((p) => p.id === id)?.name ?? id);
    await field(t("parts"), names.join(", "));
  }
  const role = subject.role;
  const roleKey = `role.${role}` as CertificateTextKey;
  await field(t("role"), role ? (roleKey in EN ? t(roleKey) : role) : undefined);
  await field(t("team"), subject.team);
  await field(t("organisation"), subject.organisation);
  const scope = [
    achievement.hours !== undefined ? t("hours", { n: numberText(achievement.hours, lang) }) : undefined,
    achievement.creditsAvailable !== undefined
      ? t("credits", { n: numberText(achievement.creditsAvailable, lang) })
      : undefined,
  ].filter(Boolean);
  await field(t("scope"), scope.join(", "));
  const results = (subject.result ?? []).map((r) => {
    const statusKey = `result.${r.status}` as CertificateTextKey;
    const status = r.status ? (statusKey in EN ? t(statusKey) : r.status) : undefined;
    return [r.value, status].filter(Boolean).join(" – ");
  });
  await field(t("result"), results.join("; "));
  await field(t("assessment"), achievement.assessment);
  const skills = [
    ...(achievement.alignment ?? []).map((a) => a.targetName),
    ...(achievement.skills ?? []).map((s) => s.name),
  ];
  await field(t("skills"), skills.length > 0 ? skills.join(", ") : undefined);
  if (achievement.learningOutcomes?.length) {
    await line(`${t("outcomes")}:`, 10.5, 400, INK, 3);
    for (const outcome of achievement.learningOutcomes.slice(0, 6))
      await line(`• ${outcome}`, 9.5, 400, INK, 3);
  }
  y -= 8;
  const issuer = doc.issuer ?? {};
  await field(
    t("issuer"),
    [issuer.name, issuer.legalName && issuer.legalName !== issuer.name ? `(${issuer.legalName})` : undefined]
      .filter(Boolean)
      .join(" "),
  );
  await field(t("orgnr"), issuer.organisationNumber);
  await field(t("issued"), dateText(doc.validFrom, lang));
  await field(t("validUntil"), dateText(doc.validUntil, lang));

  const qr = await pdf.embedPng(input.qrPng);
  const size = 200;
  const qrTop = input.status ? 515 : 525;
  page.drawImage(qr, { x: PAGE.width - 56 - size, y: qrTop - size, width: size, height: size });
  const caption = await ts.shape(t("scan"), 700);
  ts.draw(page, caption, {
    x: PAGE.width - 56 - size / 2 - (caption.advance * 11) / 2000,
    y: qrTop - size - 16,
    size: 11,
    color: MUTED,
  });
  ts.draw(page, await ts.shape(t("verify")), { x: left, y: 60, size: 9, color: MUTED });
  ts.draw(page, await ts.shape(`${t("id")}: ${doc.id ?? ""}`), { x: left, y: 46, size: 8, color: MUTED });
  ts.draw(page, await ts.shape(input.verifyUrl), { x: left, y: 34, size: 8, color: ACCENT });
  return pdf.save();
}
