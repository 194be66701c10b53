// `intyg erase <credentialId> [--yes]`: erases the personal data of a credential (GDPR art. 17), after saying
// what that means and asking.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import {
  checkId,
  confirm,
  connect,
  type Lang,
  langOption,
  printJson,
  statusModelLabel,
} from "../organiser/common";
import { renderReceipt } from "../organiser/erasure";
import { t } from "../texts";

export const eraseCommand: CommandModule = {
  name: "erase",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("erase")
      .description("erase the personal data of a credential (name, e-mail, document, holder link)")
      .argument("<credentialId>", "the credential's id")
      .option("--yes", "do not ask for confirmation")
      .option("--json", "print the credential as JSON")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nErasure deletes the stored credential, the attendee's name and e-mail address, your reference and the\n" +
          "holder's link. Hashes stay on chain and in the service so that the credential can still be revoked;\n" +
          "a copy the holder kept still verifies unless you revoke it. A credential not yet anchored is cancelled.\n" +
          "It cannot be undone. Asks for confirmation (--yes: do not ask).\n",
      )
      .action(async (id: string, flags: { yes?: boolean; json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        const current = await client.credential(checkId(lang, "credentialId", id));
        const who = current.attendee?.name ?? t(lang, "erase.no-name");
        await confirm(
          io,
          lang,
          t(lang, "erase.confirm", {
            who,
            id: current.id,
            status: statusModelLabel(lang, current),
          }),
          flags.yes,
        );
        const erased = await client.erase(current.id);
        if (flags.json) printJson(io, erased);
        else {
          io.stdout(`${erased.id}: ${statusModelLabel(lang, erased)}\n`);
          // The receipt, in words: what to tell (or give) the person whose data was erased.
          if (erased.erasure) io.stdout(renderReceipt(lang, erased.erasure));
        }
        context.setExitCode(EXIT.ok);
      });
  },
};
