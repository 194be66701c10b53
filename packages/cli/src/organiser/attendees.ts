// Attendee lists: the rows of a CSV file become the attendees of a bulk issuance. Headers may be Swedish or
// English in any case; every row is checked before anything is sent, and each problem is reported with the
// line of the file it is on, so that the organiser can fix the spreadsheet and try again.

import { isIsoDate, subjectClaimsShape } from "@intyg/credential";
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { type CsvRecord, type CsvTable, parseCsv } from "./csv";

export type Lang = "sv" | "en";

/** What the service's bulk route takes for one attendee. */
export type Attendee = {
  subject: {
    name?: string;
    email?: string;
    birthDate?: string;
    organisation?: string;
    role?: "participant" | "speaker" | "organiser" | "hackathon-team-member";
    team?: string;
    partsAttended?: string[];
    result?: { type: ["Result"]; value: string }[];
  };
  holder?: string;
  validUntil?: string;
  reference?: string;
};

export type AttendeeRow = { line: number; attendee: Attendee };
export type RowError = { line: number; message: string };

/** What the rows are checked against: the kind of achievement and, for an event, its parts. */
export type IssuanceTarget = {
  kind: "event" | "course";
  parts: { id: string; name: string; kind?: string }[];
};

/** The one part of a kind (`hackathon` for the event's only hackathon), if there is exactly one. */
function onlyOfKind(parts: IssuanceTarget["parts"], kind: string) {
  const found = parts.filter((p) => p.kind === kind);
  return found.length === 1 ? found[0] : undefined;
}

export type AttendeeList = {
  rows: AttendeeRow[];
  errors: RowError[];
  /** Things worth saying that do not stop the issuance (e.g. the file was read as Windows-1252). */
  notes: string[];
  columns: Column[];
  separator: string;
};

/** The most attendees one bulk request takes (the service's default limit). */
export const MAX_ROWS = 10_000;

type Column =
  | "name"
  | "firstName"
  | "lastName"
  | "email"
  | "birthDate"
  | "organisation"
  | "role"
  | "team"
  | "parts"
  | "wallet"
  | "validUntil"
  | "reference"
  | "result";

/** Header names, normalised (lower case, no blanks, hyphens, underscores or dots). */
const HEADERS: Record<Column, string[]> = {
  name: ["namn", "name", "fullständigtnamn", "fullname", "deltagarnamn"],
  firstName: ["förnamn", "firstname", "givenname", "tilltalsnamn"],
  lastName: ["efternamn", "lastname", "surname", "familyname"],
  email: ["epost", "epostadress", "email", "emailaddress", "mail", "mejl", "mejladress"],
  birthDate: ["födelsedatum", "birthdate", "dateofbirth", "född"],
  organisation: [
    "organisation",
    "organization",
    "arbetsgivare",
    "employer",
    "myndighet",
    "kommun",
    "region",
    "förvaltning",
  ],
  role: ["roll", "role"],
  team: ["lag", "team", "hackathonlag"],
  parts: ["delar", "parts", "partsattended", "deltogi", "pass"],
  wallet: ["plånbok", "plånboksadress", "wallet", "walletaddress", "holder"],
  validUntil: ["giltigtill", "giltigtom", "validuntil", "utgår", "expires"],
  reference: ["referens", "reference", "ref", "anmälningsnummer"],
  result: ["resultat", "result", "betyg", "grade"],
};

/** Columns that must never be sent: a personal identity number does not belong in a credential. */
const REFUSED_HEADERS = [
  "personnummer",
  "personnr",
  "pnr",
  "samordningsnummer",
  "personalidentitynumber",
  "ssn",
];

const ROLES: Record<string, NonNullable<Attendee["subject"]["role"]>> = {
  deltagare: "participant",
  besökare: "participant",
  participant: "participant",
  attendee: "participant",
  talare: "speaker",
  föreläsare: "speaker",
  föredragshållare: "speaker",
  speaker: "speaker",
  presenter: "speaker",
  arrangör: "organiser",
  organisatör: "organiser",
  organiser: "organiser",
  organizer: "organiser",
  hackathondeltagare: "hackathon-team-member",
  lagmedlem: "hackathon-team-member",
  teammedlem: "hackathon-team-member",
  hackathon: "hackathon-team-member",
  hackathonteammember: "hackathon-team-member",
};

const normalise = (value: string) =>
  value
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s\-_.]/g, "");

const emailSchema = subjectClaimsShape.email;
const subjectSchema = z.strictObject(subjectClaimsShape);

// -- messages ---------------------------------------------------------------------------------------------------

