// `intyg verify <file | share-url | ->`: verifies a credential (or a presentation) and exits 0 when verified,
// 1 when not, 2 when the input or the options are unusable.

import { existsSync } from "node:fs";
import {
  type Lang,
  type VerificationReport,
  type VerifyOptions,
  verifyCredential,
  verifyPresentation,
} from "@intyg/verifier";
import { type Command, Option } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { resolveChain } from "../config";
import { CliError, EXIT, type ExitCode } from "../errors";
import type { CliIo } from "../io";
import { renderReport } from "../render";

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
]);
/** Failures to reach the chain, read the snapshot, or know which registry to trust: no verdict, exit 2. */
const UNUSABLE_CHAIN = new Set(["no-chain", "chain-unavailable", "bad-snapshot", "untrusted-registry"]);

export type VerifyFlags = {
  json?: boolean;
  rpc?: string;
  registry?: string;
  snapshot?: string;
  lang: Lang;
  challenge?: string;
  domain?: string;
};

async function readInput(io: CliIo, source: string): Promise<string | Uint8Array> {
  if (source === "-") return io.readStdin();
  if (/^https?:\/\//i.test(source) || source.startsWith("c1.") || source.startsWith("#c1.")) return source;
  if (!existsSync(source) && source.includes("#c1.")) return source;
  try {
    return await io.readFile(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? `No such file: ${source}` : `Cannot read ${source}: ${String(error)}`,
    );
  }
}

function isPresentation(input: string | Uint8Array): boolean {
  const text = typeof input === "string" ? input : new TextDecoder().decode(input.subarray(0, 1_048_576));
  return /"VerifiablePresentation"/.test(text);
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

export async function runVerify(source: string, flags: VerifyFlags, context: CommandContext): Promise<void> {
  const { io } = context;
  const lang = flags.lang;
  const options: VerifyOptions = { lang };
  if (flags.snapshot) {
    try {
      options.snapshot = new TextDecoder().decode(await io.readFile(flags.snapshot));
    } catch {
      throw new CliError(`Cannot read the snapshot ${flags.snapshot}`);
    }
    if (flags.registry) options.registry = resolveChain(io, { registry: flags.registry }).registry!;
  } else {
    const chain = resolveChain(io, flags);
    if (!chain.rpcUrl) {
      throw new CliError(
        lang === "sv"
          ? "Ingen kedja att läsa: ange --rpc URL (och --registry ADRESS), --snapshot FIL, eller INTYG_RPC_URL."
          : "No chain to read: give --rpc URL (and --registry ADDRESS), --snapshot FILE, or INTYG_RPC_URL.",
      );
    }
    options.rpcUrl = chain.rpcUrl;
    if (chain.registry) options.registry = chain.registry;
  }
  const input = await readInput(io, source);
  const report = isPresentation(input)
    ? await verifyPresentation(input, {
        ...options,
        ...(flags.challenge ? { challenge: flags.challenge } : {}),
        ...(flags.domain ? { domain: flags.domain } : {}),
      })
    : await verifyCredential(input, options);
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, lang));
  const code = exitCodeOf(report);
  if (code === EXIT.usage && !flags.json) {
    const failed = report.checks.find((check) => check.status === "failed");
    if (failed) io.stderr(`intyg verify: ${failed.message}\n`);
  }
  context.setExitCode(code);
}

export const verifyCommand: CommandModule = {
  name: "verify",
  register(program: Command, context: CommandContext) {
    program
      .command("verify")
      .description("verify a credential or presentation: a JSON file, a share link, or - for standard input")
      .argument("<source>", "a credential file, a share URL (…#c1.…), or - to read standard input")
      .option("--json", "print the report as JSON")
      .option(
        "--rpc <url>",
        "JSON-RPC URL of the registry's chain (default: INTYG_RPC_URL or .intyg/dev.json)",
      )
      .option(
        "--registry <address>",
        "the registry to trust (default: INTYG_REGISTRY, .intyg/dev.json or the credential's)",
      )
      .option("--snapshot <file>", "verify offline on a registry snapshot (see `intyg snapshot`)")
      .addOption(new Option("--lang <lang>", "language of the report").choices(["sv", "en"]).default("sv"))
      .option("--challenge <text>", "for a presentation: the challenge this verifier gave the holder")
      .option("--domain <domain>", "for a presentation: this verifier's domain")
      .addHelpText(
        "after",
        "\nExit codes: 0 verified, 1 not verified, 2 unusable input or usage error.\n" +
          "Examples:\n  intyg verify intyg.json --rpc http://127.0.0.1:8545 --registry 0x…\n" +
          "  intyg verify 'https://intyg.example.se/verify#c1.…' --json\n  cat intyg.json | intyg verify - --lang en\n",
      )
      .action(async (source: string, flags: VerifyFlags) => runVerify(source, flags, context));
  },
};
