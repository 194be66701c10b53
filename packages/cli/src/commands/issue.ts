// `intyg issue <eventId> --csv FILE`: issues credentials to every attendee of a spreadsheet export in one
// bulk request. Every row is checked first; a file with any bad row sends nothing (exit 2).

import path from "node:path";
import { formatCsv } from "@intyg/credential";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import { checkId, connect, type Lang, langOption, printJson, writePrivateFile } from "../organiser/common";
import { type IssueOutcome, issueFromCsv } from "../organiser/issue";
import { t } from "../texts";

type IssueFlags = {
  csv: string;
  idempotencyKey?: string;
  validUntil?: string;
  dryRun?: boolean;
  wait?: boolean;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  lang: Lang;
};

function summary(lang: Lang, outcome: IssueOutcome): string {
  const name = outcome.event.details.name;
  const n = outcome.rows.length;
  if (outcome.dryRun) {
    return t(lang, "issue.dry-run", { n, name, idempotencyKey: outcome.idempotencyKey });
  }
  const lines = [
    outcome.replayed
      ? t(lang, "issue.replayed", { name })
      : t(lang, "issue.issued", { count: outcome.result!.count, name }),
    `Idempotency-Key: ${outcome.idempotencyKey}`,
  ];
  if (outcome.job) lines.push(`${t(lang, "issue.job")}: ${outcome.job.id}`);
  if (outcome.timings.anchorMs !== undefined) {
    lines.push(t(lang, "issue.all-anchored"));
  } else {
    lines.push(t(lang, "issue.anchored-next-batch"));
  }
  return `${lines.join("\n")}\n`;
}

/** A receipt for the organiser: each line of the file with its credential and the attendee's own link. */
function receipt(outcome: IssueOutcome): string {
  const byIndex = new Map(outcome.result!.credentials.map((item) => [item.index, item]));
  return formatCsv(
    ["rad", "namn", "e-post", "referens", "intyg", "läge", "innehavarlänk"],
    outcome.rows.map((row, index) => {
      const item = byIndex.get(index);
      return [
        String(row.line),
        row.attendee.subject.name ?? "",
        row.attendee.subject.email ?? "",
        row.attendee.reference ?? "",
        item?.id ?? "",
        item?.mode ?? "",
        item?.holderUrl ?? "",
      ];
    }),
  );
}

export const issueCommand: CommandModule = {
  name: "issue",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("issue")
      .description(
        "issue credentials to the attendees in a CSV file (one bulk request, anchored in one batch)",
      )
      .argument("<eventId>", "the event or course (its id, see `intyg events list`)")
      .requiredOption("--csv <file>", "the attendee list, as exported from Excel, LibreOffice or Numbers")
      .option(
        "--idempotency-key <key>",
        "the request's Idempotency-Key (default: derived from the event and the file's content, so running the same file again never issues twice)",
      )
      .option(
        "--valid-until <date>",
        "expiry for every credential, YYYY-MM-DD (e.g. a certification to renew)",
      )
      .option(
        "--ignore-columns",
        "leave out columns the file has but no attendee field names (otherwise refused)",
      )
      .option("--dry-run", "check the file and show what would be issued; send nothing")
      .option("--wait", "wait until the credentials are anchored on chain")
      .option(
        "--out <file>",
        "write a receipt (CSV): each line of the file with its credential id and holder link",
      )
      .option("--json", "print the service's result as JSON")
      .option("--quiet", "no progress bar")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nThe file: one header row, then one attendee per row. Separator ; (or , when the header uses it),\n" +
          'UTF-8 with or without BOM, values with ; or line breaks in quotes ("…", a quote written as "").\n' +
          "Columns (Swedish or English, any case; only a name is required):\n" +
          "  namn | name (or förnamn + efternamn)   e-post | email        födelsedatum | birthDate (YYYY-MM-DD)\n" +
          "  organisation | arbetsgivare | kommun   roll | role: deltagare, talare, arrangör, hackathondeltagare\n" +
          "  lag | team    delar | parts: the event's part ids or names, separated by , or |\n" +
          "  plånbok | wallet: 0x… (the credential gets a soulbound token)   giltig till | validUntil\n" +
          "  referens | reference (your own, not in the credential)          resultat | result (e.g. Godkänd)\n" +
          "Personal identity numbers (personnummer) are refused: they do not belong in a credential.\n" +
          '\nEvery row is checked before anything is sent; errors are listed by line ("rad 7: e-postadressen saknar @")\n' +
          "and the command exits 2 with nothing issued. The personal data stays in the service's database; only\n" +
          "salted hashes reach the chain.\n" +
          "\nExit codes: 0 issued (or a valid --dry-run), 1 the service failed, 2 a bad file, option or request.\n" +
          "\nExamples:\n  intyg issue 3f1d… --csv deltagare.csv --dry-run\n  intyg issue 3f1d… --csv deltagare.csv --wait --out kvitto.csv\n",
      )
      .action(async (eventId: string, flags: IssueFlags) => {
        const { lang } = flags;
        const id = checkId(lang, "eventId", eventId);
        if (flags.idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(flags.idempotencyKey)) {
          throw new CliError(t(lang, "usage.idempotency-key"));
        }
        let csv: Uint8Array;
        try {
          csv = await io.readFile(path.resolve(io.cwd, flags.csv));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new CliError(
            code === "ENOENT"
              ? t(lang, "issue.no-such-file", { csv: flags.csv })
              : t(lang, "issue.unreadable", { csv: flags.csv, reason: String(error) }),
          );
        }
        const client = await connect(io, lang);
        const outcome = await issueFromCsv(client, io, {
          eventId: id,
          csv,
          lang,
          ...(flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {}),
          ...(flags.validUntil ? { validUntil: flags.validUntil } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
          ...(flags.wait ? { waitAnchored: true } : {}),
          ...(flags.quiet || flags.json ? { quiet: true } : {}),
        });
        if (flags.out && outcome.result) {
          await writePrivateFile(path.resolve(io.cwd, flags.out), receipt(outcome));
        }
        if (flags.json) {
          printJson(io, {
            eventId: outcome.event.id,
            dryRun: outcome.dryRun,
            replayed: outcome.replayed,
            idempotencyKey: outcome.idempotencyKey,
            attendees: outcome.rows.length,
            ...(outcome.job ? { job: outcome.job.id } : {}),
            ...(outcome.result ? { result: outcome.result } : {}),
          });
        } else {
          io.stdout(summary(lang, outcome));
          if (flags.out && outcome.result) io.stdout(t(lang, "issue.receipt", { out: flags.out }));
        }
        context.setExitCode(EXIT.ok);
      });
  },
};
