import { type DevChain, deployDemo, startDevChain } from "@intyg/devchain";
import type { Address, Hex } from "viem";

/** The test organisation's off-chain profile; its hash is registered on chain by deployFresh. */
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
  const { rpcUrl, chainId, registry, signerKey, organisationId } = await deployDemo({
    chain: await devChain(),
    profile: DEMO_PROFILE,
  });
  return { rpcUrl, chainId, registry, signerKey, organisationId };
}
