// A real chain for the tests: hardhat node, the registry deployed, an organisation accredited with the hash of
// its profile, a signing key, an event and a course; helpers that build, sign and anchor credentials the way
// the issuer service does. Accounts: #0 governor, #1 organisation admin, #2 signing key, #3 relayer.

import {
  buildAttendanceCredential,
  buildBatch,
  buildCourseCredential,
  type Credential,
  eventMetadataHash,
  intygDomain,
  keyConsentTypes,
  luhnCheckDigit,
  organisationProfileHash,
  signBatch,
  signCredential,
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
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const PROFILE = {
  organisationId: 1,
  name: "Region Exempel",
  legalName: "Region Exempel",
  organisationNumber: `232100-001${luhnCheckDigit("232100001")}`,
  url: "https://region.example.se",
};

export const EVENT = {
  name: "Offentliga Rummet 2026",
  startDate: "2026-05-12",
  endDate: "2026-05-14",
  location: "Göteborg",
  parts: [
    { id: "networking", name: "Nätverksdag", kind: "networking" as const, date: "2026-05-12" },
    { id: "hackathon", name: "Hackathon: tillförlitliga data i vård och skola", kind: "hackathon" as const },
  ],
};

export const COURSE = {
  name: "Informationssäkerhet för förtroendevalda",
  hours: 8,
  credits: 1.5,
  learningOutcomes: ["Känner till grunderna i informationssäkerhet"],
};

export type Fixture = {
  chain: DevChain;
  rpcUrl: string;
  chainId: number;
  registry: Address;
  organisationId: number;
  eventId: bigint;
  courseId: bigint;
  publicClient: PublicClient;
  wallet(index: number): WalletClient;
  /** Sends a registry transaction from dev account `index` and waits for it. */
  write(index: number, functionName: string, args: readonly unknown[]): Promise<void>;
  /** Authorises dev account `index` as a key of the organisation (admin #1), with the key's consent. */
  authorise(index: number, validFrom?: number, validUntil?: number): Promise<void>;
  /** Puts a profile in force: the admin (#1) proposes its hash, governance (#0) approves it. */
  setProfile(profile: typeof PROFILE): Promise<void>;
  /** An unsigned credential of the event (or the course). */
  unsigned(options?: UnsignedOptions): UnsignedCredential;
  /** Builds, signs (key #2 unless `signer`) and anchors one credential. */
  issue(options?: IssueOptions): Promise<Credential>;
  /** Builds a batch of `count`, signs the root once and anchors it. */
  issueBatch(count: number, options?: UnsignedOptions & { anchor?: boolean }): Promise<Credential[]>;
  /** Moves the chain's clock forward and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  latestTimestamp(): Promise<number>;
  stop(): Promise<void>;
};

export type UnsignedOptions = {
  course?: boolean;
  /** Changes to the issuer profile the credential carries. */
  issuer?: Partial<typeof PROFILE>;
  /** Changes to the event description the credential carries. */
  event?: Partial<typeof EVENT>;
  validUntil?: Date | string;
  validFrom?: Date | string;
  subject?: Record<string, unknown>;
  eventId?: bigint;
};

export type IssueOptions = UnsignedOptions & {
  /** Dev account that signs (default 2). */
  signer?: number;
  /** Dev account that anchors with `issue` (default: the signer). */
  anchorFrom?: number;
  /** Anchor on chain (default true). */
  anchor?: boolean;
  /** Sign for another chain id (the credential's domain and ids). */
  chainId?: number;
};

export const account = (index: number) => privateKeyToAccount(DEV_PRIVATE_KEYS[index]!);

export type FixtureOptions = {
  /** Deploy on this chain instead of starting one (the fixture's `stop` then leaves the chain running). */
  chain?: DevChain;
  /** Dev accounts of the registry's governor, the organisation's admin and its signing key (default 0, 1, 2). */
  accounts?: { governor: number; admin: number; signer: number };
};

export async function createFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const roles = options.accounts ?? { governor: 0, admin: 1, signer: 2 };
  const chain = options.chain ?? (await startDevChain());
  const { rpcUrl, chainId } = chain;
  const viemChain = localChain(rpcUrl, chainId);
  const publicClient = createPublicClient({ chain: viemChain, transport: http(rpcUrl) }) as PublicClient;
  const wallet = (index: number) =>
    createWalletClient({ chain: viemChain, transport: http(rpcUrl), account: account(index) });
  const registry = await deployRegistry({ rpcUrl, governorKey: DEV_PRIVATE_KEYS[roles.governor]! });

  const write = async (index: number, functionName: string, args: readonly unknown[]) => {
    const hash = await wallet(index).writeContract({
      address: registry,
      abi: intygRegistryAbi,
      functionName: functionName as never,
      args: args as never,
      chain: viemChain,
      account: account(index),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  };

  // Accredits the organisation (profile hash bound to its id, organisation number hash) and authorises the
  // signing key with the key's consent.
  const organisationId = await seedOrganisation({
    rpcUrl,
    registry,
    governorKey: DEV_PRIVATE_KEYS[roles.governor]!,
    adminKey: DEV_PRIVATE_KEYS[roles.admin]!,
    signingKey: DEV_PRIVATE_KEYS[roles.signer]!,
    profile: PROFILE,
  });

  let courseId = 0n;
  let eventId = 0n;
  const makeUnsigned = (options: UnsignedOptions = {}, target?: { eventId: bigint; chainId?: number }) => {
    const common = {
      chainId: target?.chainId ?? chainId,
      registry,
      eventId: target?.eventId ?? options.eventId ?? (options.course ? courseId : eventId),
      issuer: { ...PROFILE, ...options.issuer },
      subject: options.subject ?? {
        name: "Anna Andersson",
        email: "anna.andersson@example.se",
        organisation: "Exempels kommun",
        role: "participant" as const,
        partsAttended: ["networking", "hackathon"],
      },
      ...(options.validFrom === undefined ? {} : { validFrom: options.validFrom }),
      ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
    };
    if (options.course) {
      const { partsAttended: _p, ...subject } = common.subject as Record<string, unknown>;
      return buildCourseCredential({ ...common, subject, course: COURSE });
    }
    return buildAttendanceCredential({ ...common, event: { ...EVENT, ...options.event } });
  };

  // Events are created with the hash of their description, which leaves out the id.
  const eventHash = eventMetadataHash(makeUnsigned({}, { eventId: 1n }).credentialSubject.achievement);
  await write(roles.admin, "createEvent", [organisationId, 0n, 1, eventHash]);
  eventId = (BigInt(organisationId) << 32n) | 1n;
  const courseHash = eventMetadataHash(
    makeUnsigned({ course: true }, { eventId: 2n }).credentialSubject.achievement,
  );
  await write(roles.admin, "createEvent", [organisationId, 0n, 2, courseHash]);
  courseId = (BigInt(organisationId) << 32n) | 2n;

  const latestTimestamp = async () => Number((await publicClient.getBlock()).timestamp);
  const validUntilSeconds = (doc: UnsignedCredential) =>
    doc.validUntil === undefined ? 0n : BigInt(Math.floor(Date.parse(doc.validUntil) / 1000));

  return {
    chain,
    rpcUrl,
    chainId,
    registry,
    organisationId,
    eventId,
    courseId,
    publicClient,
    wallet,
    write,
    async authorise(index, validFrom = 0, validUntil = 0) {
      const consent = await account(index).signTypedData({
        domain: intygDomain(chainId, registry),
        types: keyConsentTypes,
        primaryType: "KeyConsent",
        message: { organisationId, key: account(index).address, validFrom, validUntil },
      });
      await write(1, "authoriseKey", [
        organisationId,
        account(index).address,
        validFrom,
        validUntil,
        consent,
      ]);
    },
    async setProfile(profile) {
      const hash = organisationProfileHash(profile, organisationId);
      await write(1, "proposeOrganisationProfile", [organisationId, hash]);
      await write(0, "approveOrganisationProfile", [organisationId, hash]);
    },
    unsigned: (options) => makeUnsigned(options),
    async issue(options = {}) {
      const signerIndex = options.signer ?? roles.signer;
      const doc = makeUnsigned(
        options,
        options.chainId ? { eventId: options.eventId ?? eventId, chainId: options.chainId } : undefined,
      );
      const deadline = BigInt((await latestTimestamp()) + 3600);
      const credential = await signCredential(doc, { account: account(signerIndex), deadline });
      if (options.anchor !== false) {
        await write(options.anchorFrom ?? signerIndex, "issue", [
          credential.commitment.root,
          BigInt(credential.anchor.eventId),
          validUntilSeconds(doc),
        ]);
      }
      return credential;
    },
    async issueBatch(count, options = {}) {
      const docs = Array.from({ length: count }, (_, i) =>
        makeUnsigned({
          ...options,
          subject: options.subject ?? { name: `Deltagare ${i + 1}`, role: "participant" },
        }),
      );
      const batch = buildBatch(docs);
      const deadline = BigInt((await latestTimestamp()) + 3600);
      const signed = await signBatch(batch, { account: account(roles.signer), deadline });
      if (options.anchor !== false) {
        await write(roles.signer, "anchorBatch", [
          signed.root,
          signed.eventId,
          signed.validUntil,
          signed.size,
        ]);
      }
      return signed.credentials;
    },
    async increaseTime(seconds) {
      await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
      await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    },
    latestTimestamp,
    stop: async () => {
      if (!options.chain) await chain.stop();
    },
  };
}

/** A deep copy, for tampering. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export type { Hex };
