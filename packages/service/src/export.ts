// The organiser's export of an event's credentials as a spreadsheet: names and holder links side by side, with
// the status model. CSV as Excel opens it: UTF-8 with a byte order mark (so that å, ä and ö survive), `;`
// between fields by default (Swedish Excel's list separator; `,` on request for English Excel), CRLF. No
// `sep=` line: Excel then ignores the byte order mark. A cell that a spreadsheet would run as a formula
// (starting with = + - @ or a tab or carriage return) is prefixed with ' so that it stays text.

import { formatCsv } from "@intyg/credential";
import { credentialStanding, credentialState } from "./status";
import type { CredentialView } from "./store/store";

export type ExportLang = "sv" | "en";

const HEADERS: Record<ExportLang, string[]> = {
  sv: [
    "Namn",
    "E-post",
    "Referens",
    "Dokument",
    "Giltighet",
    "Återkallelseorsak",
    "E-post skickad",
    "Intygslänk",
    "PDF",
    "Förankrad",
    "Transaktion",
    "Id",
  ],
  en: [
    "Name",
    "E-mail",
    "Reference",
    "State",
    "Standing",
    "Revocation reason",
    "E-mail delivery",
    "Holder link",
    "PDF",
    "Anchored at",
    "Transaction",
    "Id",
  ],
};

const LABELS: Record<ExportLang, Record<string, string>> = {
  sv: {
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
  },
  en: {
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
  },
};

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
