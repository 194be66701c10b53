// `intyg verify <file | share-url | ->`: verifies a credential (or a presentation) and exits 0 when verified,
// 1 when not, 2 when the input or the options are unusable.

import { type Dirent, existsSync, statSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  type Lang,
  parseSnapshot,
  type VerificationReport,
  type VerifyOptions,
  verifyCredential,
  verifyPresentation,
} from "@intyg/verifier";
import {
  CredentialFileError,
  prestartVerificationThreads,
  threadsFor,
  verifyCredentialsInParallel,
  verifyFilesInParallel,
} from "@intyg/verifier/pool";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { resolveChain } from "../config";
import { CliError, EXIT, type ExitCode } from "../errors";
import type { CliIo } from "../io";
import { langOption } from "../organiser/common";
import { renderReport, renderTable } from "../render";
import { terminalText } from "../terminal";

/** Format failures that mean the input is not a document at all: exit 2. */
const UNUSABLE_INPUT = new Set([
  "empty",
  "not-json",
  "not-utf8",
  "duplicate-key",
  "too-large",
  "too-deep",
  "share-link",
  "not-an-object",
  // A presentation holding more credentials than one verification checks, or nothing at all.
  "credential-count",
  "empty-presentation",
]);
/**
 * Failures to reach the chain, read the snapshot, or know which registry to trust, and a configured node on
 * another chain than the one pinned: no verdict, exit 2.
 */
const UNUSABLE_CHAIN = new Set(["no-chain", "chain-unavailable", "bad-snapshot", "untrusted-registry"]);

export type VerifyFlags = {
  json?: boolean;
  rpc?: string;
  registry?: string;
  chainId?: string;
  config?: string;
  snapshot?: string;
  lang: Lang;
  challenge?: string;
  domain?: string;
  /** Threads for many credentials at once, this one included (default: every core). */
  threads?: string;
};

/** The most a fetched link may answer (a credential is far smaller). */
const MAX_FETCH_BYTES = 1_048_576;

/**
 * The credential behind a link that does not carry it in its fragment: a short verification link (`…/v/<token>`)
 * or a holder link (`…/holder/<token>`), asked for JSON. What comes back is verified like any other input: the
 * server that answers is not trusted for anything.
 */
async function fetchLinked(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json" },
      redirect: "follow",
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new CliError(
      `Cannot fetch ${terminalText(url)}: ${terminalText(String((error as Error).message ?? error))}`,
    );
  }
  if (!response.ok) throw new CliError(`Cannot fetch ${terminalText(url)}: HTTP ${response.status}`);
  // Read at most the limit: a hostile server may send an endless body.
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.done) break;
    size += next.value.byteLength;
    if (size > MAX_FETCH_BYTES) {
      await reader?.cancel();
      throw new CliError(`${terminalText(url)} answered more than ${MAX_FETCH_BYTES} bytes`);
    }
    chunks.push(next.value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    // A holder link answers a view with the credential inside.
    const value = JSON.parse(text) as { credential?: unknown; "@context"?: unknown };
    if (value && typeof value === "object" && !("@context" in value) && value.credential) {
      return JSON.stringify(value.credential);
    }
  } catch {
    // Not JSON: the verification says so.
  }
  return text;
}