const M = {
  sv: {
    line: (n: number) => `rad ${n}`,
    empty: "filen har ingen rubrikrad och inga rader",
    noRows: "filen har en rubrikrad men inga deltagare",
    tooMany: (n: number) =>
      `filen har ${n} deltagare; högst ${MAX_ROWS.toLocaleString("sv-SE")} går i en begäran — dela upp filen`,
    unclosedQuote: 'ett citattecken (") stängs aldrig — fältet fortsätter filen ut',
    textAfterQuote: 'text efter ett avslutande citattecken — skriv citattecken i ett fält som ""',
    unknownColumn: (h: string) => `okänd kolumn "${h}" (kända: ${knownHeaders("sv")})`,
    duplicateColumn: (h: string) => `kolumnen "${h}" finns två gånger`,
    refusedColumn: (h: string) =>
      `kolumnen "${h}" skickas inte: personnummer hör inte hemma i ett intyg (använd födelsedatum)`,
    noNameColumn: "rubrikraden saknar en kolumn för namn (namn, eller förnamn och efternamn)",
    tooManyFields: (n: number, m: number) =>
      `${n} fält men rubrikraden har ${m} — har ett värde med ; glömt citattecken?`,
    noName: "namn saknas",
    emailNoAt: (v: string) => `e-postadressen "${v}" saknar @`,
    emailInvalid: (v: string) => `e-postadressen "${v}" är ogiltig`,
    duplicateEmail: (n: number) => `samma e-postadress som rad ${n}`,
    duplicateWallet: (n: number) => `samma plånboksadress som rad ${n}`,
    birthDateFormat: (v: string) => `födelsedatumet "${v}" ska skrivas ÅÅÅÅ-MM-DD`,
    birthDatePnr: "födelsedatumet ser ut som ett personnummer — ange bara ÅÅÅÅ-MM-DD",
    birthDateFuture: (v: string) => `födelsedatumet ${v} ligger i framtiden`,
    role: (v: string) =>
      `okänd roll "${v}" (deltagare, talare, arrangör eller hackathondeltagare; participant, speaker, organiser, hackathon-team-member)`,
    courseParts: "en kurs har inga delar — töm kolumnen delar",
    noParts: "evenemanget har inga delar att ange",
    part: (v: string, known: string) => `okänd del "${v}" (evenemangets delar: ${known})`,
    duplicatePart: (v: string) => `delen "${v}" står två gånger`,
    wallet: (v: string) => `plånboksadressen "${v}" är ogiltig (0x och 40 hexadecimala tecken)`,
    validUntil: (v: string) => `giltighetstiden "${v}" ska skrivas ÅÅÅÅ-MM-DD`,
    validUntilPast: (v: string) => `giltighetstiden ${v} har redan gått ut`,
    field: (path: string, message: string) => `${path}: ${message}`,
    windows1252: 'filen var inte UTF-8 och lästes som Windows-1252 (Excels "CSV"); kontrollera å, ä och ö',
  },
  en: {
    line: (n: number) => `line ${n}`,
    empty: "the file has no header row and no rows",
    noRows: "the file has a header row but no attendees",
    tooMany: (n: number) =>
      `the file has ${n} attendees; at most ${MAX_ROWS} fit in one request — split the file`,
    unclosedQuote: 'a quote (") is never closed — the field runs to the end of the file',
    textAfterQuote: 'text after a closing quote — write a quote inside a field as ""',
    unknownColumn: (h: string) => `unknown column "${h}" (known: ${knownHeaders("en")})`,
    duplicateColumn: (h: string) => `the column "${h}" appears twice`,
    refusedColumn: (h: string) =>
      `the column "${h}" is not sent: a personal identity number does not belong in a credential (use the birth date)`,
    noNameColumn: "the header row has no column for the name (name, or first name and last name)",
    tooManyFields: (n: number, m: number) =>
      `${n} fields but the header row has ${m} — is a value with the separator missing its quotes?`,
    noName: "the name is missing",
    emailNoAt: (v: string) => `the e-mail address "${v}" has no @`,
    emailInvalid: (v: string) => `the e-mail address "${v}" is not valid`,
    duplicateEmail: (n: number) => `the same e-mail address as line ${n}`,
    duplicateWallet: (n: number) => `the same wallet address as line ${n}`,
    birthDateFormat: (v: string) => `the birth date "${v}" must be written YYYY-MM-DD`,
    birthDatePnr: "the birth date looks like a personal identity number — give only YYYY-MM-DD",
    birthDateFuture: (v: string) => `the birth date ${v} is in the future`,
    role: (v: string) => `unknown role "${v}" (participant, speaker, organiser, hackathon-team-member)`,
    courseParts: "a course has no parts — empty the parts column",
    noParts: "the event has no parts to name",
    part: (v: string, known: string) => `unknown part "${v}" (the event's parts: ${known})`,
    duplicatePart: (v: string) => `the part "${v}" is named twice`,
    wallet: (v: string) => `the wallet address "${v}" is not valid (0x and 40 hexadecimal digits)`,
    validUntil: (v: string) => `the expiry "${v}" must be written YYYY-MM-DD`,
    validUntilPast: (v: string) => `the expiry ${v} has already passed`,
    field: (path: string, message: string) => `${path}: ${message}`,
    windows1252: 'the file was not UTF-8 and was read as Windows-1252 (Excel\'s "CSV"); check å, ä and ö',
  },
} as const;

