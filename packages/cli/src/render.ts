// A report as text for a terminal: the trust anchor, what was proved (only for a verified credential), each
// check with ✔ / ✖ / –, then the verdict, last and after an attribute reset. Every value that came from the
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
  const c = report.credential;
  if (c) {
    if (c.credentialId) lines.push(`${l.credential}: ${value(c.credentialId)}`);
    if (c.issuer?.name)
      lines.push(
        `${l.issuer}: ${value(c.issuer.name)}${c.issuer.organisationNumber ? ` (${l.orgnr} ${value(c.issuer.organisationNumber)})` : ""}`,
      );
    if (c.achievement?.name) lines.push(`${l.achievement}: ${value(c.achievement.name)}`);
    if (c.subject && c.subject.length > 0) {
      lines.push(`${l.subject}:`);
      for (const claim of c.subject) lines.push(`  ${value(claim.path)}: ${value(claim.value)}`);
    }
    if (c.hiddenClaims) lines.push(`  (${c.hiddenClaims} ${l.hidden})`);
    if (c.validFrom)
      lines.push(`${l.valid}: ${value(c.validFrom)}${c.validUntil ? ` – ${value(c.validUntil)}` : " –"}`);
  } else {
    lines.push(l.unproved);
    if (report.status?.revokedAt)
      lines.push(
        `${l.revoked}: ${value(report.status.revokedAt)}${report.status.revocationReason ? ` (${value(report.status.revocationReason)})` : ""}`,
      );
    if (report.status?.supersededBy) lines.push(`${l.supersededBy}: ${value(report.status.supersededBy)}`);
  }
  lines.push(value(report.trust.message));
  if (report.chain) {
    lines.push(
      `${l.chain}: ${report.chain.chainId}, ${l.registry} ${value(report.chain.registry)}, ${l.block} ${value(report.chain.blockNumber)}`,
    );
    if (report.chain.note) lines.push(value(report.chain.note));
  }
  lines.push("");
  const width = Math.max(...report.checks.map((check) => names[check.id].length));
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${names[check.id].padEnd(width)}  ${value(check.message)}`);
  }
  lines.push("", `${RESET_ATTRIBUTES}${report.verified ? "✔" : "✖"} ${value(report.verdict)}`, "");
  return lines.join("\n");
}
