// Bootstrap: an organisation and its first (admin) API key, once governance has accredited it in the registry
// with the same profile (checked here, not assumed).

import { organisationNumberSchema } from "@intyg/credential";
import { z } from "zod";
import { type RegistrySource, requireAccreditation } from "./accreditation";
import { ValidationError } from "./errors";
import type { OrganisationProfile } from "./format";
import { zodIssues } from "./http/problem";
import type { Store } from "./store/store";
import type { ApiKey, Organisation } from "./store/types";

export const BootstrapInputSchema = z.strictObject({
  profile: z.strictObject({
    name: z.string().min(1).max(300),
    legalName: z.string().min(1).max(300),
    organisationNumber: organisationNumberSchema,
    url: z.url({ protocol: /^https$/ }).max(2000),
  }),
  /** The organisation's id in the registry (accredited by governance). */
  chainOrganisationId: z
    .number()
    .int()
    .min(1)
    .max(2 ** 32 - 1),
  keyName: z.string().min(1).max(100).default("bootstrap"),
  /** Use this key instead of a random one (e.g. INTYG_API_KEY in development). */
  apiKey: z.string().min(32).max(200).optional(),
  /** Reuse an organisation with the same chain id when there is one (idempotent dev start). */
  reuse: z.boolean().default(false),
});

export type BootstrapInput = z.input<typeof BootstrapInputSchema>;

export type BootstrapResult = {
  organisation: Organisation;
  apiKey: ApiKey;
  /** The key itself: shown once. */
  secret: string;
  created: boolean;
};

/**
 * Checks that the registry at `registry` has the organisation accredited, active and with this profile's hash in
 * force (a `bootstrap.*` ServiceError naming the governance command that fixes it otherwise), then creates (or
 * with `reuse`, finds) the organisation and gives it an admin API key.
 */
export async function bootstrap(
  store: Store,
  input: BootstrapInput,
  registry: RegistrySource,
): Promise<BootstrapResult> {
  const parsed = BootstrapInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError("bootstrap.invalid", zodIssues(parsed.error));
  const { profile, chainOrganisationId, keyName, apiKey, reuse } = parsed.data;
  await requireAccreditation(registry, chainOrganisationId, profile);
  let organisation = reuse ? await store.organisations.findByChainId(chainOrganisationId) : null;
  const created = organisation === null;
  organisation ??= await store.organisations.create({
    name: profile.name,
    chainOrganisationId,
    profile: profile satisfies OrganisationProfile,
  });
  if (apiKey) {
    const key = await store.apiKeys.import(organisation.id, keyName, apiKey, "admin");
    return { organisation, apiKey: key, secret: apiKey, created };
  }
  const { apiKey: key, secret } = await store.apiKeys.create(organisation.id, keyName, "admin");
  return { organisation, apiKey: key, secret, created };
}
