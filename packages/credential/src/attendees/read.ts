// Attendee lists: the rows of a spreadsheet (a CSV file, or a worksheet read elsewhere) become the attendees of
// a bulk issuance. Headers may be Swedish or English in any case, or mapped to fields by the organiser; every row
// is checked before anything is sent, and each problem is reported with the line (and column) it is on, so that
// the organiser can fix the spreadsheet and try again. Messages name the column, never an attendee's e-mail,
// birth date or wallet, so that they may be shown or returned without repeating personal data.

import { getAddress, isAddress } from "viem";
import { z } from "zod";
import type { Lang } from "../lang";
import { subjectClaimsShape } from "../schema/subject";
import { isIsoDate } from "../time";
import { type CsvRecord, type CsvTable, parseCsv } from "./csv";

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
  /** The language of the attendee's e-mail (Swedish when absent). Not in the credential. */
  lang?: Lang;
};

export type AttendeeRow = { line: number; attendee: Attendee };
/** A problem with the file: its line, the column's header when it is about one column, and what is wrong. */
export type RowError = { line: number; column: string | null; message: string };

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

/** The fields a column can be read as. */
export const ATTENDEE_FIELDS = [
  "name",
  "firstName",
  "lastName",
  "email",
  "birthDate",
  "organisation",
  "role",
  "team",
  "parts",
  "wallet",
  "validUntil",
  "reference",
  "result",
  "lang",
] as const;
export type AttendeeField = (typeof ATTENDEE_FIELDS)[number];

/** One column of the file and the field it is read as (null: ignored, or not known). */
export type ColumnChoice = { header: string; field: AttendeeField | null };

/** The organiser's choice per column header: a field, or null to ignore the column. */
export type ColumnMapping = Record<string, AttendeeField | null>;

export type AttendeeList = {
  rows: AttendeeRow[];
  errors: RowError[];
  /** Things worth saying that do not stop the issuance (e.g. the file was read as Windows-1252). */
  notes: string[];
  /** The fields read, in the order of the columns. */
  columns: AttendeeField[];
  /** Every column of the header row with the field it was read as (null: ignored or unknown). */
  mapping: ColumnChoice[];
  /** Data rows in the file (valid or not). */
  total: number;
  separator: string;
};

/** The most attendees one bulk request takes (the service's default limit). */
export const MAX_ROWS = 10_000;

/** Header names, normalised (lower case, no blanks, hyphens, underscores or dots). */
const HEADERS: Record<AttendeeField, string[]> = {
  name: ["namn", "name", "fullständigtnamn", "fullname", "deltagarnamn", "deltagare"],
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
  lang: ["språk", "language", "lang", "epostspråk", "emaillanguage"],
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

const LANGS: Record<string, Lang> = {
  sv: "sv",
  svenska: "sv",
  swedish: "sv",
  en: "en",
  engelska: "en",
  english: "en",
};

const normalise = (value: string) =>
  value
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s\-_.]/g, "");

/** The field a column header names (Swedish or English, any case), or null when it is not known. */
export function suggestField(header: string): AttendeeField | null {
  const key = normalise(header);
  return ATTENDEE_FIELDS.find((field) => HEADERS[field].includes(key)) ?? null;
}

const emailSchema = subjectClaimsShape.email;
const subjectSchema = z.strictObject(subjectClaimsShape);

// -- messages ---------------------------------------------------------------------------------------------------

