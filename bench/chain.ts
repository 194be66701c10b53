// A real chain for the benchmarks: `hardhat node` on loopback (packages/devchain), the registry deployed, one
// organisation accredited with the hash of its profile (so that issued credentials verify), the signing key
// authorised. Dev accounts: #0 governor, #1 organisation admin, #2 signing key, #3 relayer.

import {
  buildAttendanceCredential,
  eventMetadataHash,
  luhnCheckDigit,
  type UnsignedCredential,
} from "@intyg/credential";
import {
  DEV_PRIVATE_KEYS,
  type DevChain,
  deployRegistry,
  localChain,
  seedOrganisation,
  startDevChain,
} from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { type Address, createPublicClient, createWalletClient, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const PROFILE = {
  name: "Region Exempel",
  legalName: "Region Exempel",
  organisationNumber: `232100-001${luhnCheckDigit("232100001")}`,
  url: "https://region.example.se",
};

export const account = (index: number) => privateKeyToAccount(DEV_PRIVATE_KEYS[index]!);

export type BenchChain = {
  chain: DevChain;
  rpcUrl: string;
  chainId: number;
  registry: Address;
  organisationId: number;
  publicClient: PublicClient;
  /** Sends a registry transaction from dev account `index`, waits for its receipt and gives its gas used. */
  write(index: number, functionName: string, args: readonly unknown[]): Promise<bigint>;
  stop(): Promise<void>;
};

export async function startBenchChain(): Promise<BenchChain> {
  const chain = await startDevChain();
  try {
    const { rpcUrl, chainId } = chain;
    const viemChain = localChain(rpcUrl, chainId);
    const publicClient = createPublicClient({
      chain: viemChain,
      transport: http(rpcUrl),
      pollingInterval: 20,
    }) as PublicClient;
    const registry = await deployRegistry({ rpcUrl, governorKey: DEV_PRIVATE_KEYS[0] });
    const write = async (index: number, functionName: string, args: readonly unknown[]) => {
      const wallet = createWalletClient({
        chain: viemChain,
        transport: http(rpcUrl),
        account: account(index),
      });
      const hash = await wallet.writeContract({
        address: registry,
        abi: intygRegistryAbi,
        functionName: functionName as never,
        args: args as never,
        chain: viemChain,
        account: account(index),
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
      return receipt.gasUsed;
    };
    // Accredits the organisation (profile hash bound to its id, organisation number hash) and authorises key 2
    // with the key's consent.
    const organisationId = await seedOrganisation({
      rpcUrl,
      registry,
      governorKey: DEV_PRIVATE_KEYS[0]!,
      adminKey: DEV_PRIVATE_KEYS[1]!,
      signingKey: DEV_PRIVATE_KEYS[2]!,
      profile: PROFILE,
    });
    return {
      chain,
      rpcUrl,
      chainId,
      registry,
      organisationId,
      publicClient,
      write,
      stop: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** The conference every benchmark issues for (Offentliga Rummet: a networking day, seminars and a hackathon). */
export const CONFERENCE = {
  name: "Offentliga Rummet 2026",
  description: "Den offentliga sektorns största mötesplats för digitalisering",
  startDate: "2026-05-12",
  endDate: "2026-05-14",
  location: "Svenska Mässan, Göteborg",
  parts: [
    { id: "natverk", name: "Nätverksdag", kind: "networking" as const, date: "2026-05-12" },
    { id: "hackathon", name: "Hackathon: tillförlitliga data i vård och skola", kind: "hackathon" as const },
  ],
};

/** Attendee `i` of the conference (synthetic). */
export function attendeeSubject(i: number) {
  return {
    name: `Deltagare ${i}`,
    email: `deltagare${i}@example.se`,
    organisation: "Exempels kommun",
    role: "participant" as const,
    partsAttended: ["natverk", "hackathon"],
  };
}

export type BenchEvent = { chain: BenchChain; eventId: bigint; unsigned(i: number): UnsignedCredential };

/** Creates the conference on chain (with its metadata hash, so that credentials verify) and builds its credentials. */
export async function createBenchEvent(chain: BenchChain): Promise<BenchEvent> {
  const unsignedFor = (eventId: bigint, i: number) =>
    buildAttendanceCredential({
      chainId: chain.chainId,
      registry: chain.registry,
      eventId,
      issuer: { organisationId: chain.organisationId, ...PROFILE },
      subject: attendeeSubject(i),
      event: CONFERENCE,
    });
  // An event's metadata hash leaves out its id, which the registry assigns.
  const hash = eventMetadataHash(unsignedFor(1n, 0).credentialSubject.achievement);
  await chain.write(1, "createEvent", [chain.organisationId, 0n, 1, hash]);
  const eventId = (BigInt(chain.organisationId) << 32n) | 1n;
  return { chain, eventId, unsigned: (i) => unsignedFor(eventId, i) };
}
