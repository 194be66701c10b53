import { organisationProfileHash } from "@intyg/credential";
import { intygRegistryAbi, readOrganisation } from "@intyg/registry";
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { OrganisationProfile } from "../format";

/**
 * Puts the hash of `profile` (bound to the organisation's id) forward as the organisation's on-chain profile:
 * nothing to do when it is in force already; otherwise the organisation's admin proposes it, and it takes effect
 * only when governance approves it — here too when `governorKey` is given (a local chain, tests). Credentials
 * carry the profile in full; verifiers compare it with the hash in force when they were issued.
 */
export async function publishProfileHash(parameters: {
  rpcUrl: string;
  registry: Address;
  organisationId: number;
  adminKey: Hex;
  /** Governance's key, to approve the proposal at once (local chains and tests only). */
  governorKey?: Hex;
  profile: OrganisationProfile;
}): Promise<Hex> {
  const transport = http(parameters.rpcUrl);
  const chainId = await createPublicClient({ transport }).getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport });
  const hash = organisationProfileHash(parameters.profile, parameters.organisationId);
  const current = await readOrganisation(publicClient, {
    address: parameters.registry,
    organisationId: parameters.organisationId,
  });
  if (current.profileHash.toLowerCase() === hash.toLowerCase()) return hash;
  const send = async (
    key: Hex,
    functionName: "proposeOrganisationProfile" | "approveOrganisationProfile",
  ) => {
    const wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(key) });
    const tx = await wallet.writeContract({
      address: parameters.registry,
      abi: intygRegistryAbi,
      functionName,
      args: [parameters.organisationId, hash],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  };
  await send(parameters.adminKey, "proposeOrganisationProfile");
  if (parameters.governorKey) await send(parameters.governorKey, "approveOrganisationProfile");
  return hash;
}