// The English table defines the messages; the Swedish one must have each of them, with the same parameters.
const en = {
  line: (n: number) => `line ${n}`,
  empty: "the file has no header row and no rows",
  noRows: "the file has a header row but no attendees",
  tooMany: (n: number) =>
    `the file has ${n} attendees; at most ${MAX_ROWS} fit in one request — split the file`,
  unclosedQuote: 'a quote (") is never closed — the field runs to the end of the file',
  textAfterQuote: 'text after a closing quote — write a quote inside a field as ""',
  unknownColumn: (h: string) =>
    `unknown column "${h}" (known: ${knownHeaders("en")}) — rename it or choose to ignore it`,
  duplicateColumn: (h: string) => `the column "${h}" appears twice`,
  refusedColumn: (h: string) =>
    `the column "${h}" is not sent: a personal identity number does not belong in a credential (use the birth date, or ignore the column)`,
  noNameColumn: "the header row has no column for the name (name, or first name and last name)",
  tooManyFields: (n: number, m: number) =>
    `${n} fields but the header row has ${m} — is a value with the separator missing its quotes?`,
  noName: "the name is missing",
  emailNoAt: "the e-mail address has no @",
  emailInvalid: "the e-mail address is not valid",
  duplicateEmail: (n: number) => `the same e-mail address as line ${n}`,
  duplicateWallet: (n: number) => `the same wallet address as line ${n}`,
  birthDateFormat: "the birth date must be written YYYY-MM-DD",
  birthDatePnr: "the birth date looks like a personal identity number — give only YYYY-MM-DD",
  birthDateFuture: "the birth date is in the future",
  role: (v: string) => `unknown role "${v}" (participant, speaker, organiser, hackathon-team-member)`,
  lang: (v: string) => `unknown language "${v}" (sv or en)`,
  courseParts: "a course has no parts — empty the parts column",
  noParts: "the event has no parts to name",
  part: (v: string, known: string) => `unknown part "${v}" (the event's parts: ${known})`,
  duplicatePart: (v: string) => `the part "${v}" is named twice`,
  wallet: "the wallet address is not valid (0x and 40 hexadecimal digits)",
  validUntil: (v: string) => `the expiry "${v}" must be written YYYY-MM-DD`,
  validUntilPast: (v: string) => `the expiry ${v} has already passed`,
  field: (path: string, message: string) => `${path}: ${message}`,
  windows1252: 'the file was not UTF-8 and was read as Windows-1252 (Excel\'s "CSV"); check å, ä and ö',
  ignored: (h: string) => `the column "${h}" is ignored`,
  mappingUnknown: (h: string) => `there is no column "${h}" to map`,
};

const sv: typeof en = {
  line: (n: number) => `rad ${n}`,
  empty: "filen har ingen rubrikrad och inga rader",
  noRows: "filen har en rubrikrad men inga deltagare",
  tooMany: (n: number) =>
    `filen har ${n} deltagare; högst ${MAX_ROWS.toLocaleString("sv-SE")} går i en begäran — dela upp filen`,
  unclosedQuote: 'ett citattecken (") stängs aldrig — fältet fortsätter filen ut',
  textAfterQuote: 'text efter ett avslutande citattecken — skriv citattecken i ett fält som ""',
  unknownColumn: (h: string) =>
    `okänd kolumn "${h}" (kända: ${knownHeaders("sv")}) — byt namn på den eller välj att hoppa över den`,
  duplicateColumn: (h: string) => `kolumnen "${h}" finns två gånger`,
  refusedColumn: (h: string) =>
    `kolumnen "${h}" skickas inte: personnummer hör inte hemma i ett intyg (använd födelsedatum, eller hoppa över kolumnen)`,
  noNameColumn: "rubrikraden saknar en kolumn för namn (namn, eller förnamn och efternamn)",
  tooManyFields: (n: number, m: number) =>
    `${n} fält men rubrikraden har ${m} — har ett värde med ; glömt citattecken?`,
  noName: "namn saknas",
  emailNoAt: "e-postadressen saknar @",
  emailInvalid: "e-postadressen är ogiltig",
  duplicateEmail: (n: number) => `samma e-postadress som rad ${n}`,
  duplicateWallet: (n: number) => `samma plånboksadress som rad ${n}`,
  birthDateFormat: "födelsedatumet ska skrivas ÅÅÅÅ-MM-DD",
  birthDatePnr: "födelsedatumet ser ut som ett personnummer — ange bara ÅÅÅÅ-MM-DD",
  birthDateFuture: "födelsedatumet ligger i framtiden",
  role: (v: string) =>
    `okänd roll "${v}" (deltagare, talare, arrangör eller hackathondeltagare; participant, speaker, organiser, hackathon-team-member)`,
  lang: (v: string) => `okänt språk "${v}" (sv eller en)`,
  courseParts: "en kurs har inga delar — töm kolumnen delar",
  noParts: "evenemanget har inga delar att ange",
  part: (v: string, known: string) => `okänd del "${v}" (evenemangets delar: ${known})`,
  duplicatePart: (v: string) => `delen "${v}" står två gånger`,
  wallet: "plånboksadressen är ogiltig (0x och 40 hexadecimala tecken)",
  validUntil: (v: string) => `giltighetstiden "${v}" ska skrivas ÅÅÅÅ-MM-DD`,
  validUntilPast: (v: string) => `giltighetstiden ${v} har redan gått ut`,
  field: (path: string, message: string) => `${path}: ${message}`,
  windows1252: 'filen var inte UTF-8 och lästes som Windows-1252 (Excels "CSV"); kontrollera å, ä och ö',
  ignored: (h: string) => `kolumnen "${h}" hoppas över`,
  mappingUnknown: (h: string) => `det finns ingen kolumn "${h}" att koppla`,
};

