// What governance looks at: every organisation in the registry with its status, admin, profile versions, a
// pending profile change and its signing keys with their windows. Read at one block.

import { intygRegistryAbi } from "@intyg/registry";
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

const STATUS = ["none", "active", "suspended"] as const;

/** Every organisation of the registry, read at the latest block. */
export async function readRegistryView(parameters: {
  rpcUrl: string;
  registry: Address;
}): Promise<RegistryView> {
  const client = createPublicClient({ transport: http(parameters.rpcUrl) });
  const blockNumber = await client.getBlockNumber();
  const at = { address: parameters.registry, abi: intygRegistryAbi, blockNumber } as const;
  const [chainId, count] = await Promise.all([
    client.getChainId(),
    client.readContract({ ...at, functionName: "organisationCount" }),
  ]);
  const organisations: OrganisationView[] = [];
  for (let id = 1; id <= count; id++) {
    const [organisation, pending, profiles, keys] = await Promise.all([
      client.readContract({ ...at, functionName: "organisation", args: [id] }),
      client.readContract({ ...at, functionName: "pendingOrganisationProfile", args: [id] }),
      client.readContract({ ...at, functionName: "organisationProfiles", args: [id] }),
      client.readContract({ ...at, functionName: "organisationKeys", args: [id] }),
    ]);
    const keyViews = await Promise.all(
      keys.map(async (key) => {
        const k = await client.readContract({ ...at, functionName: "signingKey", args: [key] });
        return { address: key, validFrom: k.validFrom, validUntil: k.validUntil, suspended: k.suspended };
      }),
    );
    organisations.push({
      organisationId: id,
      status: STATUS[organisation.status] === "suspended" ? "suspended" : "active",
      admin: organisation.admin,
      profileHash: organisation.profileHash,
      organisationNumberHash: organisation.organisationNumberHash,
      eventCount: organisation.eventCount,
      ...(organisation.suspendedAt ? { suspendedAt: organisation.suspendedAt } : {}),
      ...(pending !== zeroHash ? { pendingProfileHash: pending } : {}),
      profiles: profiles.map((p) => ({ profileHash: p.profileHash, since: p.since })),
      keys: keyViews,
    });
  }
  return { chainId, registry: parameters.registry, blockNumber, organisations };
}
