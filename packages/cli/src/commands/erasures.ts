// `intyg erasures [credentialId]`: the organisation's erasure receipts (no personal data), or one receipt in
// words to hand to the person whose data was erased.

import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { EXIT } from "../errors";
import { checkId, connect, type Lang, langOption, printJson, when } from "../organiser/common";
import { erasedByText, reasonText, renderReceipt } from "../organiser/erasure";
import { t } from "../texts";

export const erasuresCommand: CommandModule = {
  name: "erasures",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("erasures")
      .description("list the erasure receipts, or show the receipt of one credential's erasure")
      .argument("[credentialId]", "show this credential's receipt in full")
      .option("--json", "print the receipts as JSON")
      .addOption(langOption(io))
      .action(async (id: string | undefined, flags: { json?: boolean; lang: Lang }) => {
        const { lang } = flags;
        const client = await connect(io, lang);
        if (id !== undefined) {
          const receipt = await client.erasure(checkId(lang, "credentialId", id));
          if (flags.json) printJson(io, receipt);
          else io.stdout(renderReceipt(lang, receipt));
          return context.setExitCode(EXIT.ok);
        }
        const receipts = await client.erasures();
        if (flags.json) printJson(io, receipts);
        else if (receipts.length === 0) io.stdout(t(lang, "erasures.none"));
        else
          for (const r of receipts)
            io.stdout(
              `${when(lang, r.erasedAt)}  ${r.id}  ${r.credentialId}  ${reasonText(lang, r.reason)}  ${erasedByText(lang, r.erasedBy)}\n`,
            );
        context.setExitCode(EXIT.ok);
      });
  },
};