const M: Record<Lang, typeof en> = { sv, en };

function knownHeaders(lang: Lang): string {
  return lang === "sv"
    ? "namn, förnamn, efternamn, e-post, födelsedatum, organisation, roll, lag, delar, plånbok, giltig till, referens, resultat, språk"
    : "name, first name, last name, email, birth date, organisation, role, team, parts, wallet, valid until, reference, result, language";
}

/** `2027-06-30` (the end of that day, UTC) or a UTC date-time, as the service takes it; undefined if neither. */
export function parseExpiry(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isIsoDate(value) ? `${value}T23:59:59Z` : undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(Date.parse(value)).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return undefined;
}

// -- reading a table --------------------------------------------------------------------------------------------

export type ReadOptions = {
  lang?: Lang;
  now?: number;
  /** The organiser's choice per header; headers not named keep the suggested field. */
  mapping?: ColumnMapping;
  /** Ignore columns whose header names no field (otherwise each is an error on the header line). */
  ignoreUnknown?: boolean;
};

function mapHeader(
  header: CsvRecord,
  options: ReadOptions,
  errors: RowError[],
  notes: string[],
): { columns: (AttendeeField | null)[]; mapping: ColumnChoice[] } {
  const m = M[options.lang ?? "sv"];
  const chosen = options.mapping ?? {};
  const headers = header.fields;
  for (const name of Object.keys(chosen)) {
    if (!headers.includes(name))
      errors.push({ line: header.line, column: name, message: m.mappingUnknown(name) });
  }
  const seen = new Map<AttendeeField, string>();
  const mapping: ColumnChoice[] = [];
  const columns = headers.map((raw) => {
    if (normalise(raw) === "") {
      mapping.push({ header: raw, field: null });
      return null;
    }
    const explicit = Object.hasOwn(chosen, raw);
    const field = explicit ? (chosen[raw] ?? null) : suggestField(raw);
    mapping.push({ header: raw, field });
    if (explicit && field === null) {
      notes.push(m.ignored(raw));
      return null;
    }
    if (!explicit && REFUSED_HEADERS.includes(normalise(raw))) {
      errors.push({ line: header.line, column: raw, message: m.refusedColumn(raw) });
      return null;
    }
    if (field === null) {
      if (options.ignoreUnknown) notes.push(m.ignored(raw));
      else errors.push({ line: header.line, column: raw, message: m.unknownColumn(raw) });
      return null;
    }
    if (seen.has(field)) {
      errors.push({ line: header.line, column: raw, message: m.duplicateColumn(raw) });
      return null;
    }
    seen.set(field, raw);
    return field;
  });
  if (!seen.has("name") && !(seen.has("firstName") || seen.has("lastName"))) {
    errors.push({ line: header.line, column: null, message: m.noNameColumn });
  }
  return { columns, mapping };
}

