// The PDF certificate: one A4 page in Swedish or English with the credential's visible claims and a QR code
// that leads to verification. Helvetica (WinAnsi) renders å, ä, ö and the rest of Latin-1; other characters
// are transliterated or replaced so that no name can break the document.

import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";

export type CertificateLanguage = "sv" | "en";

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
    achievement?: {
      achievementType?: "Attendance" | "Course";
      name?: string;
      description?: string;
      startDate?: string;
      endDate?: string;
      location?: string;
      parts?: { id: string; name: string }[];
      hours?: number;
      credits?: number;
      learningOutcomes?: string[];
    };
  };
};

const LABELS = {
  sv: {
    attendance: "Intyg om deltagande",
    course: "Kursintyg",
    attended: "har deltagit i",
    completed: "har genomfört kursen",
    anonymous: "Innehavaren",
    dates: "Datum",
    place: "Plats",
    parts: "Deltog i",
    role: "Roll",
    team: "Lag",
    organisation: "Organisation",
    hours: "Timmar",
    credits: "Poäng",
    outcomes: "Lärandemål",
    issuer: "Utfärdat av",
    orgnr: "Org.nr",
    issued: "Utfärdat",
    validUntil: "Giltigt till",
    id: "Intygs-id",
    scan: "Skanna för att verifiera",
    verify: "Intyget är digitalt signerat och förankrat i ett register. Verifiera det med QR-koden.",
    roles: {
      participant: "Deltagare",
      speaker: "Talare",
      organiser: "Arrangör",
      "hackathon-team-member": "Deltagare i hackathonlag",
    } as Record<string, string>,
  },
  en: {
    attendance: "Certificate of attendance",
    course: "Certificate of completion",
    attended: "has attended",
    completed: "has completed the course",
    anonymous: "The holder",
    dates: "Dates",
    place: "Place",
    parts: "Attended",
    role: "Role",
    team: "Team",
    organisation: "Organisation",
    hours: "Hours",
    credits: "Credits",
    outcomes: "Learning outcomes",
    issuer: "Issued by",
    orgnr: "Org. no.",
    issued: "Issued",
    validUntil: "Valid until",
    id: "Credential id",
    scan: "Scan to verify",
    verify: "This certificate is digitally signed and anchored in a registry. Verify it with the QR code.",
    roles: {
      participant: "Participant",
      speaker: "Speaker",
      organiser: "Organiser",
      "hackathon-team-member": "Hackathon team member",
    } as Record<string, string>,
  },
};

/** Letters that do not decompose into a base letter and an accent. */
const TRANSLITERATIONS: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  Ŧ: "T",
  ŧ: "t",
};

/** Text the font can draw: characters outside its set are stripped of accents, or replaced by "?". */
function drawable(font: PDFFont, value: string): string {
  const supported = new Set(font.getCharacterSet());
  let out = "";
  for (const char of value.normalize("NFC")) {
    const code = char.codePointAt(0)!;
    if (supported.has(code)) {
      out += char;
      continue;
    }
    const base = TRANSLITERATIONS[char] ?? char.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    out += [...base].every((c) => supported.has(c.codePointAt(0)!)) && base.length > 0 ? base : "?";
  }
  return out.replace(/[\r\n\t]+/g, " ");
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function dateText(value: string | undefined, lang: CertificateLanguage): string | undefined {
  if (!value) return undefined;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  }).format(date);
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
  status?: CertificateStatus;
  document: Record<string, unknown>;
  lang: CertificateLanguage;
  qrPng: Uint8Array;
  /** Shown under the QR code. */
  verifyUrl: string;
};

