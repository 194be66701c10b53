// `intyg logout`: forgets the stored service and API key.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import { type Lang, langOption, tr } from "../organiser/common";
import { credentialsPath, removeCredentials } from "../organiser/session";

export const logoutCommand: CommandModule = {
  name: "logout",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("logout")
      .description("forget the stored service address and API key (the key itself stays valid until revoked)")
      .addOption(langOption(io))
      .action(async (flags: { lang: Lang }) => {
        const file = credentialsPath(io);
        const removed = await removeCredentials(io);
        io.stdout(
          removed
            ? tr(flags.lang, `Utloggad: ${file} togs bort.\n`, `Logged out: removed ${file}.\n`)
            : tr(flags.lang, "Inte inloggad: inget att ta bort.\n", "Not logged in: nothing to remove.\n"),
        );
        if (io.env.INTYG_API_KEY) {
          io.stderr(
            tr(
              flags.lang,
              "Obs: INTYG_API_KEY är fortfarande satt i miljön.\n",
              "Note: INTYG_API_KEY is still set in the environment.\n",
            ),
          );
        }
        context.setExitCode(EXIT.ok);
      });
  },
};
