// The `intyg` program: commander with every module of src/commands registered, usage errors mapped to exit 2.

import { Command, CommanderError } from "commander";
import type { CommandContext } from "./command";
import { COMMANDS } from "./commands";
import { CliError, EXIT, type ExitCode } from "./errors";
import type { CliIo } from "./io";

export function createProgram(context: CommandContext): Command {
  const program = new Command("intyg")
    .description(
      "Intyg: verifiable attendance and training credentials for the public sector.\n" +
        "Verifiers: verify, snapshot. Organisers: login, events, courses, issue, status, revoke, export.\n" +
        "Administrators: api-keys, keys, retention, erasures.",
    )
    .version("0.1.0")
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nExit codes: 0 ok (verified), 1 not verified or the service failed, 2 unusable input or usage error.\n" +
        "Organiser commands use the service and API key of `intyg login` (or INTYG_URL and INTYG_API_KEY).\n",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
    });
  for (const module of COMMANDS) module.register(program, context);
  // Subcommands (and theirs, e.g. `events create`) throw instead of exiting and write through the io.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (text) => context.io.stdout(text),
        writeErr: (text) => context.io.stderr(text),
      });
      if (!sub.commands.length) sub.showHelpAfterError();
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/** Runs the program on `argv` (as process.argv) and resolves to the exit code. Never rejects. */
export async function runProgram(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const context: CommandContext = { io, setExitCode: (code) => (exitCode = code) };
  const program = createProgram(context);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      // `intyg help …` shows help (exit 0); `intyg events` without a subcommand shows it as an error.
      if (error.code === "commander.help") return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`intyg: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`intyg: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
}
