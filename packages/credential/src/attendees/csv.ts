// CSV as Swedish spreadsheet programs export it: `;` between fields (`,` or tab when the header row uses
// them, or an Excel `sep=` line), UTF-8 with or without a byte order mark (Windows-1252 as a fallback, which
// Excel's plain "CSV" format writes), CRLF or LF line ends, and quoted fields that may hold separators, line
// breaks and doubled quotes (""). Every record remembers the line it starts on, for error messages.

export type CsvRecord = {
  /** The line of the file the record starts on (1-based; the header is usually line 1). */
  line: number;
  fields: string[];
};

export type CsvSyntaxError = { line: number; code: "unclosed-quote" | "text-after-quote" };

export type CsvTable = {
  /** The text encoding the bytes were read as. */
  encoding: "utf-8" | "windows-1252";
  separator: string;
  /** The header row (untrimmed values trimmed of surrounding blanks). */
  header: CsvRecord | null;
  /** Data rows; rows whose fields are all empty (`;;;` lines that spreadsheets add) are left out. */
  rows: CsvRecord[];
  errors: CsvSyntaxError[];
};

const BOM = [0xef, 0xbb, 0xbf];

/** Decodes the bytes: UTF-8 (a BOM is dropped), or Windows-1252 when they are not valid UTF-8. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvTable["encoding"] } {
  const hasBom = bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(body), encoding: "windows-1252" };
  }
}

/** The separator the header row uses: `;` when it has one, else `,`, else a tab, else `;`. */
export function detectSeparator(headerLine: string): string {
  let quoted = false;
  const counts: Record<string, number> = { ";": 0, ",": 0, "\t": 0 };
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char]! += 1;
  }
  if (counts[";"]! > 0) return ";";
  if (counts[","]! > 0) return ",";
  if (counts["\t"]! > 0) return "\t";
  return ";";
}

/** Splits text into records; a record's fields are trimmed of blanks around them. */
export function parseCsvText(text: string, separator: string, firstLine = 1): Omit<CsvTable, "encoding"> {
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  let line = firstLine;
  let recordLine = line;
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let quoteLine = line;
  let afterQuote = false;
  let i = 0;

  const endField = () => {
    fields.push(afterQuote ? field : field.trim());
    field = "";
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i += 1;
        continue;
      }
      if (char === "\r" && text[i + 1] === "\n") {
        field += "\n";
        line += 1;
        i += 2;
        continue;
      }
      if (char === "\n" || char === "\r") line += 1;
      field += char === "\r" ? "\n" : char;
      i += 1;
      continue;
    }
    if (char === separator) {
      endField();
      i += 1;
      continue;
    }
    if (char === "\n" || char === "\r") {
      endRecord();
      i += char === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    if (afterQuote) {
      // Blanks after a closing quote are tolerated; anything else means a quote was not doubled.
      if (char !== " " && char !== "\t") {
        if (!errors.some((e) => e.line === recordLine))
          errors.push({ line: recordLine, code: "text-after-quote" });
      }
      i += 1;
      continue;
    }
    if (char === '"' && field.trim() === "") {
      quoted = true;
      quoteLine = line;
      field = "";
      i += 1;
      continue;
    }
    field += char;
    i += 1;
  }
  if (quoted) {
    errors.push({ line: quoteLine, code: "unclosed-quote" });
    endRecord();
  } else if (field !== "" || fields.length > 0 || afterQuote) {
    endRecord();
  }
  const nonEmpty = records.filter((record) => record.fields.some((value) => value !== ""));
  const [header, ...rows] = nonEmpty;
  return { separator, header: header ?? null, rows, errors };
}

/** Reads a CSV file's bytes: encoding, separator (or an Excel `sep=X` first line), header and rows. */
export function parseCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsvBytes(bytes);
  let body = text;
  let firstLine = 1;
  let separator: string | undefined;
  const sep = /^sep=(.)\r?\n/i.exec(body);
  if (sep) {
    separator = sep[1]!;
    body = body.slice(sep[0].length);
    firstLine = 2;
  }
  if (!separator) {
    const firstContentLine = body.split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
    separator = detectSeparator(firstContentLine);
  }
  return { encoding, ...parseCsvText(body, separator, firstLine) };
}

/** One CSV field, quoted when it needs to be. */
export function csvField(value: string, separator = ";"): string {
  return /["\r\n]/.test(value) || value.includes(separator) || /^\s|\s$/.test(value)
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/**
 * A CSV file as Swedish spreadsheet programs open it directly: UTF-8 with a byte order mark (so that Excel
 * reads å, ä and ö right), `;` between fields, CRLF line ends.
 */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  separator = ";",
): string {
  const lines = [header, ...rows].map((row) =>
    row.map((value) => csvField(value, separator)).join(separator),
  );
  return `\ufeff${lines.join("\r\n")}\r\n`;
}
