// How a subcommand plugs into the program: a module with a name and a `register` that adds its commander
// command. Organiser commands (login, events, issue, revoke, status, export) are added the same way, each in
// its own module under src/commands, and listed in src/commands/index.ts.

import type { Command } from "commander";
import type { ExitCode } from "./errors";
import type { CliIo } from "./io";

export type CommandContext = {
  io: CliIo;
  /** Records the exit code the program ends with. */
  setExitCode(code: ExitCode): void;
};

export type CommandModule = {
  name: string;
  /** Adds the command (with its own --help) to `program`. */
  register(program: Command, context: CommandContext): void;
};
