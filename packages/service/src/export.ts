// The organiser's export of an event's credentials as a spreadsheet: names and holder links side by side, with
// the status model. CSV as Excel opens it: UTF-8 with a byte order mark (so that å, ä and ö survive), `;`
// between fields by default (Swedish Excel's list separator; `,` on request for English Excel), CRLF. No
// `sep=` line: Excel then ignores the byte order mark. A cell that a spreadsheet would run as a formula
// (starting with = + - @ or a tab or carriage return) is prefixed with ' so that it stays text.

import { formatCsv } from "@intyg/credential";
import type { Lang } from "@intyg/credential/lang";
import { credentialStanding, credentialState } from "./status";
import type { CredentialView } from "./store/store";

/** The language of an export's headers and labels (Intyg's one `Lang`). */
export type ExportLang = Lang;

// The English tables define the columns and labels; the Swedish ones must have each of them.
const headersEn = {
  name: "Name",
  email: "E-mail",
  reference: "Reference",
  state: "State",
  standing: "Standing",
  reason: "Revocation reason",
  delivery: "E-mail delivery",
  holderUrl: "Holder link",
  pdf: "PDF",
  anchoredAt: "Anchored at",
  txHash: "Transaction",
  id: "Id",
};
const headersSv: Record<keyof typeof headersEn, string> = {
  name: "Namn",
  email: "E-post",
  reference: "Referens",
  state: "Dokument",
  standing: "Giltighet",
  reason: "Återkallelseorsak",
  delivery: "E-post skickad",
  holderUrl: "Intygslänk",
  pdf: "PDF",
  anchoredAt: "Förankrad",
  txHash: "Transaktion",
  id: "Id",
};
const HEADERS: Record<Lang, string[]> = { en: Object.values(headersEn), sv: Object.values(headersSv) };

const labelsEn = {
  pending: "pending",
  anchored: "anchored",
  failed: "failed",
  cancelled: "cancelled",
  erased: "erased",
  valid: "valid",
  revoked: "revoked",
  superseded: "superseded",
  expired: "expired",
  none: "",
  queued: "queued",
  sending: "sending",
  sent: "sent",
};
const labelsSv: Record<keyof typeof labelsEn, string> = {
  pending: "väntar på förankring",
  anchored: "förankrat",
  failed: "misslyckades",
  cancelled: "avbrutet",
  erased: "raderat",
  valid: "giltigt",
  revoked: "återkallat",
  superseded: "ersatt",
  expired: "utgånget",
  none: "",
  queued: "i kö",
  sending: "skickas",
  sent: "skickat",
};
const LABELS: Record<Lang, Record<string, string>> = { en: labelsEn, sv: labelsSv };

/** A value a spreadsheet would evaluate as a formula, made plain text. */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function exportCsv(
  views: readonly CredentialView[],
  options: { lang: ExportLang; separator: ";" | ","; now: Date; publicUrl: string },
): string {
  const label = (key: string | null) => (key === null ? "" : (LABELS[options.lang][key] ?? key));
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const rows = views.map(({ record, batch, delivery }) => {
    const subject =
      !record.erasedAt && record.document
        ? ((record.document as { credentialSubject?: Record<string, unknown> }).credentialSubject ?? {})
        : {};
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    const holderLink = record.holderToken ? `${options.publicUrl}/holder/${record.holderToken}` : "";
    return [
      text(subject.name),
      text(subject.email),
      record.erasedAt ? "" : text(record.recipient?.reference),
      label(credentialState(record)),
      label(credentialStanding(record, nowSeconds)),
      record.revocationReason && record.revocationReason !== "superseded" ? record.revocationReason : "",
      label(delivery.status),
      holderLink,
      holderLink ? `${holderLink}/pdf?lang=${options.lang}` : "",
      record.anchoredAt ? record.anchoredAt.toISOString() : "",
      (record.mode === "batch" ? batch?.txHash : record.txHash) ?? "",
      record.id,
    ].map(spreadsheetSafe);
  });
  return formatCsv(HEADERS[options.lang], rows, options.separator);
}
