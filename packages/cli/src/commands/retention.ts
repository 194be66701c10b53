// `intyg retention show|set <days|default>`: how long the organisation's personal data is kept after an event
// ends, in words. Setting it needs an admin key.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import type { CliIo } from "../io";
import type { Retention } from "../organiser/api";
import { asAdmin, connect, type Lang, langOption, printJson } from "../organiser/common";
import { terminalText } from "../terminal";
import { t } from "../texts";

/** The retention in words, then anything else the service tells about it (a newer service may say more). */
function showRetention(io: CliIo, lang: Lang, retention: Retention & Record<string, unknown>): void {
  io.stdout(t(lang, "retention.kept", { days: retention.days }));
  io.stdout(t(lang, retention.default ? "retention.default" : "retention.own"));
  for (const [name, value] of Object.entries(retention)) {
    if (name === "days" || name === "default") continue;
    io.stdout(
      `${terminalText(name)}: ${terminalText(typeof value === "string" ? value : JSON.stringify(value))}\n`,
    );
  }
}

export const retentionCommand: CommandModule = {
  name: "retention",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    const retention = program
      .command("retention")
      .description("how long personal data is kept after an event ends (setting it needs an admin key)");

    retention
      .command("show")
      .description("show how long personal data is kept")
      .option("--json", "print it as JSON")
      .addOption(langOption(io))
      .action(async (flags: { json?: boolean; lang: Lang }) => {
        const client = await connect(io, flags.lang);
        const current = await client.retention();
        if (flags.json) printJson(io, current);
        else showRetention(io, flags.lang, current);
        context.setExitCode(EXIT.ok);
      });

    retention
      .command("set")
      .description("keep personal data this many days after an event ends; then it is erased with a receipt")
      .argument("<days>", 'whole days, 1–3650, or "default" for the service\'s default')
      .option("--json", "print it as JSON")
      .addOption(langOption(io))
      .action(async (value: string, flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        let days: number | null = null;
        if (value !== "default" && value !== "standard") {
          days = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
          if (!(days >= 1 && days <= 3650)) throw new CliError(t(lang, "usage.retention-days", { value }));
        }
        const client = await connect(io, lang);
        const updated = await asAdmin(lang, () => client.setRetention(days));
        if (flags.json) printJson(io, updated);
        else showRetention(io, lang, updated);
        context.setExitCode(EXIT.ok);
      });
  },
};
