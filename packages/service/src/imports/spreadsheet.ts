// Reads an uploaded attendee spreadsheet into a table of rows, each with its line: a CSV file as the CLI reads
// it, or the first worksheet of an Excel workbook (.xlsx, read with exceljs). The checks of the rows themselves
// are @intyg/credential's, shared with the CLI.

import { type CsvRecord, csvSheet, MAX_ROWS, type SheetTable } from "@intyg/credential";
import type { Lang } from "@intyg/credential/lang";
import ExcelJS from "exceljs";
import { ServiceError } from "../errors";

export type SpreadsheetFormat = "csv" | "xlsx";

/** A ZIP archive (an .xlsx workbook) starts with a local file header. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function spreadsheetFormat(bytes: Uint8Array): SpreadsheetFormat {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b) ? "xlsx" : "csv";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A date as the attendee checks read it: a day (`2027-06-30`) when it has no time of day, else UTC seconds. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0) return day;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The text of a cell value: rich text joined, a link's text, a formula's result, a date as a date. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return dateText(value);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) {
      return value.richText
        .map((run) => run.text)
        .join("")
        .trim();
    }
    if ("hyperlink" in value) return cellText(value.text as ExcelJS.CellValue);
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return String(value.error);
  }
  return "";
}

/** The first worksheet with content, as a table: the first non-empty row is the header. */
export async function readWorkbook(bytes: Uint8Array): Promise<SheetTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as never);
  } catch {
    throw new ServiceError("import.not-xlsx");
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return { header: null, rows: [] };
  if (sheet.actualRowCount > MAX_ROWS + 1) {
    throw new ServiceError("import.sheet-too-many", { rows: sheet.actualRowCount, max: MAX_ROWS });
  }
  const records: CsvRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const fields: string[] = [];
    const count = Math.max(row.cellCount, 0);
    for (let col = 1; col <= count; col++) fields.push(cellText(row.getCell(col).value));
    while (fields.length > 0 && fields[fields.length - 1] === "") fields.pop();
    if (fields.some((value) => value !== "")) records.push({ line, fields });
  });
  const [header, ...rows] = records;
  return { header: header ?? null, rows };
}

/** Reads CSV or .xlsx bytes into a table, with CSV reading problems as row errors. */
export async function readSpreadsheet(
  bytes: Uint8Array,
  lang: Lang,
): Promise<{ format: SpreadsheetFormat; table: SheetTable }> {
  if (spreadsheetFormat(bytes) === "xlsx") return { format: "xlsx", table: await readWorkbook(bytes) };
  return { format: "csv", table: csvSheet(bytes, lang) };
}
