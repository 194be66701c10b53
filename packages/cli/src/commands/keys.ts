// `intyg keys list|create|current|retire|compromised|audit`: the organisation's own on-chain signing keys
// (admin API keys only). The service keeps them encrypted and never shows them; each step is audited. When the
// service does not hold the organisation's admin key, `create` writes the authorisation as a Safe batch and
// says what the admin must do.

import path from "node:path";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import type { OrganisationKey, ServiceClient } from "../organiser/api";
import {
  asAdmin,
  checkAddress,
  confirm,
  connect,
  type Lang,
  langOption,
  printJson,
  unixTime,
  when,
  writePrivateFile,
} from "../organiser/common";
import { hasText, t } from "../texts";

/** The key's window in words: "valid from the start, no end date", "valid from 12 May 2026 until …". */
export function keyWindow(lang: Lang, key: Pick<OrganisationKey, "validFrom" | "validUntil">): string {
  const from = key.validFrom
    ? t(lang, "keys.from", { from: when(lang, key.validFrom) })
    : t(lang, "keys.from-start");
  const until = key.validUntil
    ? t(lang, "keys.until", { until: when(lang, key.validUntil) })
    : t(lang, "keys.no-end");
  return `${from}${until}`;
}

function keyLines(lang: Lang, key: OrganisationKey): string {
  const status = t(lang, `keys.status.${key.status}`);
  const lines = [
    `${key.address}  ${key.current ? "▶ " : ""}${status}`,
    `  ${keyWindow(lang, key)}`,
    `  ${t(lang, `keys.custody.${key.custody}`)}`,
  ];
  if (key.current) lines.splice(1, 0, `  ${t(lang, "keys.current")}`);
  return `${lines.join("\n")}\n`;
}

/** The organisation's key with this address (any letter case), or a usage error naming it. */
async function keyOf(client: ServiceClient, lang: Lang, address: string): Promise<OrganisationKey> {
  const key = (await asAdmin(lang, () => client.keys())).find(
    (k) => k.address.toLowerCase() === address.toLowerCase(),
  );
  if (!key) throw new CliError(t(lang, "keys.no-such-key", { address }));
  return key;
}

function actionText(lang: Lang, action: string): string {
  const key = `keys.audit.${action}`;
  return hasText(key) ? t(lang, key) : action;
}

