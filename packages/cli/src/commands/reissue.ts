// `intyg reissue <credentialId> --set name="…" [--unset email] [--yes]`: a corrected credential that supersedes
// the old one. The service merges the corrections into the current claims (the rest is kept); the command shows
// the result first and asks before anything is issued, since a supersession cannot be undone.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import { checkId, collect, confirm, connect, type Lang, langOption, printJson } from "../organiser/common";
import { t } from "../texts";

/** The claims `--set` may correct (the attendee's own claims of the credential). */
const CLAIMS = ["name", "email", "birthDate", "organisation", "role", "team", "partsAttended"] as const;

type ReissueFlags = {
  set?: string[];
  unset?: string[];
  reason?: string;
  yes?: boolean;
  json?: boolean;
  lang: Lang;
};

/** `name=Åsa Öberg` → ["name", "Åsa Öberg"]; `partsAttended=a,b` → a list. */
export function parseSet(lang: Lang, value: string): [string, unknown] {
  const at = value.indexOf("=");
  const key = at > 0 ? value.slice(0, at).trim() : "";
  if (!(CLAIMS as readonly string[]).includes(key)) {
    throw new CliError(t(lang, "usage.set", { value, claims: CLAIMS.join(", ") }));
  }
  const text = value.slice(at + 1).trim();
  if (text === "") throw new CliError(t(lang, "usage.set-empty", { key }));
  return [
    key,
    key === "partsAttended"
      ? text
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean)
      : text,
  ];
}

function show(subject: Record<string, unknown> | null): string {
  if (!subject) return "  –\n";
  return Object.entries(subject)
    .map(
      ([key, value]) =>
        `  ${key}: ${Array.isArray(value) || typeof value === "object" ? JSON.stringify(value) : String(value)}\n`,
    )
    .join("");
}

export const reissueCommand: CommandModule = {
  name: "reissue",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("reissue")
      .description(
        "issue a corrected credential that supersedes this one (the claims not corrected are kept)",
      )
      .argument("<credentialId>", "the credential's id")
      .option("--set <claim=value>", 'correct a claim (repeatable), e.g. --set name="Åsa Öberg"', collect)
      .option("--unset <claim>", "remove a claim (repeatable), e.g. --unset birthDate", collect)
      .option("--reason <text>", "why it is corrected (kept with the new credential)")
      .option("--yes", "do not ask for confirmation")
      .option("--json", "print the new credential as JSON")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nShows the current claims and the result, then asks before issuing (--yes: do not ask). Once both are\n" +
          "anchored, the old credential is marked superseded on chain; this cannot be undone.\n" +
          '\nExample:\n  intyg reissue 9b2c… --set name="Åsa Öberg" --unset birthDate\n',
      )
      .action(async (id: string, flags: ReissueFlags) => {
        const { lang } = flags;
        const subject: Record<string, unknown> = Object.fromEntries(
          (flags.set ?? []).map((set) => parseSet(lang, set)),
        );
        for (const key of flags.unset ?? []) {
          if (!(CLAIMS as readonly string[]).includes(key)) {
            throw new CliError(t(lang, "usage.unset-unknown", { key, claims: CLAIMS.join(", ") }));
          }
          if (key in subject) throw new CliError(t(lang, "usage.unset-and-set", { key }));
          subject[key] = null;
        }
        if (Object.keys(subject).length === 0) throw new CliError(t(lang, "usage.set-nothing"));
        const client = await connect(io, lang);
        const credentialId = checkId(lang, "credentialId", id);
        const preview = await client.reissue(credentialId, { subject, preview: true });
        // With --json, stdout is the new credential alone; the comparison goes to standard error.
        (flags.json ? io.stderr : io.stdout)(
          `${t(lang, "reissue.now")}:\n${show(preview.current)}${t(lang, "reissue.after-the-correction")}:\n${show(preview.result)}`,
        );
        await confirm(io, lang, t(lang, "reissue.confirm"), flags.yes);
        const created = await client.reissue(credentialId, {
          subject,
          ...(flags.reason ? { reason: flags.reason } : {}),
        });
        if (flags.json) printJson(io, created);
        else {
          io.stdout(
            t(lang, "reissue.done", {
              id: created.id,
              value: created.holderUrl ?? "–",
            }),
          );
        }
        context.setExitCode(EXIT.ok);
      });
  },
};
