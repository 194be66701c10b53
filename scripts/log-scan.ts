// Scans the logs every service wrote during the tests (INTYG_LOG_DIR, `.intyg/test-logs/` in `pnpm test`) for
// secrets and attendees' personal data: API keys (the service's `intyg_` format) and bearer tokens, the known
// private keys (the dev accounts of Hardhat's mnemonic) and the keystore passwords of the tests, holder link
// tokens, e-mail addresses, the attendee names of the test fixtures and of the demo, and personal-data fields
// that escaped redaction. Findings name file, line and kind, never the secret in full. A scan of (almost)
// nothing fails too: the logs must have been written.
//
//   tsx scripts/log-scan.ts .intyg/test-logs [--min-lines 200] [--expect service,cli]

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { bytesToHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { syntheticAttendees } from "./demo";

export type Finding = { file: string; line: number; kind: string; excerpt: string };
export type ScanResult = { files: string[]; lines: number; findings: Finding[] };

/** What the scan looks for, besides the patterns every scan uses. */
export type Needles = {
  /** Private keys, lowercase hex without 0x. */
  privateKeys: Set<string>;
  /** Other exact secrets (passwords). */
  secrets: string[];
  /** Attendee names of the fixtures (matched as whole words, case-sensitive). */
  names: string[];
  /** Names with a number (`Deltagare 17`). */
  namePatterns: RegExp[];
};

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

const API_KEY = /intyg_[A-Za-z0-9_-]{20,}/g;
const BEARER = /\b(?:Bearer|Basic)\s+(?!\[redacted)[A-Za-z0-9._~+/=-]{8,}/gi;
const HOLDER_LINK = /\/holder\/(?!:token)[A-Za-z0-9_-]{16,}/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const HEX64 = /(?<![0-9a-fA-F])(?:0x)?([0-9a-fA-F]{64})(?![0-9a-fA-F])/g;
/** Fields that hold secrets or personal data: in a log line, only ever "[redacted]" (or absent). */
const GUARDED_FIELDS = new Set([
  "authorization",
  "cookie",
  "apiKey",
  "secret",
  "privateKey",
  "password",
  "keystorePassword",
  "signerKey",
  "relayerKey",
  "email",
  "name",
  "givenName",
  "familyName",
  "birthDate",
  "subject",
  "credentialSubject",
  "recipient",
  "holderToken",
  "attendees",
]);

/** The first characters of a secret and its length: enough to find it, not enough to use it. */
export function mask(secret: string): string {
  return `${secret.slice(0, Math.min(6, Math.ceil(secret.length / 4)))}… (${secret.length} chars)`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function walk(root: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(root)) return out;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) walk(full, accept, out);
    else if (accept(full)) out.push(full);
  }
  return out;
}

/**
 * Attendee names of the test fixtures: `name` in `subject: { … }` literals of every package's tests, names
 * before an e-mail address in CSV fixtures, and the demo's synthetic attendees. Template literals
 * (`Deltagare ${i}`) become patterns.
 */
export function fixtureNames(root: string): { names: string[]; namePatterns: RegExp[] } {
  const names = new Set<string>();
  const patterns = new Map<string, RegExp>();
  /** A name with numbers where the parts are not fixed: `["Deltagare ", ""]` for `Deltagare ${i}`. */
  const addPattern = (fixed: string[]) => {
    if (fixed.join("").trim().length < 4) return;
    const source = fixed.map((part) => escapeRegExp(part)).join("\\d+");
    patterns.set(source, new RegExp(`(?<![\\p{L}\\p{N}])${source}(?![\\p{L}\\p{N}])`, "u"));
  };
  // The harness's default tag.
  addPattern(["Deltagare ", ""]);
  const files = walk(path.join(root, "packages"), (f) => /[\\/]test[\\/].*\.(ts|csv)$/.test(f));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const subject of text.matchAll(/subject:\s*\{((?:[^{}]|\$\{[^}]*\})*)\}/g)) {
      for (const m of subject[1]!.matchAll(/\b(?:name|givenName|familyName):\s*(["'`])((?:(?!\1).)+)\1/g)) {
        const value = m[2]!;
        if (m[1] === "`" && value.includes("${")) {
          addPattern(value.split(/\$\{[^}]*\}/));
        } else {
          names.add(value);
        }
      }
    }
    // queueCredentials(h, event, n, "Tag") and its wrappers name attendees `Tag 0`, `Tag 1` …
    for (const m of text.matchAll(/\bqueue(?:Credentials)?\([^()]*,\s*"([^"]{4,})"\)/g))
      addPattern([`${m[1]} `, ""]);
    for (const m of text.matchAll(/(\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+)+)[;,]\s*[A-Za-z0-9._%+-]+@/gu)) {
      names.add(m[1]!);
    }
  }
  for (const attendee of syntheticAttendees(1000)) names.add(attendee.name);
  // Short names ("A", "Ok") would match words of any log line.
  const kept = [...names].filter((name) => name.length >= 5 || /\s/.test(name));
  return { names: kept.sort(), namePatterns: [...patterns.values()] };
}

/** Keystore passwords and other literal secrets the tests hand to the service. */
export function fixtureSecrets(root: string): string[] {
  const secrets = new Set<string>();
  const files = walk(path.join(root, "packages"), (f) => /[\\/]test[\\/].*\.ts$/.test(f));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:PASSWORD|password)["']?\s*[:=]\s*"([^"]{6,})"/g)) secrets.add(m[1]!);
  }
  return [...secrets];
}

