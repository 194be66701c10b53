// The demo deployment every local bring-up starts from: a fresh registry with one accredited organisation whose
// profile hash is registered on accreditation and whose signing key (dev account #2) is authorised.

import type { Address, Hex } from "viem";
import { DEV_PRIVATE_KEYS, DEV_ROLES } from "./accounts";
import { deployRegistry, type SeedOrganisationParameters, seedOrganisation } from "./deploy";

/** An organisation's off-chain profile, as the registry hashes it. */
export type DemoProfile = SeedOrganisationParameters["profile"];

export const DEMO_ORGANISATION: DemoProfile = {
  name: "Offentliga Rummet (demo)",
  legalName: "Sveriges Kommuner och Regioner",
  organisationNumber: "222000-0315",
  url: "https://skr.se",
};

export type DemoDeployment = {
  rpcUrl: string;
  chainId: number;
  registry: Address;
  organisationId: number;
  profile: DemoProfile;
  /** Governance (dev account #0). */
  governorKey: Hex;
  /** The organisation's admin (dev account #1). */
  adminKey: Hex;
  /** The organisation's signing key (dev account #2), the service's signer. */
  signerKey: Hex;
  /** The relayer of signed requests (dev account #3). */
  relayerKey: Hex;
};

export type DeployDemoParameters = {
  /** A chain with the dev accounts funded (startDevChain). */
  chain: { rpcUrl: string; chainId: number };
  /** The organisation's profile (default {@link DEMO_ORGANISATION}). */
  profile?: DemoProfile;
};

/** Deploys a registry and accredits one organisation with its signing key authorised. */
export async function deployDemo(parameters: DeployDemoParameters): Promise<DemoDeployment> {
  const { rpcUrl, chainId } = parameters.chain;
  const profile = parameters.profile ?? DEMO_ORGANISATION;
  const governorKey = DEV_PRIVATE_KEYS[DEV_ROLES.governor];
  const adminKey = DEV_PRIVATE_KEYS[DEV_ROLES.organisationAdmin];
  const signerKey = DEV_PRIVATE_KEYS[DEV_ROLES.signingKey];
  const registry = await deployRegistry({ rpcUrl, governorKey });
  const organisationId = await seedOrganisation({
    rpcUrl,
    registry,
    governorKey,
    adminKey,
    signingKey: signerKey,
    profile,
  });
  return {
    rpcUrl,
    chainId,
    registry,
    organisationId,
    profile,
    governorKey,
    adminKey,
    signerKey,
    relayerKey: DEV_PRIVATE_KEYS[DEV_ROLES.relayer],
  };
}