function knownHeaders(lang: Lang): string {
  return lang === "sv"
    ? "namn, förnamn, efternamn, e-post, födelsedatum, organisation, roll, lag, delar, plånbok, giltig till, referens, resultat"
    : "name, first name, last name, email, birth date, organisation, role, team, parts, wallet, valid until, reference, result";
}

/** `2027-06-30` (the end of that day, UTC) or a UTC date-time, as the service takes it; undefined if neither. */
export function parseExpiry(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isIsoDate(value) ? `${value}T23:59:59Z` : undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(Date.parse(value)).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return undefined;
}

// -- reading a file ---------------------------------------------------------------------------------------------

function mapHeader(header: CsvRecord, lang: Lang, errors: RowError[]): (Column | null)[] {
  const m = M[lang];
  const seen = new Map<Column, string>();
  const columns = header.fields.map((raw) => {
    const key = normalise(raw);
    if (key === "") return null;
    if (REFUSED_HEADERS.includes(key)) {
      errors.push({ line: header.line, message: m.refusedColumn(raw) });
      return null;
    }
    const column = (Object.keys(HEADERS) as Column[]).find((c) => HEADERS[c].includes(key));
    if (!column) {
      errors.push({ line: header.line, message: m.unknownColumn(raw) });
      return null;
    }
    if (seen.has(column)) {
      errors.push({ line: header.line, message: m.duplicateColumn(raw) });
      return null;
    }
    seen.set(column, raw);
    return column;
  });
  if (!seen.has("name") && !(seen.has("firstName") || seen.has("lastName"))) {
    errors.push({ line: header.line, message: m.noNameColumn });
  }
  return columns;
}

type Seen = { emails: Map<string, number>; wallets: Map<string, number> };