/** Every private key the tests use: the dev accounts, all 20 accounts of Hardhat's mnemonic. */
export function knownPrivateKeys(): Set<string> {
  const keys = new Set<string>(DEV_PRIVATE_KEYS.map((k) => k.slice(2).toLowerCase()));
  for (let i = 0; i < 20; i++) {
    const key = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: i }).getHdKey().privateKey;
    if (key) keys.add(bytesToHex(key).slice(2).toLowerCase());
  }
  return keys;
}

export function knownNeedles(root: string): Needles {
  return { privateKeys: knownPrivateKeys(), secrets: fixtureSecrets(root), ...fixtureNames(root) };
}

function guardedFields(value: unknown, at: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) guardedFields(item, `${at}[${i}]`, out);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, inner] of Object.entries(value)) {
    const here = at ? `${at}.${key}` : key;
    if (GUARDED_FIELDS.has(key) && inner !== "[redacted]" && inner !== null && inner !== undefined) {
      out.push(here);
    } else {
      guardedFields(inner, here, out);
    }
  }
}

const compiledNames = new WeakMap<Needles, RegExp>();

/** One pattern for all the names, longest first, each as a whole word. */
function namesPattern(needles: Needles): RegExp {
  let pattern = compiledNames.get(needles);
  if (!pattern) {
    const names = [...needles.names].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const alternatives = names.length > 0 ? names.join("|") : "(?!)";
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, "gu");
    compiledNames.set(needles, pattern);
  }
  return pattern;
}

/** The findings of one line of a log (without the file). */
export function scanLine(line: string, needles: Needles): { kind: string; excerpt: string }[] {
  const found: { kind: string; excerpt: string }[] = [];
  for (const m of line.matchAll(API_KEY)) found.push({ kind: "API key", excerpt: mask(m[0]) });
  for (const m of line.matchAll(BEARER)) found.push({ kind: "bearer token", excerpt: mask(m[0]) });
  for (const m of line.matchAll(HOLDER_LINK)) found.push({ kind: "holder link token", excerpt: mask(m[0]) });
  for (const m of line.matchAll(EMAIL)) found.push({ kind: "e-mail address", excerpt: mask(m[0]) });
  for (const m of line.matchAll(HEX64)) {
    if (needles.privateKeys.has(m[1]!.toLowerCase()))
      found.push({ kind: "private key", excerpt: mask(m[0]) });
  }
  const secret = needles.secrets.find((candidate) => line.includes(candidate));
  if (secret) found.push({ kind: "test secret (password)", excerpt: mask(secret) });
  for (const m of line.matchAll(namesPattern(needles)))
    found.push({ kind: "attendee name", excerpt: mask(m[0]) });
  for (const pattern of needles.namePatterns) {
    const m = pattern.exec(line);
    if (m) found.push({ kind: "attendee name", excerpt: mask(m[0]) });
  }
  if (line.startsWith("{")) {
    try {
      const fields: string[] = [];
      guardedFields(JSON.parse(line), "", fields);
      for (const field of fields) found.push({ kind: "unredacted field", excerpt: field });
    } catch {
      // Not JSON: the text checks above still apply.
    }
  }
  return found;
}

/** Scans every `*.log` file under `dir`. */
export function scanDirectory(dir: string, needles: Needles): ScanResult {
  const files = walk(dir, (f) => f.endsWith(".log") && statSync(f).isFile()).sort();
  const findings: Finding[] = [];
  let lines = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const all = text.split("\n");
    if (all.at(-1) === "") all.pop();
    lines += all.length;
    all.forEach((line, index) => {
      for (const f of scanLine(line, needles)) {
        findings.push({ file: path.relative(dir, file), line: index + 1, ...f });
      }
    });
  }
  return { files: files.map((f) => path.relative(dir, f)), lines, findings };
}

export type ScanVerdict = { ok: boolean; report: string[] };

/**
 * The verdict: no finding, at least `minLines` lines, and for each name in `expect` a log file whose name
 * starts with it (`service-1234.log`), i.e. the suites that start services did write logs.
 */
export function judge(result: ScanResult, options: { minLines: number; expect?: string[] }): ScanVerdict {
  const report: string[] = [];
  const shown = result.findings.slice(0, 50);
  for (const f of shown) report.push(`${f.file}:${f.line}: ${f.kind}: ${f.excerpt}`);
  if (result.findings.length > shown.length)
    report.push(`… and ${result.findings.length - shown.length} more`);
  const missing = (options.expect ?? []).filter(
    (name) => !result.files.some((f) => f.startsWith(`${name}-`)),
  );
  for (const name of missing) report.push(`no log file from "${name}": its services wrote no logs`);
  const tooFew = result.lines < options.minLines;
  if (tooFew)
    report.push(`only ${result.lines} log lines (at least ${options.minLines} expected): were logs written?`);
  report.push(
    `log scan: ${result.files.length} files, ${result.lines} lines, ${result.findings.length} findings`,
  );
  return { ok: result.findings.length === 0 && missing.length === 0 && !tooFew, report };
}

function main(argv: string[]): number {
  const args = [...argv];
  const option = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const minLines = Number(option("--min-lines") ?? 200);
  const expectNames = (option("--expect") ?? "").split(",").filter(Boolean);
  const root = path.resolve(__dirname, "..");
  const dir = path.resolve(args[0] ?? path.join(root, ".intyg", "test-logs"));
  const verdict = judge(scanDirectory(dir, knownNeedles(root)), { minLines, expect: expectNames });
  for (const line of verdict.report) console.log(line);
  return verdict.ok ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
