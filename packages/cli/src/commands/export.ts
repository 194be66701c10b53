// `intyg export <eventId>`: the event's credentials — ids, status, anchoring, revocation and each attendee's
// own links — as CSV (for a spreadsheet or a mail merge) or JSON. No more personal data than the organiser
// already holds: no names, e-mail addresses or documents, only ids and links.

import path from "node:path";
import { formatCsv } from "@intyg/credential";
import { type Command, Option } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import type { CredentialSummary } from "../organiser/api";
import { checkId, connect, type Lang, langOption, writePrivateFile } from "../organiser/common";
import { t } from "../texts";

type ExportFlags = { format?: "csv" | "json"; out?: string; lang: Lang };

export type ExportRow = {
  id: string;
  status: string;
  mode: string;
  anchoredAt: string | null;
  txHash: string | null;
  batchRoot: string | null;
  revocationReason: string | null;
  revocationStatus: string | null;
  revokedAt: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  erasedAt: string | null;
  validUntil: string | null;
  holderUrl: string | null;
  pdfUrl: string | null;
  qrUrl: string | null;
  shareUrl: string | null;
};

export function exportRow(c: CredentialSummary): ExportRow {
  return {
    id: c.id,
    status: c.revocation?.status === "confirmed" ? "revoked" : c.status,
    mode: c.mode,
    anchoredAt: c.anchoredAt,
    txHash: c.txHash,
    batchRoot: c.batch?.root ?? null,
    revocationReason: c.revocation?.reason ?? null,
    revocationStatus: c.revocation?.status ?? null,
    revokedAt: c.revocation?.revokedAt ?? null,
    supersedes: c.supersedes,
    supersededBy: c.supersededBy,
    erasedAt: c.erasedAt,
    validUntil: c.validUntil,
    holderUrl: c.holderUrl,
    pdfUrl: c.holderUrl ? `${c.holderUrl}/pdf` : null,
    qrUrl: c.holderUrl ? `${c.holderUrl}/qr.png` : null,
    shareUrl: c.holderUrl ? `${c.holderUrl}/share` : null,
  };
}

export const exportCommand: CommandModule = {
  name: "export",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("export")
      .description(
        "export an event's credentials: ids, status, anchoring, revocations and the attendees' links",
      )
      .argument("<eventId>", "the event or course")
      .addOption(
        new Option(
          "--format <format>",
          "csv (; separated, opens in Excel) or json (default: from --out, else csv)",
        ).choices(["csv", "json"]),
      )
      .option("--out <file>", "write to this file (readable by you alone) instead of standard output")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nColumns: id, status (pending, anchored, revoked, cancelled…), mode, anchoredAt, txHash, batchRoot,\n" +
          "revocation, supersession, erasedAt, validUntil, and the attendee's own links: holderUrl (the credential),\n" +
          "pdfUrl, qrUrl and shareUrl. Send each attendee their own link only: whoever has it can fetch the credential.\n" +
          "`intyg issue --out` writes which line of your attendee file got which credential.\n" +
          "\nExample:\n  intyg export 3f1d… --out intyg.csv\n",
      )
      .action(async (eventId: string, flags: ExportFlags) => {
        const id = checkId(flags.lang, "eventId", eventId);
        const format = flags.format ?? (flags.out && /\.json$/i.test(flags.out) ? "json" : "csv");
        const client = await connect(io, flags.lang);
        await client.event(id);
        const rows = (await client.eventCredentials(id)).map(exportRow);
        const text =
          format === "json"
            ? `${JSON.stringify(rows, null, 2)}\n`
            : formatCsv(
                Object.keys(exportRow({ links: {} } as unknown as CredentialSummary)),
                rows.map((row) => Object.values(row).map((v) => (v === null ? "" : String(v)))),
              );
        if (flags.out) {
          await writePrivateFile(path.resolve(io.cwd, flags.out), text);
          io.stderr(t(flags.lang, "export.done", { length: rows.length, out: flags.out }));
        } else io.stdout(text);
        context.setExitCode(EXIT.ok);
      });
  },
};