function readRow(
  record: CsvRecord,
  columns: (Column | null)[],
  target: IssuanceTarget,
  lang: Lang,
  seen: Seen,
  now: number,
): { attendee?: Attendee; problems: string[] } {
  const m = M[lang];
  const problems: string[] = [];
  if (record.fields.length > columns.length && record.fields.slice(columns.length).some((v) => v !== "")) {
    return { problems: [m.tooManyFields(record.fields.length, columns.length)] };
  }
  const value: Partial<Record<Column, string>> = {};
  columns.forEach((column, i) => {
    const v = record.fields[i] ?? "";
    if (column && v !== "") value[column] = v;
  });

  const subject: Attendee["subject"] = {};
  const attendee: Attendee = { subject };
  const name = value.name ?? [value.firstName, value.lastName].filter(Boolean).join(" ");
  if (!name) problems.push(m.noName);
  else subject.name = name.normalize("NFC");

  if (value.email !== undefined) {
    const email = value.email;
    if (!email.includes("@")) problems.push(m.emailNoAt(email));
    else if (!emailSchema.safeParse(email).success) problems.push(m.emailInvalid(email));
    else {
      const key = email.toLowerCase();
      const first = seen.emails.get(key);
      if (first !== undefined) problems.push(m.duplicateEmail(first));
      else seen.emails.set(key, record.line);
      subject.email = email;
    }
  }

  if (value.birthDate !== undefined) {
    const v = value.birthDate;
    if (/^(\d{2})?\d{6}[-+]?\d{4}$/.test(v)) problems.push(m.birthDatePnr);
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !isIsoDate(v)) problems.push(m.birthDateFormat(v));
    else if (Date.parse(`${v}T00:00:00Z`) > now) problems.push(m.birthDateFuture(v));
    else subject.birthDate = v;
  }

  if (value.organisation !== undefined) subject.organisation = value.organisation.normalize("NFC");

  if (value.role !== undefined) {
    const role = ROLES[normalise(value.role)];
    if (!role) problems.push(m.role(value.role));
    else subject.role = role;
  }

  if (value.team !== undefined) subject.team = value.team.normalize("NFC");

  if (value.parts !== undefined) {
    if (target.kind === "course") problems.push(m.courseParts);
    else if (target.parts.length === 0) problems.push(m.noParts);
    else {
      const ids: string[] = [];
      for (const token of value.parts
        .split(/[,|]/)
        .map((t) => t.trim())
        .filter(Boolean)) {
        const key = token.normalize("NFC").toLowerCase();
        const part =
          target.parts.find((p) => p.id.toLowerCase() === key) ??
          target.parts.find((p) => p.name.toLowerCase() === key) ??
          onlyOfKind(target.parts, key);
        if (!part) problems.push(m.part(token, target.parts.map((p) => p.id).join(", ")));
        else if (ids.includes(part.id)) problems.push(m.duplicatePart(token));
        else ids.push(part.id);
      }
      if (ids.length > 0) subject.partsAttended = ids;
    }
  }

  if (value.wallet !== undefined) {
    const v = value.wallet;
    // All lower or all upper case carries no checksum (EIP-55); mixed case must have a valid one.
    const hex = v.slice(2);
    const unchecked = hex === hex.toLowerCase() || hex === hex.toUpperCase();
    if (!/^0x[0-9a-fA-F]{40}$/.test(v) || !isAddress(v, { strict: !unchecked })) problems.push(m.wallet(v));
    else {
      const address = getAddress(v);
      const first = seen.wallets.get(address);
      if (first !== undefined) problems.push(m.duplicateWallet(first));
      else seen.wallets.set(address, record.line);
      attendee.holder = address;
    }
  }

  if (value.validUntil !== undefined) {
    const expiry = parseExpiry(value.validUntil);
    if (!expiry) problems.push(m.validUntil(value.validUntil));
    else if (Date.parse(expiry) <= now) problems.push(m.validUntilPast(value.validUntil));
    else attendee.validUntil = expiry;
  }

  if (value.reference !== undefined) attendee.reference = value.reference;
  if (value.result !== undefined) subject.result = [{ type: ["Result"], value: value.result }];

  // Whatever passed the checks above must also pass the credential format's own schema.
  if (problems.length === 0) {
    const parsed = subjectSchema.safeParse(subject);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(m.field(issue.path.join("."), issue.message));
    }
  }
  return problems.length === 0 ? { attendee, problems } : { problems };
}

/**
 * Reads and checks an attendee list. Returns the attendees (each with the line it came from) and every
 * problem found; nothing is to be sent unless `errors` is empty.
 */
export function readAttendees(
  bytes: Uint8Array,
  target: IssuanceTarget,
  options: { lang?: Lang; now?: number } = {},
): AttendeeList {
  const lang = options.lang ?? "sv";
  const now = options.now ?? Date.now();
  const m = M[lang];
  const table: CsvTable = parseCsv(bytes);
  const errors: RowError[] = table.errors.map((e) => ({
    line: e.line,
    message: e.code === "unclosed-quote" ? m.unclosedQuote : m.textAfterQuote,
  }));
  const notes = table.encoding === "windows-1252" ? [m.windows1252] : [];
  const result = (rows: AttendeeRow[], columns: Column[] = []): AttendeeList => ({
    rows,
    errors: errors.sort((a, b) => a.line - b.line),
    notes,
    columns,
    separator: table.separator,
  });
  if (!table.header) {
    errors.push({ line: 1, message: m.empty });
    return result([]);
  }
  const columns = mapHeader(table.header, lang, errors);
  const present = columns.filter((c): c is Column => c !== null);
  if (table.rows.length === 0) {
    errors.push({ line: table.header.line, message: m.noRows });
    return result([], present);
  }
  if (table.rows.length > MAX_ROWS) {
    errors.push({ line: table.header.line, message: m.tooMany(table.rows.length) });
    return result([], present);
  }
  const seen: Seen = { emails: new Map(), wallets: new Map() };
  const rows: AttendeeRow[] = [];
  const syntaxLines = new Set(errors.map((e) => e.line));
  for (const record of table.rows) {
    if (syntaxLines.has(record.line)) continue;
    const { attendee, problems } = readRow(record, columns, target, lang, seen, now);
    for (const message of problems) errors.push({ line: record.line, message });
    if (attendee) rows.push({ line: record.line, attendee });
  }
  return result(rows, present);
}

/** `rad 7: e-postadressen saknar @` — one line per problem. */
export function formatRowErrors(errors: readonly RowError[], lang: Lang): string {
  return errors.map((e) => `${M[lang].line(e.line)}: ${e.message}`).join("\n");
}
