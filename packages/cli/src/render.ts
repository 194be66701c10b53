// A report as text for a terminal: what was verified, each check with ✔ / ✖ / –, then the verdict.

import { CHECK_NAMES, type Lang, type VerificationReport } from "@intyg/verifier";

const MARK = { passed: "✔", failed: "✖", skipped: "–" } as const;

const LABELS = {
  sv: {
    credential: "Intyg",
    issuer: "Utfärdare",
    achievement: "Evenemang/kurs",
    subject: "Uppgifter om innehavaren",
    hidden: "dolda uppgifter",
    valid: "Giltighet",
    chain: "Kedja",
    block: "block",
    registry: "register",
  },
  en: {
    credential: "Credential",
    issuer: "Issuer",
    achievement: "Event/course",
    subject: "About the holder",
    hidden: "hidden claims",
    valid: "Validity",
    chain: "Chain",
    block: "block",
    registry: "registry",
  },
} as const;

function value(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function renderReport(report: VerificationReport, lang: Lang): string {
  const l = LABELS[lang];
  const names = CHECK_NAMES[lang];
  const lines: string[] = [];
  const c = report.credential;
  if (c.credentialId) lines.push(`${l.credential}: ${c.credentialId}`);
  if (c.issuer?.name)
    lines.push(
      `${l.issuer}: ${c.issuer.name}${c.issuer.organisationNumber ? ` (${c.issuer.organisationNumber})` : ""}`,
    );
  if (c.achievement?.name) lines.push(`${l.achievement}: ${c.achievement.name}`);
  if (c.subject && c.subject.length > 0) {
    lines.push(`${l.subject}:`);
    for (const claim of c.subject) lines.push(`  ${claim.path}: ${value(claim.value)}`);
  }
  if (c.hiddenClaims) lines.push(`  (${c.hiddenClaims} ${l.hidden})`);
  if (c.validFrom) lines.push(`${l.valid}: ${c.validFrom}${c.validUntil ? ` – ${c.validUntil}` : " –"}`);
  if (report.chain) {
    lines.push(
      `${l.chain}: ${report.chain.chainId}, ${l.registry} ${report.chain.registry}, ${l.block} ${report.chain.blockNumber}`,
    );
    if (report.chain.note) lines.push(report.chain.note);
  }
  if (lines.length > 0) lines.push("");
  const width = Math.max(...report.checks.map((check) => names[check.id].length));
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${names[check.id].padEnd(width)}  ${check.message}`);
  }
  lines.push("", report.verdict, "");
  return lines.join("\n");
}
