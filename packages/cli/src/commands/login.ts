// `intyg login --url URL [--api-key KEY]`: checks an organisation's API key against the service and stores
// it for the organiser commands in ~/.config/intyg/credentials.json (readable by the user alone).

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { findDevConfig } from "../config";
import { CliError, EXIT } from "../errors";
import { checkServiceUrl, ServiceClient } from "../organiser/api";
import { type Lang, langOption } from "../organiser/common";
import { storeCredentials } from "../organiser/session";
import { t } from "../texts";

type LoginFlags = { url?: string; apiKey?: string; lang: Lang };

export const loginCommand: CommandModule = {
  name: "login",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("login")
      .description("log in to an Intyg issuer service with your organisation's API key (organisers)")
      .option(
        "--url <url>",
        "the service, e.g. https://intyg.example.se (default: INTYG_URL or .intyg/dev.json)",
      )
      .option(
        "--api-key <key>",
        "the API key (default: INTYG_API_KEY, or asked for without echo; a key on the command line is visible to other users of the machine)",
      )
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nThe key is checked against the service (GET /v1/organisation) and stored in\n" +
          "~/.config/intyg/credentials.json with mode 0600. INTYG_URL and INTYG_API_KEY override what is stored;\n" +
          "without either, the organiser commands use .intyg/dev.json of a local `pnpm start`.\n" +
          "API keys are created by the service's administrator (POST /v1/api-keys); keep them like passwords.\n" +
          "\nExamples:\n  intyg login --url https://intyg.goteborg.se\n  INTYG_API_KEY=… intyg login --url http://127.0.0.1:8787\n",
      )
      .action(async (flags: LoginFlags) => {
        const { lang } = flags;
        const url = checkServiceUrl(
          lang,
          flags.url ?? io.env.INTYG_URL ?? findDevConfig(io.cwd)?.serviceUrl ?? missing(lang, "--url"),
        );
        let apiKey = flags.apiKey ?? io.env.INTYG_API_KEY;
        if (!apiKey) {
          if (!io.promptSecret) throw new CliError(t(lang, "usage.api-key"));
          apiKey = await io.promptSecret(t(lang, "login.prompt", { url }));
        }
        if (!apiKey) throw new CliError(t(lang, "login.no-key"));
        const organisation = await new ServiceClient({ url, apiKey }, { lang })
          .organisation()
          .catch((error) => {
            if ((error as { status?: number }).status === 401) {
              throw new CliError(t(lang, "login.key-refused", { url }));
            }
            throw error;
          });
        const file = await storeCredentials(io, { url, apiKey });
        io.stdout(
          t(lang, "login.done", {
            url,
            name: organisation.name,
            chainOrganisationId: organisation.chainOrganisationId,
            registry: organisation.registry,
            chainId: organisation.chainId,
            file,
          }),
        );
        context.setExitCode(EXIT.ok);
      });
  },
};

function missing(lang: Lang, flag: string): never {
  throw new CliError(t(lang, "usage.url-required", { flag }));
}
