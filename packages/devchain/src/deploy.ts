import {
  intygDomain,
  keyConsentTypes,
  organisationNumberHash,
  organisationProfileHash,
} from "@intyg/credential";
import { intygRegistryAbi, intygRegistryBytecode } from "@intyg/registry";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export type DeployRegistryParameters = {
  rpcUrl: string;
  /** Deploys and becomes governance (default admin and governor). */
  governorKey: Hex;
  /** AccessControlDefaultAdminRules delay, seconds. */
  adminDelay?: number;
};

export type SeedOrganisationParameters = {
  rpcUrl: string;
  registry: Address;
  governorKey: Hex;
  /** The organisation's admin (creates events, authorises keys). */
  adminKey: Hex;
  /** A signing key to authorise for the organisation, open-ended. */
  signingKey: Hex;
  /**
   * The off-chain profile whose hash (the credential format's `organisationProfileHash`, with the organisation's
   * id) and organisation number hash go on chain.
   */
  profile: { name: string; legalName: string; organisationNumber: string; url: string };
};

export function localChain(rpcUrl: string, chainId: number): Chain {
  return defineChain({
    id: chainId,
    name: "Intyg local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

async function clients(rpcUrl: string, key: Hex) {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const chain = localChain(rpcUrl, await probe.getChainId());
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const walletClient = createWalletClient({
    chain,
    transport: http(rpcUrl),
    account: privateKeyToAccount(key),
  });
  return { publicClient, walletClient };
}

/** Deploys the registry from the compiled bytecode and returns its address. */
export async function deployRegistry(parameters: DeployRegistryParameters): Promise<Address> {
  const { publicClient, walletClient } = await clients(parameters.rpcUrl, parameters.governorKey);
  const hash = await walletClient.deployContract({
    abi: intygRegistryAbi,
    bytecode: intygRegistryBytecode,
    args: [parameters.adminDelay ?? 0, walletClient.account.address],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress || receipt.status !== "success") throw new Error("registry deployment failed");
  return receipt.contractAddress;
}

/**
 * Accredits an organisation (its profile hash naming the id it receives, its organisation number hash) and
 * authorises one signing key for it, with the key's EIP-712 consent; returns the organisation id.
 */
export async function seedOrganisation(parameters: SeedOrganisationParameters): Promise<number> {
  const governor = await clients(parameters.rpcUrl, parameters.governorKey);
  const admin = await clients(parameters.rpcUrl, parameters.adminKey);
  // Ids are sequential: the next one is the count plus one (governance accredits one at a time).
  const expectedId =
    (await governor.publicClient.readContract({
      address: parameters.registry,
      abi: intygRegistryAbi,
      functionName: "organisationCount",
    })) + 1;
  const accredit = await governor.walletClient.writeContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "accreditOrganisation",
    args: [
      admin.walletClient.account.address,
      organisationProfileHash(parameters.profile, expectedId),
      organisationNumberHash(parameters.profile.organisationNumber),
    ],
  });
  await governor.publicClient.waitForTransactionReceipt({ hash: accredit });
  const organisationId = await governor.publicClient.readContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "organisationCount",
  });
  if (organisationId !== expectedId) throw new Error(`accredited as ${organisationId}, not ${expectedId}`);
  const key = privateKeyToAccount(parameters.signingKey);
  const consent = await key.signTypedData({
    domain: intygDomain(await governor.publicClient.getChainId(), parameters.registry),
    types: keyConsentTypes,
    primaryType: "KeyConsent",
    message: { organisationId, key: key.address, validFrom: 0, validUntil: 0 },
  });
  const authorise = await admin.walletClient.writeContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "authoriseKey",
    args: [organisationId, key.address, 0, 0, consent],
  });
  await admin.publicClient.waitForTransactionReceipt({ hash: authorise });
  return organisationId;
}
