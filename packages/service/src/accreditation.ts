// What the registry says of an organisation the service is about to serve: accredited, active, and registered
// with the profile the service will put in its credentials. Bootstrap refuses an organisation that is not, and
// says which `intyg governance …` command fixes it.

import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import {
  intygRegistryAbi,
  ORGANISATION_STATUS,
  type OrganisationState,
  readOrganisation,
} from "@intyg/registry";
import { type Address, type Client, createPublicClient, type Hex, http, zeroHash } from "viem";
import { readContract } from "viem/actions";
import { DEFAULT_RPC_CONFIG } from "./config";
import { ServiceError } from "./errors";
import type { OrganisationProfile } from "./format";

/** Where the registry is: a node and the registry's address (the service's INTYG_RPC_URL and INTYG_REGISTRY). */
export type RegistrySource = {
  rpcUrl: string;
  registry: Address;
  /** The most one JSON-RPC request may take, ms (default the service's INTYG_RPC_TIMEOUT_MS default). */
  timeoutMs?: number;
};

/** A read-only client of the node, bounded like the service's own. */
export function registryClient(source: RegistrySource): Client {
  return createPublicClient({
    transport: http(source.rpcUrl, {
      timeout: source.timeoutMs ?? DEFAULT_RPC_CONFIG.timeoutMs,
      retryCount: DEFAULT_RPC_CONFIG.retryCount,
    }),
  });
}

/** One organisation as the registry has it, with its pending profile change; null when it does not exist. */
export type RegisteredOrganisation = OrganisationState & {
  organisationId: number;
  /** The profile hash its admin proposed and governance has yet to approve (absent when none). */
  pendingProfileHash?: Hex;
};

/** Reads organisation `organisationId` (its state and any pending profile change) at one block. */
export async function readRegisteredOrganisation(
  client: Client,
  registry: Address,
  organisationId: number,
  blockNumber?: bigint,
): Promise<RegisteredOrganisation | null> {
  const at = { address: registry, blockNumber } as const;
  const [state, pending] = await Promise.all([
    readOrganisation(client, { ...at, organisationId }),
    readContract(client, {
      ...at,
      abi: intygRegistryAbi,
      functionName: "pendingOrganisationProfile",
      args: [organisationId],
    }),
  ]);
  if (state.status === ORGANISATION_STATUS.none) return null;
  return { ...state, organisationId, ...(pending !== zeroHash ? { pendingProfileHash: pending } : {}) };
}

/** A command line argument, quoted for a POSIX shell when it needs it. */
export function shellArgument(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line: each word quoted as needed, but a placeholder (`<admin address>`) left for the reader. */
const command = (words: string[]) =>
  words.map((word) => (/^<[a-z ]+>$/.test(word) ? word : shellArgument(word))).join(" ");

/** The `intyg governance accredit` command line for a profile (the RPC URL is left out: it may hold a key). */
export function accreditCommand(p: {
  registry: Address;
  admin?: Address;
  profile: OrganisationProfile;
}): string {
  return command([
    "intyg",
    "governance",
    "accredit",
    "--registry",
    p.registry,
    "--admin",
    p.admin ?? "<admin address>",
    "--name",
    p.profile.name,
    "--legal-name",
    p.profile.legalName,
    "--organisation-number",
    p.profile.organisationNumber,
    "--url",
    p.profile.url,
    "--send",
  ]);
}

/**
 * Checks that organisation `organisationId` is accredited and active in the registry with `profile`'s hash in
 * force; throws a ServiceError (`bootstrap.*`) that says what is wrong and which governance command fixes it.
 */
export async function requireAccreditation(
  source: RegistrySource & { client?: Client },
  organisationId: number,
  profile: OrganisationProfile,
): Promise<RegisteredOrganisation> {
  const client = source.client ?? registryClient(source);
  const { registry } = source;
  const found = await readRegisteredOrganisation(client, registry, organisationId);
  if (!found) {
    const count = await readContract(client, {
      address: registry,
      abi: intygRegistryAbi,
      functionName: "organisationCount",
    });
    throw new ServiceError("bootstrap.not-accredited", {
      id: organisationId,
      registry,
      count,
      fix: accreditCommand({ registry, profile }),
    });
  }
  if (found.status !== ORGANISATION_STATUS.active) {
    throw new ServiceError("bootstrap.suspended", {
      id: organisationId,
      fix: command([
        "intyg",
        "governance",
        "reinstate",
        String(organisationId),
        "--registry",
        registry,
        "--send",
      ]),
    });
  }
  const expected = organisationProfileHash(profile, organisationId);
  if (found.profileHash.toLowerCase() === expected.toLowerCase()) return found;
  const approve = (hash: Hex) =>
    command([
      "intyg",
      "governance",
      "approve-profile",
      String(organisationId),
      "--registry",
      registry,
      "--profile-hash",
      hash,
      "--send",
    ]);
  if (found.pendingProfileHash?.toLowerCase() === expected.toLowerCase()) {
    throw new ServiceError("bootstrap.profile-pending", { id: organisationId, fix: approve(expected) });
  }
  throw new ServiceError("bootstrap.profile-differs", {
    id: organisationId,
    expected,
    registered: found.profileHash,
    numberDiffers:
      found.organisationNumberHash.toLowerCase() !==
      organisationNumberHash(profile.organisationNumber).toLowerCase()
        ? 1
        : undefined,
    fix: `its admin proposes ${expected} with proposeOrganisationProfile(${organisationId}, ${expected}), then ${approve(expected)}`,
  });
}