export const keysCommand: CommandModule = {
  name: "keys",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    const keys = program
      .command("keys")
      .description(
        "the organisation's own signing keys on chain: list, create, rotate, retire (needs an admin key)",
      )
      .addHelpText(
        "after",
        "\nThe service keeps each key encrypted and never shows it. A key signs the organisation's credentials once it\n" +
          "is authorised on chain (by the organisation's admin account) and made current. Retiring a key ends its window\n" +
          "on chain now; what it signed stays valid. A compromised key is removed at once, and what it signed since a\n" +
          "time can be revoked. Every step is in `intyg keys audit`.\n",
      );

    keys
      .command("list")
      .description("list the keys: status, window on chain, which one is current")
      .option("--json", "print the keys as JSON")
      .addOption(langOption(io))
      .action(async (flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        const list = await asAdmin(lang, () => client.keys());
        if (flags.json) printJson(io, list);
        else if (list.length === 0) io.stdout(t(lang, "keys.none"));
        else io.stdout(list.map((key) => keyLines(lang, key)).join("\n"));
        context.setExitCode(EXIT.ok);
      });

    keys
      .command("create")
      .description("create a signing key, authorise it on chain and make it current")
      .option(
        "--valid-from <date>",
        "the start of its window (YYYY-MM-DD, Swedish time, or a UTC date-time; default: from the start)",
      )
      .option("--valid-until <date>", "the end of its window (default: no end)")
      .option("--no-current", "do not make it the current key once authorised")
      .option(
        "--safe-batch <file>",
        "where to write the authorisation as a Safe transaction batch, when the organisation's admin must send it",
      )
      .option("--json", "print the answer as JSON")
      .addOption(langOption(io))
      .action(
        async (flags: {
          validFrom?: string;
          validUntil?: string;
          current: boolean;
          safeBatch?: string;
          json?: boolean;
          lang: Lang;
        }) => {
          const { lang } = flags;
          const validFrom =
            flags.validFrom === undefined ? undefined : unixTime(lang, "--valid-from", flags.validFrom);
          const validUntil =
            flags.validUntil === undefined ? undefined : unixTime(lang, "--valid-until", flags.validUntil);
          const now = Math.floor(Date.now() / 1000);
          if (validUntil !== undefined && validUntil <= Math.max(validFrom ?? 0, now))
            throw new CliError(t(lang, "usage.key-window"));
          const client = await connect(io, lang);
          const created = await asAdmin(lang, () =>
            client.createKey({
              ...(validFrom !== undefined ? { validFrom } : {}),
              ...(validUntil !== undefined ? { validUntil } : {}),
              makeCurrent: flags.current,
            }),
          );
          const { key, authorisation } = created;
          let file: string | undefined;
          if (authorisation) {
            file = path.resolve(io.cwd, flags.safeBatch ?? `intyg-authorise-${key.address}.json`);
            await writePrivateFile(file, `${JSON.stringify(authorisation.safeBatch, null, 2)}\n`);
          }
          if (flags.json) printJson(io, { ...created, ...(file ? { safeBatchFile: file } : {}) });
          else if (authorisation && file)
            io.stdout(
              t(lang, "keys.prepared", {
                address: key.address,
                file,
                chainId: String(authorisation.safeBatch.chainId ?? ""),
                to: authorisation.to,
                data: authorisation.data,
              }),
            );
          else
            io.stdout(
              t(lang, key.current ? "keys.created-current" : "keys.created", { address: key.address }),
            );
          context.setExitCode(EXIT.ok);
        },
      );

    keys
      .command("current")
      .description("make an authorised key the one that signs from now on")
      .argument("<address>", "the key's address (from `intyg keys list`)")
      .option("--json", "print the key as JSON")
      .addOption(langOption(io))
      .action(async (address: string, flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        checkAddress(lang, "<address>", address);
        const client = await connect(io, lang);
        const key = await asAdmin(lang, () => client.keyStep(address, "current"));
        if (flags.json) printJson(io, key);
        else io.stdout(t(lang, "keys.made-current", { address: key.address }));
        context.setExitCode(EXIT.ok);
      });

    keys
      .command("retire")
      .description("retire a key that is no longer current: its window ends now, what it signed stays valid")
      .argument("<address>", "the key's address")
      .option("--yes", "do not ask for confirmation")
      .option("--json", "print the key as JSON")
      .addOption(langOption(io))
      .action(async (address: string, flags: { yes?: boolean; json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        checkAddress(lang, "<address>", address);
        const client = await connect(io, lang);
        // Asked about a key the organisation has, by its own spelling; an unknown one is refused before asking.
        address = (await keyOf(client, lang, address)).address;
        await confirm(io, lang, t(lang, "keys.confirm-retire", { address }), flags.yes);
        const key = await asAdmin(lang, () => client.keyStep(address, "retire"));
        if (flags.json) printJson(io, key);
        else io.stdout(t(lang, "keys.retired", { address: key.address, tx: key.removalTxHash }));
        context.setExitCode(EXIT.ok);
      });

    keys
      .command("compromised")
      .description(
        "a key known or feared compromised: removed on chain at once, what it signed since --since listed",
      )
      .argument("<address>", "the key's address")
      .requiredOption(
        "--since <time>",
        "when the key may first have been exposed (YYYY-MM-DD, Swedish time, or a UTC date-time)",
      )
      .option("--revoke", "also revoke every credential it signed since then (reason: key compromise)")
      .option("--yes", "do not ask for confirmation")
      .option("--json", "print the answer as JSON")
      .addOption(langOption(io))
      .action(
        async (
          address: string,
          flags: { since: string; revoke?: boolean; yes?: boolean; json?: boolean; lang: Lang },
        ) => {
          const { lang } = flags;
          checkAddress(lang, "<address>", address);
          const since = unixTime(lang, "--since", flags.since);
          if (since > Math.floor(Date.now() / 1000)) throw new CliError(t(lang, "usage.since-future"));
          const sinceText = when(lang, since);
          const revoke = flags.revoke === true;
          const client = await connect(io, lang);
          address = (await keyOf(client, lang, address)).address;
          await confirm(
            io,
            lang,
            t(lang, "keys.confirm-compromised", { address, since: sinceText, revoke: revoke ? "yes" : "" }),
            flags.yes,
          );
          const result = await asAdmin(lang, () =>
            client.keyCompromised(address, { since: new Date(since * 1000).toISOString(), revoke }),
          );
          if (flags.json) printJson(io, result);
          else {
            io.stdout(
              t(lang, "keys.compromised", {
                address: result.key.address,
                count: result.credentials.length,
                since: sinceText,
                revoke: revoke ? "yes" : "",
                requested: result.revocationsRequested,
              }),
            );
            for (const id of result.credentials) io.stdout(`  ${id}\n`);
          }
          context.setExitCode(EXIT.ok);
        },
      );

    keys
      .command("audit")
      .description(
        "every step taken with the organisation's keys: when, which key, what, who, which transaction",
      )
      .option("--json", "print the log as JSON")
      .addOption(langOption(io))
      .action(async (flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        const entries = await asAdmin(lang, () => client.keyAudit());
        if (flags.json) printJson(io, entries);
        else if (entries.length === 0) io.stdout(t(lang, "keys.audit-none"));
        else
          for (const entry of entries)
            io.stdout(
              `${when(lang, entry.at)}  ${entry.key}  ${actionText(lang, entry.action)}  ${entry.actor}${entry.txHash ? `  ${entry.txHash}` : ""}\n`,
            );
        context.setExitCode(EXIT.ok);
      });
  },
};
