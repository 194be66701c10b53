// How many credentials one organisation may issue in a period: every issuance through the API (single, bulk,
// import, re-issue, VC-API) is charged in the transaction that records it (last, see below), so what is refused leaves nothing
// behind, and every replica on the database counts into one window (table `rate_limits`). A bulk request that
// becomes a job is charged when it is accepted, for all its attendees. This bounds how much chain work one
// organisation can queue for a worker that serves many.

import type { OrganisationLimitsConfig } from "../config";
import { ServiceError } from "../errors";
import type { IssuanceCommit } from "../store/repositories/issuance";
import type { Store } from "../store/store";

/** The organisation's credential window in `rate_limits`. */
export const credentialQuotaKey = (organisationId: string) => `credentials:${organisationId}`;

/** How many credentials a commit issues: those it writes, and a job's attendees. */
function amountOf(input: IssuanceCommit): number {
  const attendees = (input.job?.input as { attendees?: unknown } | undefined)?.attendees;
  return input.credentials.length + (Array.isArray(attendees) ? attendees.length : 0);
}

const periodText = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;

/** `store` whose issuance commits are charged to the organisation's credential quota. */
export function withCredentialQuota(store: Store, limits: OrganisationLimitsConfig): Store {
  const { credentials: limit, credentialWindowMs: windowMs } = limits;
  const window = periodText(windowMs);
  const issuance: Store["issuance"] = {
    ...store.issuance,
    commit(input) {
      const amount = amountOf(input);
      if (amount === 0) return store.issuance.commit(input);
      if (amount > limit)
        throw new ServiceError("request.credential-quota-too-large", { amount, limit, window });
      const t = store.clock.now().getTime();
      const start = t - (t % windowMs);
      // Charged last in the transaction: every issuance of the organisation updates the same row, whose lock is
      // held from the charge until the commit (charged first, concurrent single issuances queued behind each
      // other's whole transaction). A refusal still rolls back everything the transaction wrote.
      const after = async (tx: Parameters<NonNullable<IssuanceCommit["after"]>>[0]) => {
        await input.after?.(tx);
        const key = credentialQuotaKey(input.organisationId);
        const count = await store.rateLimits.charge(tx, key, amount, limit, {
          start: new Date(start),
          end: new Date(start + windowMs),
        });
        if (count === null) {
          const [row] = await tx.query<{ count: number }>(
            "SELECT count FROM rate_limits WHERE api_key_id = $1 AND window_start = $2",
            [key, new Date(start)],
          );
          throw new ServiceError(
            "request.credential-quota",
            { amount, limit, window, used: Number(row?.count ?? 0) },
            { extensions: { retryAfter: Math.max(1, Math.ceil((start + windowMs - t) / 1000)) } },
          );
        }
      };
      return store.issuance.commit({ ...input, after });
    },
  };
  return { ...store, issuance };
}
