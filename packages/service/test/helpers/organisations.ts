// Another organisation accredited on the test registry by its governor (dev account #0), with an admin key
// generated here: for tests of several organisations, each sending from its own keys.

import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "./chain";

export type OrganisationProfile = { name: string; organisationNumber: string };

export type Accredited = {
  chainOrganisationId: number;
  profile: OrganisationProfile & { legalName: string; url: string };
  /** The organisation's admin key (to import into the service). */
  adminKey: Hex;
};

export async function accreditOrganisation(
  deployment: Pick<Deployment, "rpcUrl" | "chainId" | "registry">,
  profile: OrganisationProfile,
): Promise<Accredited> {
  const chain = {
    id: deployment.chainId,
    name: "local",
    nativeCurrency: { name: "E", symbol: "E", decimals: 18 },
    rpcUrls: { default: { http: [deployment.rpcUrl] } },
  } as const;
  const publicClient = createPublicClient({ chain, transport: http(deployment.rpcUrl) });
  const governor = createWalletClient({
    chain,
    transport: http(deployment.rpcUrl),
    account: privateKeyToAccount(DEV_PRIVATE_KEYS[0]),
  });
  const adminKey = generatePrivateKey();
  const next =
    (await publicClient.readContract({
      address: deployment.registry,
      abi: intygRegistryAbi,
      functionName: "organisationCount",
    })) + 1;
  const full = { ...profile, legalName: profile.name, url: "https://example.se" };
  const hash = await governor.writeContract({
    address: deployment.registry,
    abi: intygRegistryAbi,
    functionName: "accreditOrganisation",
    args: [
      privateKeyToAccount(adminKey).address,
      organisationProfileHash(full, next),
      organisationNumberHash(profile.organisationNumber),
    ],
  });
  await publicClient.waitForTransactionReceipt({ hash });
  return { chainOrganisationId: next, profile: full, adminKey };
}
