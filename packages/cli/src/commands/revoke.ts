// `intyg revoke <credentialId> --reason R`: revokes a credential; the reason code is recorded on chain.

import { REVOCATION_REASONS } from "@intyg/registry";
import { type Command, Option } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import type { CredentialResource } from "../organiser/api";
import {
  checkId,
  confirm,
  connect,
  credentialStatusLabel,
  type Lang,
  langOption,
  printJson,
  statusModelLabel,
} from "../organiser/common";
import { t } from "../texts";

/** The reason names the registry knows (each recorded on chain as its code). */
const REASONS = Object.keys(REVOCATION_REASONS);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const revokeCommand: CommandModule = {
  name: "revoke",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    program
      .command("revoke")
      .description("revoke a credential with a reason (recorded on chain as a code; no personal data)")
      .argument("<credentialId>", "the credential's id")
      .addOption(new Option("--reason <reason>", "why it is revoked").choices(REASONS).makeOptionMandatory())
      .option("--wait", "wait until the revocation is confirmed on chain")
      .option("--yes", "do not ask for confirmation")
      .option("--json", "print the credential as JSON")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        "\nReasons: issuedInError (issued by mistake, e.g. to someone who did not attend), superseded (replaced\n" +
          "by a corrected credential — `reissue` in the API does this for you), withdrawn (e.g. a course result\n" +
          "was withdrawn), keyCompromise (the signing key leaked), fraud, other.\n" +
          "A credential not yet anchored is cancelled at once; an anchored one is revoked on chain by the service,\n" +
          "after which every verifier reports it as revoked. A revocation cannot be undone.\n" +
          "Shows the holder's name and asks for confirmation (--yes: do not ask).\n" +
          "\nExample:\n  intyg revoke 9b2c… --reason issuedInError --wait\n",
      )
      .action(
        async (
          id: string,
          flags: { reason: string; wait?: boolean; json?: boolean; yes?: boolean; lang: Lang },
        ) => {
          const { lang } = flags;
          const client = await connect(io, lang);
          const current = await client.credential(checkId(lang, "credentialId", id));
          const who = current.attendee?.name ?? t(lang, "revoke.no-name");
          await confirm(
            io,
            lang,
            t(lang, "revoke.confirm", {
              who,
              id: current.id,
              value: statusModelLabel(lang, current),
              reason: flags.reason,
            }),
            flags.yes,
          );
          let credential = await client.revoke(current.id, flags.reason);
          if (flags.wait) {
            const deadline = Date.now() + 300_000;
            while (credential.revocation?.status === "requested") {
              if (Date.now() > deadline) {
                throw new CliError(t(lang, "revoke.timed-out"), EXIT.failure);
              }
              await sleep(300);
              credential = await client.credential(credential.id);
            }
            if (credential.revocation?.status === "failed") {
              throw new CliError(t(lang, "revoke.failed"), EXIT.failure);
            }
          }
          if (flags.json) printJson(io, withoutDocument(credential));
          else {
            io.stdout(`${credential.id}: ${credentialStatusLabel(lang, credential)}\n`);
            if (credential.revocation?.status === "requested") {
              io.stdout(t(lang, "revoke.requested"));
            }
          }
          context.setExitCode(EXIT.ok);
        },
      );
  },
};

export function withoutDocument(credential: CredentialResource): Omit<CredentialResource, "credential"> {
  const { credential: _document, ...rest } = credential;
  return rest;
}
