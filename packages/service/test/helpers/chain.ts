import {
  DEV_PRIVATE_KEYS,
  type DevChain,
  deployRegistry,
  seedOrganisation,
  startDevChain,
} from "@intyg/devchain";
import type { Address, Hex } from "viem";
import { publishProfileHash } from "../../src/chain/profile";

/** The test organisation's off-chain profile; its hash is published on chain by deployFresh. */
export const DEMO_PROFILE = {
  name: "Offentliga Rummet",
  legalName: "Sveriges Kommuner och Regioner",
  organisationNumber: "222000-0315",
  url: "https://skr.se",
};

let shared: Promise<DevChain> | undefined;

/** One hardhat node for the whole test run (stopped by the root hook in test/setup.ts). */
export function devChain(): Promise<DevChain> {
  shared ??= startDevChain();
  return shared;
}

export async function stopDevChain(): Promise<void> {
  if (shared) await (await shared).stop();
  shared = undefined;
}

export type Deployment = {
  rpcUrl: string;
  chainId: number;
  registry: Address;
  /** The organisation's signing key (the service's signer). */
  signerKey: Hex;
  organisationId: number;
};

/** A fresh registry with one accredited organisation whose signing key is dev account #2. */
export async function deployFresh(): Promise<Deployment> {
  const chain = await devChain();
  const registry = await deployRegistry({ rpcUrl: chain.rpcUrl, governorKey: DEV_PRIVATE_KEYS[0] });
  const organisationId = await seedOrganisation({
    rpcUrl: chain.rpcUrl,
    registry,
    governorKey: DEV_PRIVATE_KEYS[0],
    adminKey: DEV_PRIVATE_KEYS[1],
    signingKey: DEV_PRIVATE_KEYS[2],
    profile: DEMO_PROFILE,
  });
  await publishProfileHash({
    rpcUrl: chain.rpcUrl,
    registry,
    organisationId,
    adminKey: DEV_PRIVATE_KEYS[1],
    profile: DEMO_PROFILE,
  });
  return {
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    registry,
    signerKey: DEV_PRIVATE_KEYS[2],
    organisationId,
  };
}
