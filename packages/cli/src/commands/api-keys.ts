// `intyg api-keys list|create|revoke`: the organisation's API keys (admin keys only). A new key is shown once.

import { type Command, Option } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import { checkId, confirm, connect, type Lang, langOption, printJson } from "../organiser/common";
import { t } from "../texts";

export const apiKeysCommand: CommandModule = {
  name: "api-keys",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    const keys = program
      .command("api-keys")
      .description("list, create and revoke the organisation's API keys (needs an admin key)");

    keys
      .command("list")
      .description("list the API keys (name, role, first characters, revoked or not)")
      .option("--json", "print the keys as JSON")
      .addOption(langOption(io))
      .action(async (flags: { json?: boolean; lang: Lang }) => {
        const client = await connect(io, flags.lang);
        const list = await client.apiKeys();
        if (flags.json) printJson(io, list);
        else {
          for (const key of list) {
            const state = key.revokedAt
              ? t(flags.lang, "api-keys.revoked", { revokedAt: key.revokedAt })
              : t(flags.lang, "api-keys.active");
            io.stdout(`${key.id}  ${key.role.padEnd(6)}  ${key.prefix}…  ${state}  ${key.name}\n`);
          }
        }
        context.setExitCode(EXIT.ok);
      });

    keys
      .command("create")
      .description("create an API key; it is shown once, store it safely")
      .argument("<name>", 'what the key is for, e.g. "registreringssystemet"')
      .addOption(
        new Option("--role <role>", "admin may also manage keys")
          .choices(["admin", "issuer"])
          .default("issuer"),
      )
      .option("--json", "print the key as JSON")
      .addOption(langOption(io))
      .action(async (name: string, flags: { role: "admin" | "issuer"; json?: boolean; lang: Lang }) => {
        if (name.trim() === "") throw new CliError(t(flags.lang, "api-keys.name-missing"));
        const client = await connect(io, flags.lang);
        const created = await client.createApiKey(name, flags.role);
        if (flags.json) printJson(io, created);
        else {
          io.stdout(`${created.secret}\n`);
          io.stderr(t(flags.lang, "api-keys.shown-once", { id: created.id, role: created.role }));
        }
        context.setExitCode(EXIT.ok);
      });

    keys
      .command("revoke")
      .description("revoke an API key: requests with it are refused from now on")
      .argument("<keyId>", "the key's id (from `intyg api-keys list`)")
      .option("--yes", "do not ask for confirmation")
      .addOption(langOption(io))
      .action(async (id: string, flags: { yes?: boolean; lang: Lang }) => {
        const client = await connect(io, flags.lang);
        const keyId = checkId(flags.lang, "keyId", id);
        const key = (await client.apiKeys()).find((k) => k.id === keyId);
        if (!key) throw new CliError(t(flags.lang, "api-keys.no-such-key"));
        await confirm(
          io,
          flags.lang,
          t(flags.lang, "api-keys.confirm-revoke", {
            name: key.name,
            prefix: key.prefix,
            role: key.role,
          }),
          flags.yes,
        );
        await client.revokeApiKey(keyId);
        io.stdout(t(flags.lang, "api-keys.done-revoked", { keyId }));
        context.setExitCode(EXIT.ok);
      });
  },
};
