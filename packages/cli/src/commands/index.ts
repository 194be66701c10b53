// The subcommands of `intyg`, in the order --help lists them.

import type { CommandModule } from "../command";
import { snapshotCommand } from "./snapshot";
import { verifyCommand } from "./verify";

export const COMMANDS: readonly CommandModule[] = [verifyCommand, snapshotCommand];
