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
  tr,
} from "../organiser/common";

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
        const client = await connect(io);
        const c = await client.credential(checkId("credentialId", id));
        if (flags.json) {
          printJson(io, c);
          return context.setExitCode(EXIT.ok);
        }
        const subject = (c.credential?.credentialSubject ?? {}) as {
          name?: string;
          achievement?: { name?: string };
        };
        const lines = [
          `${tr(lang, "Intyg", "Credential")}: ${c.id}`,
          `${tr(lang, "Status", "Status")}: ${credentialStatusLabel(lang, c)}`,
        ];
        if (subject.achievement?.name)
          lines.push(
            `${tr(lang, "Evenemang/kurs", "Event/course")}: ${subject.achievement.name} (${c.eventId})`,
          );
        else lines.push(`${tr(lang, "Evenemang/kurs", "Event/course")}: ${c.eventId}`);
        if (subject.name) lines.push(`${tr(lang, "Innehavare", "Holder")}: ${subject.name}`);
        lines.push(
          `${tr(lang, "Läge", "Mode")}: ${
            c.mode === "batch"
              ? tr(lang, "i en batch (Merkleträd)", "in a batch (Merkle tree)")
              : tr(lang, "enskilt", "single")
          }`,
        );
        if (c.anchoredAt) lines.push(`${tr(lang, "Förankrat", "Anchored")}: ${c.anchoredAt}`);
        if (c.txHash) lines.push(`${tr(lang, "Transaktion", "Transaction")}: ${c.txHash}`);
        if (c.batch) lines.push(`${tr(lang, "Batchrot", "Batch root")}: ${c.batch.root}`);
        if (c.holder) lines.push(`${tr(lang, "Plånbok", "Wallet")}: ${c.holder}`);
        if (c.validUntil) lines.push(`${tr(lang, "Giltigt till", "Valid until")}: ${c.validUntil}`);
        if (c.revocation) {
          lines.push(
            `${tr(lang, "Återkallelse", "Revocation")}: ${c.revocation.reason}, ${c.revocation.status}${
              c.revocation.revokedAt ? ` ${c.revocation.revokedAt}` : ""
            }`,
          );
        }
        if (c.supersedes) lines.push(`${tr(lang, "Ersätter", "Supersedes")}: ${c.supersedes}`);
        if (c.supersededBy) lines.push(`${tr(lang, "Ersatt av", "Superseded by")}: ${c.supersededBy}`);
        if (c.erasedAt)
          lines.push(`${tr(lang, "Personuppgifter raderade", "Personal data erased")}: ${c.erasedAt}`);
        if (c.holderUrl) lines.push(`${tr(lang, "Innehavarlänk", "Holder link")}: ${c.holderUrl}`);
        io.stdout(`${lines.join("\n")}\n`);
        context.setExitCode(EXIT.ok);
      });
  },
};
