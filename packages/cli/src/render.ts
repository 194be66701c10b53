// A report as text for a terminal: a verified credential in words (a sentence, then its labelled claims; nothing
// of a credential that failed), each check with ✔ / ✖ / –, the trust anchor, then the verdict, last and after an
// attribute reset. Every value that came from the
// document or the chain goes through terminalText, so no claim can paint over the verdict.

import { CHECK_NAMES, type Lang, type VerificationReport } from "@intyg/verifier";
import { RESET_ATTRIBUTES, terminalText } from "./terminal";

const MARK = { passed: "✔", failed: "✖", skipped: "–" } as const;

const LABELS = {
  sv: {
    chain: "Kedja",
    block: "block",
    registry: "register",
    revoked: "Återkallat",
    supersededBy: "Ersatt av",
    unproved:
      "Inga uppgifter ur dokumentet visas: det kunde inte verifieras, så inget av det som står i det är bevisat.",
    summary: (ok: number, count: number) => `${ok} av ${count} intyg verifierade.`,
  },
  en: {
    chain: "Chain",
    block: "block",
    registry: "registry",
    revoked: "Revoked",
    supersededBy: "Superseded by",
    unproved: "No claim of the document is shown: it could not be verified, so nothing it says is proved.",
    summary: (ok: number, count: number) => `${ok} of ${count} credentials verified.`,
  },
} as const;

function value(v: unknown): string {
  return terminalText(typeof v === "string" ? v : JSON.stringify(v));
}

export function renderReport(report: VerificationReport, lang: Lang): string {
  const l = LABELS[lang];
  const names = CHECK_NAMES[lang];
  const lines: string[] = [];
  const described = report.description;
  if (described) {
    // A verified credential in words: the sentence, then every disclosed claim with its label.
    lines.push(value(described.sentence), "");
    const width = Math.max(...described.fields.map((field) => field.label.length));
    for (const field of described.fields)
      lines.push(`  ${`${field.label}:`.padEnd(width + 1)} ${value(field.value)}`);
  } else {
    lines.push(l.unproved);
    if (report.status?.revokedAt)
      lines.push(
        `${l.revoked}: ${value(report.status.revokedAt)}${report.status.revocationReason ? ` (${value(report.status.revocationReason)})` : ""}`,
      );
    if (report.status?.supersededBy) lines.push(`${l.supersededBy}: ${value(report.status.supersededBy)}`);
  }
  lines.push("");
  const width = Math.max(...report.checks.map((check) => names[check.id].length));
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${names[check.id].padEnd(width)}  ${value(check.message)}`);
  }
  lines.push("", value(report.trust.message));
  if (report.chain) {
    lines.push(
      `${l.chain}: ${report.chain.chainId}, ${l.registry} ${value(report.chain.registry)}, ${l.block} ${value(report.chain.blockNumber)}`,
    );
    if (report.chain.note) lines.push(value(report.chain.note));
  }
  lines.push("", `${RESET_ATTRIBUTES}${report.verified ? "✔" : "✖"} ${value(report.verdict)}`, "");
  return lines.join("\n");
}

/**
 * Several reports as a table, one line each: ✔/✖, the source, and for a verified credential who and what and
 * which issuer (for one that failed, why). The summary comes last, after an attribute reset.
 */
export function renderTable(
  reports: readonly VerificationReport[],
  sources: readonly string[],
  lang: Lang,
): string {
  const l = LABELS[lang];
  const lines: string[] = [];
  const width = Math.min(40, Math.max(...sources.map((source) => terminalText(source).length)));
  for (const [i, report] of reports.entries()) {
    const field = (id: string) => report.description?.fields.find((f) => f.id === id)?.value;
    const failed = report.checks.find((check) => check.status === "failed");
    const what = report.verified
      ? [field("name"), field("achievement"), field("issuer")]
          .filter(Boolean)
          .map((v) => value(v))
          .join(" — ")
      : value(failed?.message ?? report.verdict);
    const source = terminalText(sources[i] ?? "");
    const shown = source.length > width ? `…${source.slice(-(width - 1))}` : source.padEnd(width);
    lines.push(`${report.verified ? "✔" : "✖"} ${shown}  ${what}`);
  }
  const trust = reports[0]?.trust.message;
  if (trust) lines.push("", value(trust));
  const ok = reports.filter((report) => report.verified).length;
  lines.push(
    "",
    `${RESET_ATTRIBUTES}${ok === reports.length ? "✔" : "✖"} ${l.summary(ok, reports.length)}`,
    "",
  );
  return lines.join("\n");
}