type Seen = { emails: Map<string, number>; wallets: Map<string, number> };
type Problem = { field: AttendeeField | null; message: string };

function readRow(
  record: CsvRecord,
  columns: (AttendeeField | null)[],
  target: IssuanceTarget,
  lang: Lang,
  seen: Seen,
  now: number,
): { attendee?: Attendee; problems: Problem[] } {
  const m = M[lang];
  const problems: Problem[] = [];
  const problem = (field: AttendeeField | null, message: string) => problems.push({ field, message });
  if (record.fields.length > columns.length && record.fields.slice(columns.length).some((v) => v !== "")) {
    return { problems: [{ field: null, message: m.tooManyFields(record.fields.length, columns.length) }] };
  }
  const value: Partial<Record<AttendeeField, string>> = {};
  columns.forEach((column, i) => {
    const v = record.fields[i] ?? "";
    if (column && v !== "") value[column] = v;
  });

  const subject: Attendee["subject"] = {};
  const attendee: Attendee = { subject };
  const name = value.name ?? [value.firstName, value.lastName].filter(Boolean).join(" ");
  if (!name) problem(columns.includes("name") ? "name" : "firstName", m.noName);
  else subject.name = name.normalize("NFC");

  if (value.email !== undefined) {
    const email = value.email;
    if (!email.includes("@")) problem("email", m.emailNoAt);
    else if (!emailSchema.safeParse(email).success) problem("email", m.emailInvalid);
    else {
      const key = email.toLowerCase();
      const first = seen.emails.get(key);
      if (first !== undefined) problem("email", m.duplicateEmail(first));
      else seen.emails.set(key, record.line);
      subject.email = email;
    }
  }

  if (value.birthDate !== undefined) {
    const v = value.birthDate;
    if (/^(\d{2})?\d{6}[-+]?\d{4}$/.test(v)) problem("birthDate", m.birthDatePnr);
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !isIsoDate(v)) problem("birthDate", m.birthDateFormat);
    else if (Date.parse(`${v}T00:00:00Z`) > now) problem("birthDate", m.birthDateFuture);
    else subject.birthDate = v;
  }

  if (value.organisation !== undefined) subject.organisation = value.organisation.normalize("NFC");

  if (value.role !== undefined) {
    const role = ROLES[normalise(value.role)];
    if (!role) problem("role", m.role(value.role));
    else subject.role = role;
  }

  if (value.team !== undefined) subject.team = value.team.normalize("NFC");

  if (value.parts !== undefined) {
    if (target.kind === "course") problem("parts", m.courseParts);
    else if (target.parts.length === 0) problem("parts", m.noParts);
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
        if (!part) problem("parts", m.part(token, target.parts.map((p) => p.id).join(", ")));
        else if (ids.includes(part.id)) problem("parts", m.duplicatePart(token));
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
    if (!/^0x[0-9a-fA-F]{40}$/.test(v) || !isAddress(v, { strict: !unchecked })) problem("wallet", m.wallet);
    else {
      const address = getAddress(v);
      const first = seen.wallets.get(address);
      if (first !== undefined) problem("wallet", m.duplicateWallet(first));
      else seen.wallets.set(address, record.line);
      attendee.holder = address;
    }
  }

  if (value.validUntil !== undefined) {
    const expiry = parseExpiry(value.validUntil);
    if (!expiry) problem("validUntil", m.validUntil(value.validUntil));
    else if (Date.parse(expiry) <= now) problem("validUntil", m.validUntilPast(value.validUntil));
    else attendee.validUntil = expiry;
  }

  if (value.reference !== undefined) attendee.reference = value.reference;
  if (value.result !== undefined) subject.result = [{ type: ["Result"], value: value.result }];

  if (value.lang !== undefined) {
    const chosen = LANGS[normalise(value.lang)];
    if (!chosen) problem("lang", m.lang(value.lang));
    else attendee.lang = chosen;
  }

  // Whatever passed the checks above must also pass the credential format's own schema.
  if (problems.length === 0) {
    const parsed = subjectSchema.safeParse(subject);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "");
        const field = key === "partsAttended" ? "parts" : ATTENDEE_FIELDS.find((f) => f === key);
        problem(field ?? null, m.field(issue.path.join("."), issue.message));
      }
    }
  }
  return problems.length === 0 ? { attendee, problems } : { problems };
}

