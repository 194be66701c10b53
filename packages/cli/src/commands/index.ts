// The subcommands of `intyg`, in the order --help lists them.

import type { CommandModule } from "../command";
import { apiKeysCommand } from "./api-keys";
import { coursesCommand } from "./courses";
import { eraseCommand } from "./erase";
import { erasuresCommand } from "./erasures";
import { eventsCommand } from "./events";
import { exportCommand } from "./export";
import { governanceCommand } from "./governance";
import { issueCommand } from "./issue";
import { keysCommand } from "./keys";
import { loginCommand } from "./login";
import { logoutCommand } from "./logout";
import { reissueCommand } from "./reissue";
import { retentionCommand } from "./retention";
import { revokeCommand } from "./revoke";
import { snapshotCommand } from "./snapshot";
import { statusCommand } from "./status";
import { verifyCommand } from "./verify";

export const COMMANDS: readonly CommandModule[] = [
  verifyCommand,
  snapshotCommand,
  loginCommand,
  logoutCommand,
  eventsCommand,
  coursesCommand,
  issueCommand,
  statusCommand,
  revokeCommand,
  reissueCommand,
  eraseCommand,
  erasuresCommand,
  retentionCommand,
  exportCommand,
  apiKeysCommand,
  keysCommand,
  governanceCommand,
];
