// A report as text for a terminal: a verified credential in words (a sentence, then its labelled claims; nothing
// of a credential that failed), each check with ✔ / ✖ / –, the trust anchor, then the verdict, last and after an
// attribute reset. Every value that came from the
// document or the chain goes through terminalText, so no claim can paint over the verdict.

import { CHECK_NAMES, type Lang, type VerificationReport } from "@intyg/verifier";
import { RESET_ATTRIBUTES, terminalText } from "./terminal";

const MARK = { passed: "✔", failed: "✖", skipped: "–" } as const;

const LABELS = {
  sv: {
    credential: "Intyg",
    issuer: "Utfärdare",
    orgnr: "org.nr",
    achievement: "Evenemang/kurs",
    subject: "Uppgifter om innehavaren",
    hidden: "dolda uppgifter",
    valid: "Giltighet",
    chain: "Kedja",
    block: "block",
    registry: "register",
    revoked: "Återkallat",
    supersededBy: "Ersatt av",
    unproved:
      "Inga uppgifter ur dokumentet visas: det kunde inte verifieras, så inget av det som står i det är bevisat.",
  },
  en: {
    credential: "Credential",
    issuer: "Issuer",
    orgnr: "org. no.",
    achievement: "Event/course",
    subject: "About the holder",
    hidden: "hidden claims",
    valid: "Validity",
    chain: "Chain",
    block: "block",
    registry: "registry",
    revoked: "Revoked",
    supersededBy: "Superseded by",
    unproved: "No claim of the document is shown: it could not be verified, so nothing it says is proved.",
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
