// What the operator's scripts (bootstrap, onboard) share: their arguments as pnpm hands them over, and one way to
// end — exit 2 with the message for anything the operator can fix (bad input, a missing setting, a wrong key),
// exit 1 for anything else.

import { ConfigError, ServiceError, ValidationError } from "../errors";
import { KeyringError } from "../privacy/keyring";

/**
 * The script's arguments. `pnpm … script -- --name …` (pnpm 10) hands the script the `--` too: it only separates
 * pnpm's options.
 */
export function scriptArgs(): string[] {
  const argv = process.argv.slice(2);
  return argv[0] === "--" ? argv.slice(1) : argv;
}

/** The message for an error the operator can fix, or undefined for any other. */
function operatorMessage(error: unknown, codePrefix: string): string | undefined {
  if (error instanceof ValidationError)
    return `${error.message}:\n${error.errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}`;
  if (error instanceof ConfigError || error instanceof KeyringError) return error.message;
  if (error instanceof ServiceError && error.code.startsWith(codePrefix)) return error.message;
  // node:util parseArgs: an unknown option, or a value missing after one.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) return (error as Error).message;
  return undefined;
}

/**
 * Runs a script's `main` and sets the exit code: its own, 2 with the message for an error the operator can fix
 * (the service errors whose code starts with `codePrefix` among them), 1 for anything else.
 */
export function runScript(name: string, codePrefix: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = operatorMessage(error, codePrefix);
      if (message !== undefined) {
        process.stderr.write(`${message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