/** A table read from a spreadsheet: the header row and the data rows, each with the line it is on. */
export type SheetTable = {
  header: CsvRecord | null;
  rows: CsvRecord[];
  /** Problems found while reading the file itself (e.g. bad quoting). */
  errors?: RowError[];
  notes?: string[];
  separator?: string;
};

/**
 * Reads and checks the attendees of a table. Returns the attendees (each with the line it came from) and every
 * problem found; nothing is to be sent unless `errors` is empty (or the rows with errors are left out).
 */
export function readAttendeeTable(
  table: SheetTable,
  target: IssuanceTarget,
  options: ReadOptions = {},
): AttendeeList {
  const lang = options.lang ?? "sv";
  const now = options.now ?? Date.now();
  const m = M[lang];
  const errors: RowError[] = [...(table.errors ?? [])];
  const notes = [...(table.notes ?? [])];
  const result = (rows: AttendeeRow[], columns: AttendeeField[] = [], mapping: ColumnChoice[] = []) => ({
    rows,
    errors: errors.sort((a, b) => a.line - b.line),
    notes,
    columns,
    mapping,
    total: table.rows.length,
    separator: table.separator ?? ";",
  });
  if (!table.header) {
    errors.push({ line: 1, column: null, message: m.empty });
    return result([]);
  }
  const { columns, mapping } = mapHeader(table.header, options, errors, notes);
  const present = columns.filter((c): c is AttendeeField => c !== null);
  if (table.rows.length === 0) {
    errors.push({ line: table.header.line, column: null, message: m.noRows });
    return result([], present, mapping);
  }
  if (table.rows.length > MAX_ROWS) {
    errors.push({ line: table.header.line, column: null, message: m.tooMany(table.rows.length) });
    return result([], present, mapping);
  }
  const headerOf = (field: AttendeeField | null) => {
    const index = field ? columns.indexOf(field) : -1;
    return index >= 0 ? (table.header?.fields[index] ?? null) : null;
  };
  const seen: Seen = { emails: new Map(), wallets: new Map() };
  const rows: AttendeeRow[] = [];
  const syntaxLines = new Set(errors.map((e) => e.line));
  for (const record of table.rows) {
    if (syntaxLines.has(record.line)) continue;
    const { attendee, problems } = readRow(record, columns, target, lang, seen, now);
    for (const p of problems)
      errors.push({ line: record.line, column: headerOf(p.field), message: p.message });
    if (attendee) rows.push({ line: record.line, attendee });
  }
  return result(rows, present, mapping);
}

/** A CSV file's bytes as a table (see {@link parseCsv} for what it accepts), its reading problems as errors. */
export function csvSheet(bytes: Uint8Array, lang: Lang = "sv"): SheetTable {
  const m = M[lang];
  const table: CsvTable = parseCsv(bytes);
  return {
    header: table.header,
    rows: table.rows,
    separator: table.separator,
    errors: table.errors.map((e) => ({
      line: e.line,
      column: null,
      message: e.code === "unclosed-quote" ? m.unclosedQuote : m.textAfterQuote,
    })),
    notes: table.encoding === "windows-1252" ? [m.windows1252] : [],
  };
}

/** Reads and checks a CSV attendee file. */
export function readAttendees(
  bytes: Uint8Array,
  target: IssuanceTarget,
  options: ReadOptions = {},
): AttendeeList {
  return readAttendeeTable(csvSheet(bytes, options.lang), target, options);
}

/** `rad 7 (E-post): e-postadressen saknar @` — one line per problem. */
export function formatRowErrors(errors: readonly RowError[], lang: Lang): string {
  return errors
    .map((e) => `${M[lang].line(e.line)}${e.column ? ` (${e.column})` : ""}: ${e.message}`)
    .join("\n");
}
