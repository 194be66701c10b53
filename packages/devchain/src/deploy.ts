import { organisationProfileHash } from "@intyg/credential";
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
  /** The off-chain profile whose hash (the credential format's `organisationProfileHash`) goes on chain. */
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

/** Accredits an organisation and authorises one signing key for it; returns the organisation id. */
export async function seedOrganisation(parameters: SeedOrganisationParameters): Promise<number> {
  const governor = await clients(parameters.rpcUrl, parameters.governorKey);
  const admin = await clients(parameters.rpcUrl, parameters.adminKey);
  const profileHash = organisationProfileHash(parameters.profile);
  const accredit = await governor.walletClient.writeContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "accreditOrganisation",
    args: [admin.walletClient.account.address, profileHash],
  });
  await governor.publicClient.waitForTransactionReceipt({ hash: accredit });
  const organisationId = await governor.publicClient.readContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "organisationCount",
  });
  const authorise = await admin.walletClient.writeContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "authoriseKey",
    args: [organisationId, privateKeyToAccount(parameters.signingKey).address, 0, 0],
  });
  await admin.publicClient.waitForTransactionReceipt({ hash: authorise });
  return organisationId;
}
