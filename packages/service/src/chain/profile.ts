import { organisationProfileHash } from "@intyg/credential";
import { intygRegistryAbi } from "@intyg/registry";
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { OrganisationProfile } from "../format";

/**
 * Sets an organisation's on-chain profile hash to the hash of `profile` (the organisation's admin or governance
 * sends it). Credentials carry the profile in full; verifiers compare it with this hash.
 */
export async function publishProfileHash(parameters: {
  rpcUrl: string;
  registry: Address;
  organisationId: number;
  adminKey: Hex;
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
  const wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(parameters.adminKey) });
  const hash = organisationProfileHash(parameters.profile);
  const tx = await wallet.writeContract({
    address: parameters.registry,
    abi: intygRegistryAbi,
    functionName: "updateOrganisationProfile",
    args: [parameters.organisationId, hash],
  });
  const receipt = await createPublicClient({ chain, transport }).waitForTransactionReceipt({ hash: tx });
  if (receipt.status !== "success") throw new Error("updateOrganisationProfile reverted");
  return hash;
}
