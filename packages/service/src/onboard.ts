// Onboarding, the service operator's side: a new organisation's profile and admin become what governance must
// approve — the accreditation as a call, as a Safe Transaction Builder batch and as the equivalent
// `intyg governance accredit` command line — and, once governance has acted, the bootstrap that gives the
// organisation's admin its first API key.

import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import {
  accreditCall,
  type GovernanceCall,
  intygRegistryAbi,
  type SafeBatch,
  safeBatch,
} from "@intyg/registry";
import { type Address, type Client, getAddress, type Hex, isAddress } from "viem";
import { getChainId, readContract } from "viem/actions";
import { z } from "zod";
import { accreditCommand, type RegistrySource, registryClient, shellArgument } from "./accreditation";
import { BootstrapInputSchema } from "./bootstrap";
import { ServiceError, ValidationError } from "./errors";
import type { OrganisationProfile } from "./format";
import { zodIssues } from "./http/problem";

export const OnboardInputSchema = z.strictObject({
  profile: BootstrapInputSchema.shape.profile,
  /** The organisation's admin account in the registry (creates its events, authorises its keys). */
  admin: z
    .string()
    .refine(
      (value) => isAddress(value, { strict: false }),
      "must be an Ethereum address (0x and 40 hex digits)",
    )
    .transform((value) => getAddress(value)),
  /** The multisig that will execute the batch, when known. */
  safe: z
    .string()
    .refine(
      (value) => isAddress(value, { strict: false }),
      "must be an Ethereum address (0x and 40 hex digits)",
    )
    .transform((value) => getAddress(value))
    .optional(),
});

export type OnboardInput = z.input<typeof OnboardInputSchema>;

/** What governance must approve for one organisation, and what follows. */
export type Onboarding = {
  chainId: number;
  registry: Address;
  /** The id the organisation gets if governance accredits nobody else first (the profile hash names it). */
  organisationId: number;
  profile: OrganisationProfile;
  admin: Address;
  profileHash: Hex;
  organisationNumberHash: Hex;
  call: GovernanceCall;
  /** The accreditation as a Safe{Wallet} Transaction Builder batch. */
  batch: SafeBatch;
  /** The same accreditation sent with a governance key. */
  command: string;
  /** Once governance has acted: the organisation and its admin's first API key in the service's database. */
  bootstrapCommand: string;
};

/**
 * Validates the new organisation's profile and admin against the registry (its organisation number must not be
 * accredited already) and prepares its accreditation for governance.
 */
export async function prepareOnboarding(
  source: RegistrySource & { client?: Client },
  input: OnboardInput,
  now: Date = new Date(),
): Promise<Onboarding> {
  const parsed = OnboardInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError("onboard.invalid", zodIssues(parsed.error));
  const { profile, admin, safe } = parsed.data;
  const client = source.client ?? registryClient(source);
  const { registry } = source;
  const numberHash = organisationNumberHash(profile.organisationNumber);
  const [chainId, taken, count] = await Promise.all([
    getChainId(client),
    readContract(client, {
      address: registry,
      abi: intygRegistryAbi,
      functionName: "organisationByNumber",
      args: [numberHash],
    }),
    readContract(client, { address: registry, abi: intygRegistryAbi, functionName: "organisationCount" }),
  ]);
  if (taken !== 0)
    throw new ServiceError("onboard.number-taken", { number: profile.organisationNumber, id: taken });
  // Ids are sequential: the profile hash names the next one, as `intyg governance accredit` computes it.
  const organisationId = count + 1;
  const profileHash = organisationProfileHash(profile, organisationId);
  const call = accreditCall(registry, {
    admin,
    profileHash,
    organisationNumberHash: numberHash,
    summary: `Accredit ${profile.name} (org.nr ${profile.organisationNumber}) as organisation ${organisationId} with admin ${admin}`,
  });
  const batch = safeBatch({
    chainId,
    calls: [call],
    name: `Intyg: accredit ${profile.name}`,
    now,
    ...(safe ? { safe } : {}),
  });
  const bootstrapCommand = [
    "pnpm --filter @intyg/service bootstrap --",
    ...[
      ["--name", profile.name],
      ["--legal-name", profile.legalName],
      ["--organisation-number", profile.organisationNumber],
      ["--url", profile.url],
      ["--chain-organisation-id", String(organisationId)],
    ].map(([flag, value]) => `${flag} ${shellArgument(value!)}`),
  ].join(" ");
  return {
    chainId,
    registry,
    organisationId,
    profile,
    admin,
    profileHash,
    organisationNumberHash: numberHash,
    call,
    batch,
    command: accreditCommand({ registry, admin, profile }),
    bootstrapCommand,
  };
}
