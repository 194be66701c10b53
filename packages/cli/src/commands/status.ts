// `intyg status <credentialId>`: where a credential stands — pending, anchored (transaction, batch),
// revoked, superseded, erased — and the attendee's link.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import {
  checkId,
  connect,
  credentialStatusLabel,
  type Lang,
  langOption,
  printJson,
} from "../organiser/common";
import { t } from "../texts";

export const statusCommand: CommandModule = {
  name: "status",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("status")
      .description("show a credential's status: pending, anchored on chain, revoked, superseded or erased")
      .argument("<credentialId>", "the credential's id")
      .option("--json", "print the credential (with its document) as JSON")
      .addOption(langOption(io))
      .action(async (id: string, flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        const c = await client.credential(checkId(lang, "credentialId", id));
        if (flags.json) {
          printJson(io, c);
          return context.setExitCode(EXIT.ok);
        }
        const subject = (c.credential?.credentialSubject ?? {}) as {
          name?: string;
          achievement?: { name?: string };
        };
        const lines = [
          `${t(lang, "status.credential")}: ${c.id}`,
          `${t(lang, "status.status")}: ${credentialStatusLabel(lang, c)}`,
        ];
        if (subject.achievement?.name)
          lines.push(`${t(lang, "status.event-course")}: ${subject.achievement.name} (${c.eventId})`);
        else lines.push(`${t(lang, "status.event-course")}: ${c.eventId}`);
        if (subject.name) lines.push(`${t(lang, "status.holder")}: ${subject.name}`);
        lines.push(
          `${t(lang, "status.mode")}: ${
            c.mode === "batch" ? t(lang, "status.in-a-batch") : t(lang, "status.single")
          }`,
        );
        if (c.anchoredAt) lines.push(`${t(lang, "status.anchored")}: ${c.anchoredAt}`);
        if (c.txHash) lines.push(`${t(lang, "status.transaction")}: ${c.txHash}`);
        if (c.batch) lines.push(`${t(lang, "status.batch-root")}: ${c.batch.root}`);
        if (c.holder) lines.push(`${t(lang, "status.wallet")}: ${c.holder}`);
        if (c.validUntil) lines.push(`${t(lang, "status.valid-until")}: ${c.validUntil}`);
        if (c.revocation) {
          lines.push(
            `${t(lang, "status.revocation")}: ${c.revocation.reason}, ${c.revocation.status}${
              c.revocation.revokedAt ? ` ${c.revocation.revokedAt}` : ""
            }`,
          );
        }
        if (c.supersedes) lines.push(`${t(lang, "status.supersedes")}: ${c.supersedes}`);
        if (c.supersededBy) lines.push(`${t(lang, "status.superseded-by")}: ${c.supersededBy}`);
        if (c.erasedAt) lines.push(`${t(lang, "status.personal-data-erased")}: ${c.erasedAt}`);
        if (c.holderUrl) lines.push(`${t(lang, "status.holder-link")}: ${c.holderUrl}`);
        io.stdout(`${lines.join("\n")}\n`);
        context.setExitCode(EXIT.ok);
      });
  },
};
