// `intyg logout`: forgets the stored service and API key.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import { type Lang, langOption } from "../organiser/common";
import { credentialsPath, removeCredentials } from "../organiser/session";
import { t } from "../texts";

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
        io.stdout(removed ? t(flags.lang, "logout.done", { file }) : t(flags.lang, "logout.nothing"));
        if (io.env.INTYG_API_KEY) {
          io.stderr(t(flags.lang, "logout.env-key-set"));
        }
        context.setExitCode(EXIT.ok);
      });
  },
};