/** The certificate as PDF bytes (`%PDF-…`). */
export async function certificatePdf(input: CertificateInput): Promise<Uint8Array> {
  const doc = input.document as Doc;
  const t = LABELS[input.lang];
  const pdf = await PDFDocument.create();
  pdf.setTitle(
    drawable(
      await pdf.embedFont(StandardFonts.Helvetica),
      doc.credentialSubject?.achievement?.name ?? "Intyg",
    ),
  );
  pdf.setCreator("Intyg");
  pdf.setProducer("Intyg issuer service");
  pdf.setLanguage(input.lang === "sv" ? "sv-SE" : "en-GB");
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page: PDFPage = pdf.addPage([842, 595]);
  const ink = rgb(0.12, 0.16, 0.22);
  const muted = rgb(0.4, 0.43, 0.48);
  const accent = rgb(0.0, 0.33, 0.55);
  const left = 56;
  const textWidth = 520;
  let y = 530;

  const line = (value: string, font: PDFFont, size: number, color = ink, gap = 6) => {
    for (const part of wrap(font, drawable(font, value), size, textWidth)) {
      page.drawText(part, { x: left, y, size, font, color });
      y -= size + gap;
    }
  };
  const field = (label: string, value: string | undefined) => {
    if (!value) return;
    line(`${label}: ${value}`, regular, 11, ink, 5);
  };

  page.drawRectangle({ x: 24, y: 24, width: 794, height: 547, borderColor: accent, borderWidth: 2 });
  const achievement = doc.credentialSubject?.achievement ?? {};
  const isCourse = achievement.achievementType === "Course";
  line(isCourse ? t.course : t.attendance, bold, 26, accent, 18);
  line(doc.credentialSubject?.name ?? t.anonymous, bold, 22, ink, 8);
  line(isCourse ? t.completed : t.attended, regular, 13, muted, 8);
  line(achievement.name ?? "", bold, 18, ink, 12);
  if (achievement.description) line(achievement.description, regular, 10, muted, 4);
  y -= 6;
  const start = dateText(achievement.startDate, input.lang);
  const end = dateText(achievement.endDate, input.lang);
  field(t.dates, start && end && start !== end ? `${start} – ${end}` : start);
  field(t.place, achievement.location);
  const attended = doc.credentialSubject?.partsAttended ?? [];
  if (attended.length > 0) {
    const names = attended.map((id) => achievement.parts?.find((p) => p.id === id)?.name ?? id);
    field(t.parts, names.join(", "));
  }
  const role = doc.credentialSubject?.role;
  field(t.role, role ? (t.roles[role] ?? role) : undefined);
  field(t.team, doc.credentialSubject?.team);
  field(t.organisation, doc.credentialSubject?.organisation);
  if (achievement.hours !== undefined) field(t.hours, String(achievement.hours));
  if (achievement.credits !== undefined) field(t.credits, String(achievement.credits));
  if (achievement.learningOutcomes?.length) {
    field(t.outcomes, "");
    for (const outcome of achievement.learningOutcomes.slice(0, 8)) line(`• ${outcome}`, regular, 10, ink, 3);
  }
  y -= 8;
  const issuer = doc.issuer ?? {};
  field(
    t.issuer,
    [issuer.name, issuer.legalName && issuer.legalName !== issuer.name ? `(${issuer.legalName})` : undefined]
      .filter(Boolean)
      .join(" "),
  );
  field(t.orgnr, issuer.organisationNumber);
  field(t.issued, dateText(doc.validFrom, input.lang));
  field(t.validUntil, dateText(doc.validUntil, input.lang));

  const qr = await pdf.embedPng(input.qrPng);
  const size = 200;
  page.drawImage(qr, { x: 842 - 56 - size, y: 595 - 80 - size, width: size, height: size });
  const caption = drawable(regular, t.scan);
  page.drawText(caption, {
    x: 842 - 56 - size / 2 - regular.widthOfTextAtSize(caption, 11) / 2,
    y: 595 - 96 - size,
    size: 11,
    font: regular,
    color: muted,
  });
  page.drawText(drawable(regular, t.verify), { x: left, y: 60, size: 9, font: regular, color: muted });
  page.drawText(drawable(regular, `${t.id}: ${doc.id ?? ""}`), {
    x: left,
    y: 46,
    size: 8,
    font: regular,
    color: muted,
  });
  page.drawText(drawable(regular, input.verifyUrl), {
    x: left,
    y: 34,
    size: 8,
    font: regular,
    color: accent,
  });
  return pdf.save();
}