async function readInput(io: CliIo, source: string): Promise<string | Uint8Array> {
  if (source === "-") return io.readStdin();
  if (/^https?:\/\//i.test(source) && !source.includes("#c1.")) return fetchLinked(source);
  if (/^https?:\/\//i.test(source) || source.startsWith("c1.") || source.startsWith("#c1.")) return source;
  if (source.includes("#c1.") && !existsSync(source)) return source;
  try {
    return await io.readFile(source);
  } catch (error) {
    throw unreadable(source, (error as NodeJS.ErrnoException).code, error);
  }
}

/** Why a file could not be read, for the user (exit 2). */
function unreadable(source: string, code: string | undefined, error: unknown): CliError {
  return new CliError(
    code === "ENOENT" ? `No such file: ${source}` : `Cannot read ${source}: ${String(error)}`,
  );
}

const PRESENTATION_TYPE = '"VerifiablePresentation"';
const PRESENTATION_TYPE_BYTES = Buffer.from(PRESENTATION_TYPE, "utf8");

/**
 * Whether an input names the presentation type (in its first MiB). Bytes are searched as bytes: an ASCII text
 * is in UTF-8 bytes exactly where it is in their decoded text, and decoding 10,000 files cost a sixth of a run.
 */
function isPresentation(input: string | Uint8Array): boolean {
  if (typeof input === "string") return input.includes(PRESENTATION_TYPE);
  const head = input.subarray(0, 1_048_576);
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).indexOf(PRESENTATION_TYPE_BYTES) >= 0;
}

/** The exit code a report leads to. */
export function exitCodeOf(report: VerificationReport): ExitCode {
  if (report.verified) return EXIT.ok;
  const format = report.checks.find((check) => check.id === "format");
  if (format?.status === "failed" && UNUSABLE_INPUT.has(format.code)) return EXIT.usage;
  if (report.checks.some((check) => check.status === "failed" && UNUSABLE_CHAIN.has(check.code)))
    return EXIT.usage;
  return EXIT.notVerified;
}

/** The verification options from the flags, the named configuration file and the environment. */
async function verifyOptions(io: CliIo, flags: VerifyFlags): Promise<VerifyOptions> {
  const lang = flags.lang;
  const chain = resolveChain(io, flags);
  const options: VerifyOptions = { lang, trustSource: chain.trust };
  if (chain.registry) options.registry = chain.registry;
  if (chain.chainId !== undefined) options.chainId = chain.chainId;
  if (flags.snapshot) {
    try {
      options.snapshot = new TextDecoder().decode(await io.readFile(flags.snapshot));
    } catch {
      throw new CliError(`Cannot read the snapshot ${flags.snapshot}`);
    }
    // A node given with a snapshot is asked only whether the snapshot's block is on its chain.
    if (chain.rpcUrl) options.rpcUrl = chain.rpcUrl;
    if (!options.registry) {
      // No registry named: the snapshot file the user named is the trust anchor, and the verdict says so.
      try {
        const parsed = parseSnapshot(options.snapshot);
        options.registry = parsed.context.registry;
        options.trustSource = { source: "flag", detail: `--snapshot ${flags.snapshot}` };
        options.snapshot = parsed;
      } catch {
        // A damaged snapshot is reported by the verification itself (bad-snapshot, exit 2).
      }
    }
  } else {
    if (!chain.rpcUrl) {
      throw new CliError(
        lang === "sv"
          ? "Ingen kedja att läsa: ange --rpc URL och --registry ADRESS, --config FIL (t.ex. .intyg/dev.json från pnpm start), --snapshot FIL, eller INTYG_RPC_URL och INTYG_REGISTRY."
          : "No chain to read: give --rpc URL and --registry ADDRESS, --config FILE (e.g. the .intyg/dev.json of pnpm start), --snapshot FILE, or INTYG_RPC_URL and INTYG_REGISTRY.",
      );
    }
    options.rpcUrl = chain.rpcUrl;
  }
  return options;
}

/**
 * A source to verify, and whether it is known to be a regular file: false for standard input and links, known from
 * its folder's listing otherwise; undefined when that is not known yet (a path given by name, a symbolic link).
 */
type Source = { path: string; regular?: boolean };

/** The files a source names: itself, or for a folder the `.json` files directly in it, in name order. */
async function expandSource(source: string): Promise<Source[]> {
  if (source === "-" || /^https?:\/\//i.test(source) || source.includes("#c1.") || source.startsWith("c1."))
    return [{ path: source, regular: false }];
  let entries: Dirent[];
  try {
    if (!(await stat(source)).isDirectory()) return [{ path: source }];
    entries = await readdir(source, { withFileTypes: true });
  } catch {
    return [{ path: source }];
  }
  const files = entries
    .filter((entry) => /\.(json|jsonld)$/i.test(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length === 0) throw new CliError(`No .json files in the folder ${source}`);
  return files.map((entry) => ({
    path: path.join(source, entry.name),
    ...(entry.isSymbolicLink() ? {} : { regular: entry.isFile() }),
  }));
}

export async function runVerify(
  sources: string | string[],
  flags: VerifyFlags,
  context: CommandContext,
): Promise<void> {
  threadsOption(flags.threads);
  const all = (await Promise.all((Array.isArray(sources) ? sources : [sources]).map(expandSource))).flat();
  if (all.length > 1) return runVerifyMany(all, flags, context);
  const source = all[0]!.path;
  const { io } = context;
  const lang = flags.lang;
  const options = await verifyOptions(io, flags);
  const input = await readInput(io, source);
  const report = await verifyOne(input, options, flags);
  // A presentation of several credentials: each one's verdict first, as for several files; the presentation's
  // own verdict stays the last line.
  const presented = report.credentials ?? [];
  if (!flags.json && presented.length > 1)
    io.stdout(
      renderTable(
        presented,
        presented.map((_, i) => `${source} #${i + 1}`),
        lang,
      ),
    );
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, lang));
  const code = exitCodeOf(report);
  if (code === EXIT.usage && !flags.json) {
    const failed = report.checks.find((check) => check.status === "failed");
    if (failed) io.stderr(`intyg verify: ${terminalText(failed.message)}\n`);
  }
  context.setExitCode(code);
}

async function verifyOne(
  input: string | Uint8Array,
  options: VerifyOptions,
  flags: VerifyFlags,
): Promise<VerificationReport> {
  return isPresentation(input)
    ? await verifyPresentation(input, {
        ...options,
        ...(flags.challenge ? { challenge: flags.challenge } : {}),
        ...(flags.domain ? { domain: flags.domain } : {}),
      })
    : await verifyCredential(input, options);
}

/** `--threads`: a whole number from 1 up; absent, every core. */
function threadsOption(value: string | undefined): { threads?: number } {
  if (value === undefined) return {};
  if (!/^[1-9][0-9]{0,3}$/.test(value))
    throw new CliError(
      `--threads: expected a whole number of threads from 1 up, got "${value.slice(0, 20)}"`,
    );
  return { threads: Number(value) };
}

/**
 * Whether a source is a regular file (not standard input, a link or a share URL, nor a pipe or a device, which can
 * be read only once); a path given by name is looked at. A source that cannot be looked at is not: the run then
 * reads every source first, and says which one it could not read before verifying any.
 */
function isRegularFile(source: Source): boolean {
  if (source.regular !== undefined) return source.regular;
  try {
    return statSync(source.path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/**
 * Regular files only: read by the threads that verify them, each the files of the chunks it takes, so that the
 * worker threads start verifying as soon as they are loaded instead of waiting for this thread to read every file.
 * A file that could not be read as a credential (a presentation, or one refused before it was parsed) is read and
 * verified again here, as {@link verifyInputs} would, so its verdict is the same either way.
 */
async function verifyFiles(
  files: string[],
  options: VerifyOptions,
  parallel: { threads?: number },
  flags: VerifyFlags,
  io: CliIo,
): Promise<VerificationReport[]> {
  let reports: VerificationReport[];
  try {
    reports = await verifyFilesInParallel(files, options, parallel);
  } catch (error) {
    if (!(error instanceof CredentialFileError)) throw error;
    throw unreadable(error.file, error.errno, error.cause);
  }
  for (const [i, report] of reports.entries()) {
    if (report.checks.some((check) => check.id === "format" && check.status === "failed"))
      reports[i] = await verifyOne(await readInput(io, files[i]!), options, flags);
  }
  return reports;
}

/** Any sources: read here first (links fetched, standard input read), then verified in one run. */
async function verifyInputs(
  sources: string[],
  options: VerifyOptions,
  parallel: { threads?: number },
  flags: VerifyFlags,
  io: CliIo,
): Promise<VerificationReport[]> {
  const inputs = await Promise.all(sources.map((source) => readInput(io, source)));
  const credentials = inputs.flatMap((input, i) => (isPresentation(input) ? [] : [{ input, i }]));
  const reports: VerificationReport[] = new Array(inputs.length);
  // On every core when there are enough of them (a worker pool), all reading the one block this run pins.
  const batch = await verifyCredentialsInParallel(
    credentials.map((c) => c.input),
    options,
    parallel,
  );
  for (const [k, { i }] of credentials.entries()) reports[i] = batch[k]!;
  for (const [i, input] of inputs.entries()) reports[i] ??= await verifyOne(input, options, flags);
  return reports;
}

/**
 * Several credentials (files, folders, links): verified in one run, so a batch's credentials share one signature
 * check; a table and a summary line, or with --json an array of reports. Exit 0 only if every one verified, 2 if
 * any input is unusable, else 1.
 */
async function runVerifyMany(all: Source[], flags: VerifyFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const sources = all.map((source) => source.path);
  const parallel = threadsOption(flags.threads);
  // Enough files for the worker pool: its threads load while the snapshot or the first files are read.
  if (threadsFor(sources.length, parallel) > 1) void prestartVerificationThreads(parallel.threads);
  const options = await verifyOptions(io, flags);
  const reports = all.every(isRegularFile)
    ? await verifyFiles(sources, options, parallel, flags, io)
    : await verifyInputs(sources, options, parallel, flags, io);
  if (flags.json) io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  else io.stdout(renderTable(reports, sources, flags.lang));
  const codes = reports.map(exitCodeOf);
  context.setExitCode(
    codes.every((code) => code === EXIT.ok)
      ? EXIT.ok
      : codes.some((code) => code === EXIT.usage)
        ? EXIT.usage
        : EXIT.notVerified,
  );
}

export const verifyCommand: CommandModule = {
  name: "verify",
  register(program: Command, context: CommandContext) {
    program
      .command("verify")
      .description("verify a credential or presentation: a JSON file, a share link, or - for standard input")
      .argument(
        "<sources...>",
        "credential files, folders of them, share URLs (…#c1.…), verification or holder links of the service, or - to read standard input",
      )
      .option("--json", "print the report as JSON")
      .option(
        "--rpc <url>",
        "JSON-RPC URL of a node of the registry's chain (default: --config, then INTYG_RPC_URL)",
      )
      .option("--registry <address>", "the registry to trust (default: --config, then INTYG_REGISTRY)")
      .option("--chain-id <id>", "the chain the node must be on (default: --config, then INTYG_CHAIN_ID)")
      .option(
        "--config <file>",
        "a configuration file with rpcUrl, registry and chainId (e.g. .intyg/dev.json)",
      )
      .option("--snapshot <file>", "verify offline on a registry snapshot (see `intyg snapshot`)")
      .addOption(
        langOption(context.io, "language of the report (default: INTYG_LANG, else the system locale)"),
      )
      .option("--challenge <text>", "for a presentation: the challenge this verifier gave the holder")
      .option("--domain <domain>", "for a presentation: this verifier's domain")
      .option(
        "--threads <n>",
        "for many credentials: verify on at most n threads, this one included (default: every core; 1 keeps to one)",
      )
      .addHelpText(
        "after",
        "\nExit codes: 0 verified, 1 not verified, 2 unusable input or usage error.\n" +
          "The registry to trust comes only from --registry, the file named by --config, or INTYG_REGISTRY;\n" +
          "no other file is read and no parent folder is searched. Every verdict says which one it used.\n" +
          "Examples:\n  intyg verify intyg.json --rpc http://127.0.0.1:8545 --registry 0x…\n" +
          "  intyg verify intyg.json --config .intyg/dev.json\n" +
          "  intyg verify 'https://intyg.example.se/verify#c1.…' --json\n  cat intyg.json | intyg verify - --lang en\n",
      )
      .action(async (sources: string[], flags: VerifyFlags) => runVerify(sources, flags, context));
  },
};
