// Key steps a crash cut short: an authorisation recorded as being sent is reconciled with the registry (and
// sent again if it never arrived), so a key is never left half authorised.

import { settleKeys } from "../keys/lifecycle";
import type { TickSummary, WorkContext } from "./types";

export async function runKeySteps(ctx: WorkContext, summary: TickSummary, organisationId: string) {
  const { keys } = ctx.deps;
  if (!keys?.keyring) return;
  await ctx.attempt("registration", `keys:${organisationId}`, summary, async () => {
    const settled = await settleKeys({ ...ctx.deps, keys }, organisationId);
    if (settled > 0) ctx.log.info({ settled, organisation: organisationId }, "key authorisations settled");
  });
}
