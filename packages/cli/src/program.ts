// The `intyg` program: commander with every module of src/commands registered, usage errors mapped to exit 2.

import { Command, CommanderError } from "commander";
import type { CommandContext } from "./command";
import { COMMANDS } from "./commands";
import { CliError, EXIT, type ExitCode } from "./errors";
import type { CliIo } from "./io";

export function createProgram(context: CommandContext): Command {
  const program = new Command("intyg")
    .description("Intyg: verifiable attendance and training credentials (verify, and organiser commands)")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
    });
  for (const module of COMMANDS) module.register(program, context);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
    });
  }
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
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return EXIT.ok;
      }
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
