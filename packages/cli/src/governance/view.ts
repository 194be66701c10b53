// What governance looks at: every organisation in the registry with its status, admin, profile versions, a
// pending profile change and its signing keys with their windows. Read at one block.

import {
  intygRegistryAbi,
  ORGANISATION_STATUS,
  readOrganisation,
  readProfileHistory,
  readSigningKey,
} from "@intyg/registry";
import { type Address, createPublicClient, type Hex, http, zeroHash } from "viem";

export type OrganisationKeyView = {
  address: Address;
  validFrom: number;
  /** 0 when the key has no end. */
  validUntil: number;
  suspended: boolean;
};

export type OrganisationView = {
  organisationId: number;
  status: "active" | "suspended";
  admin: Address;
  profileHash: Hex;
  organisationNumberHash: Hex;
  eventCount: number;
  suspendedAt?: number;
  pendingProfileHash?: Hex;
  profiles: { profileHash: Hex; since: number }[];
  keys: OrganisationKeyView[];
};

export type RegistryView = {
  chainId: number;
  registry: Address;
  blockNumber: bigint;
  organisations: OrganisationView[];
};

/** Every organisation of the registry, read at the latest block through the registry's own reader. */
export async function readGovernanceView(parameters: {
  rpcUrl: string;
  registry: Address;
}): Promise<RegistryView> {
  const client = createPublicClient({ transport: http(parameters.rpcUrl) });
  const blockNumber = await client.getBlockNumber();
  const address = parameters.registry;
  const at = { address, blockNumber } as const;
  const [chainId, count] = await Promise.all([
    client.getChainId(),
    client.readContract({ ...at, abi: intygRegistryAbi, functionName: "organisationCount" }),
  ]);
  const organisations: OrganisationView[] = [];
  for (let organisationId = 1; organisationId <= count; organisationId++) {
    const [organisation, pending, profiles, keys] = await Promise.all([
      readOrganisation(client, { ...at, organisationId }),
      client.readContract({
        ...at,
        abi: intygRegistryAbi,
        functionName: "pendingOrganisationProfile",
        args: [organisationId],
      }),
      readProfileHistory(client, { ...at, organisationId }),
      client.readContract({
        ...at,
        abi: intygRegistryAbi,
        functionName: "organisationKeys",
        args: [organisationId],
      }),
    ]);
    const keyViews = await Promise.all(
      keys.map(async (key) => {
        const k = await readSigningKey(client, { ...at, key });
        return { address: key, validFrom: k.validFrom, validUntil: k.validUntil, suspended: k.suspended };
      }),
    );
    organisations.push({
      organisationId,
      status: organisation.status === ORGANISATION_STATUS.suspended ? "suspended" : "active",
      admin: organisation.admin,
      profileHash: organisation.profileHash,
      organisationNumberHash: organisation.organisationNumberHash,
      eventCount: organisation.eventCount,
      ...(organisation.suspendedAt ? { suspendedAt: organisation.suspendedAt } : {}),
      ...(pending !== zeroHash ? { pendingProfileHash: pending } : {}),
      profiles,
      keys: keyViews,
    });
  }
  return { chainId, registry: address, blockNumber, organisations };
}
