import {
  type ClaimRequest,
  claimRequestTypes,
  type IssueRequest,
  intygDomain,
  issueRequestTypes,
  keyConsentTypes,
} from "@intyg/credential";
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HDNodeWallet, Signer } from "ethers";
import { ethers } from "hardhat";
import type { IntygRegistry, IntygSoulbound } from "../../typechain-types";

export const EVENT = 1;
export const COURSE = 2;
/** OrganisationStatus values. */
export const ACTIVE = 1n;
export const SUSPENDED = 2n;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;
export const FOREVER = 2n ** 40n - 1n;
export const MAX_UINT40 = 2n ** 40n - 1n;
/** The order of secp256k1: `n - s` is the high-s twin of a signature's `s`. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export type RegistryFixture = Awaited<ReturnType<typeof deployRegistry>>;

/** Deploys the registry, accredits one organisation with one key and creates an event and a course. */
export async function deployRegistry() {
  const [governor, orgAdmin, key, relayer, other, otherAdmin, otherKey, holder] = await ethers.getSigners();
  const factory = await ethers.getContractFactory("IntygRegistry");
  const registry = (await factory.deploy(0, governor!.address)) as unknown as IntygRegistry;
  await registry.waitForDeployment();
  const address = (await registry.getAddress()) as `0x${string}`;
  const { chainId } = await ethers.provider.getNetwork();

  await registry.accreditOrganisation(orgAdmin!.address, ethers.id("org-profile"), orgNumberHash("org"));
  await registry.accreditOrganisation(
    otherAdmin!.address,
    ethers.id("other-profile"),
    orgNumberHash("other"),
  );
  await authorise(registry, orgAdmin!, 1, key!);
  await authorise(registry, otherAdmin!, 2, otherKey!);
  await registry.connect(orgAdmin!).createEvent(1, 0, EVENT, ethers.id("conference"));
  await registry.connect(orgAdmin!).createEvent(1, eventIdOf(1, 1), EVENT, ethers.id("hackathon"));
  await registry.connect(orgAdmin!).createEvent(1, 0, COURSE, ethers.id("course"));
  await registry.connect(otherAdmin!).createEvent(2, 0, EVENT, ethers.id("other-event"));

  const soulbound = (await ethers.getContractAt(
    "IntygSoulbound",
    await registry.soulbound(),
  )) as unknown as IntygSoulbound;

  return {
    registry,
    soulbound,
    address,
    chainId,
    governor: governor!,
    orgAdmin: orgAdmin!,
    key: key!,
    relayer: relayer!,
    other: other!,
    otherAdmin: otherAdmin!,
    otherKey: otherKey!,
    holder: holder!,
    conference: eventIdOf(1, 1),
    hackathon: eventIdOf(1, 2),
    course: eventIdOf(1, 3),
    otherEvent: eventIdOf(2, 1),
  };
}

/** A stand-in organisation number hash for `label`. */
export function orgNumberHash(label: string): string {
  return ethers.id(`organisation-number:${label}`);
}

/** The key's EIP-712 consent to be authorised for `organisationId` in `[validFrom, validUntil)`. */
export async function signConsent(
  key: Signer | HDNodeWallet,
  registry: IntygRegistry,
  organisationId: number | bigint,
  validFrom: number | bigint = 0,
  validUntil: number | bigint = 0,
  keyAddress?: string,
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  const address = (await registry.getAddress()) as `0x${string}`;
  return key.signTypedData(
    intygDomain(chainId, address),
    { KeyConsent: [...keyConsentTypes.KeyConsent] },
    { organisationId, key: keyAddress ?? (await key.getAddress()), validFrom, validUntil },
  );
}

/** A contract key (ERC-1271) and the EOA whose signatures it accepts. */
export type ContractKey = { address: string; owner: Signer | HDNodeWallet };

/** Authorises `key` for `organisationId` by `admin`, with the key's own consent. */
export async function authorise(
  registry: IntygRegistry,
  admin: Signer,
  organisationId: number | bigint,
  key: Signer | HDNodeWallet | ContractKey | string,
  validFrom: number | bigint = 0,
  validUntil: number | bigint = 0,
) {
  if (typeof key === "string") {
    // The zero address (or any unknown address) signs nothing: a consent by a throwaway key stands in.
    key = { address: key, owner: randomKeys.get(key.toLowerCase()) ?? ethers.Wallet.createRandom() };
  }
  const [signer, address] =
    "owner" in key ? [key.owner, key.address] : [key, await (key as Signer).getAddress()];
  const consent = await signConsent(signer, registry, organisationId, validFrom, validUntil, address);
  return registry.connect(admin).authoriseKey(organisationId, address, validFrom, validUntil, consent);
}

const randomKeys = new Map<string, HDNodeWallet>();

/** A fresh random key that can sign its consent; {authorise} also finds it by its address. */
export function randomKey(): HDNodeWallet {
  const wallet = ethers.Wallet.createRandom();
  randomKeys.set(wallet.address.toLowerCase(), wallet);
  return wallet;
}

/** The soulbound token id of a commitment or leaf of an organisation: keccak256(abi.encode(organisationId, c)). */
export function tokenIdOf(organisationId: number | bigint, commitment: string): bigint {
  return BigInt(
    ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(["uint32", "bytes32"], [organisationId, commitment]),
    ),
  );
}

let orgNumberSequence = 0;
/** A fresh organisation number hash, unique in a test run. */
export function freshOrgNumber(): string {
  orgNumberSequence += 1;
  return orgNumberHash(`fresh-${orgNumberSequence}`);
}

export function eventIdOf(organisationId: number, sequence: number): bigint {
  return (BigInt(organisationId) << 32n) | BigInt(sequence);
}

export async function latest(): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  return BigInt(block!.timestamp);
}

/**
 * The chain's current time, from a freshly mined block. After `loadFixture` reverts to its snapshot, the latest
 * block is the snapshot's, while the next block is stamped from the wall clock: `time.latest()` alone can lag the
 * next transaction by as long as the suite has run so far.
 */
export async function now(): Promise<bigint> {
  await mine();
  return BigInt(await time.latest());
}

export function issueRequest(partial: Partial<IssueRequest> & { eventId: bigint }): IssueRequest {
  return {
    commitment: ethers.hexlify(ethers.randomBytes(32)) as `0x${string}`,
    validUntil: 0n,
    batchSize: 0,
    holder: ZERO_ADDRESS,
    deadline: 2n ** 63n,
    ...partial,
  };
}

export async function signIssue(
  signer: Signer | HDNodeWallet,
  chainId: bigint,
  registry: `0x${string}`,
  request: IssueRequest,
): Promise<string> {
  return signer.signTypedData(
    intygDomain(chainId, registry),
    { IssueRequest: [...issueRequestTypes.IssueRequest] },
    request,
  );
}

export async function signClaim(
  signer: Signer | HDNodeWallet,
  chainId: bigint,
  registry: `0x${string}`,
  request: ClaimRequest,
): Promise<string> {
  return signer.signTypedData(
    intygDomain(chainId, registry),
    { ClaimRequest: [...claimRequestTypes.ClaimRequest] },
    request,
  );
}

export function randomCommitment(): `0x${string}` {
  return ethers.hexlify(ethers.randomBytes(32)) as `0x${string}`;
}

export function claimRequest(
  partial: Partial<ClaimRequest> & { root: `0x${string}`; leaf: `0x${string}` },
): ClaimRequest {
  return { holder: ZERO_ADDRESS, deadline: 2n ** 63n, ...partial };
}

/** A batch of `size` leaves in an OpenZeppelin StandardMerkleTree with leaf encoding ["bytes32"]. */
export function batchTree(size: number, label = "credential") {
  const values: [string][] = [];
  for (let i = 0; i < size; i++) values.push([ethers.id(`${label}-${i}`)]);
  return StandardMerkleTree.of(values, ["bytes32"]);
}

export type BatchTree = ReturnType<typeof batchTree>;

/** The leaf (as anchored and claimed on chain) of entry `index` of `tree`, and its proof. */
export function leafOf(tree: BatchTree, index: number): { leaf: `0x${string}`; proof: string[] } {
  return { leaf: tree.leafHash(tree.at(index)!) as `0x${string}`, proof: tree.getProof(index) };
}

/** The malleable twin of a 65-byte signature: s' = n - s and the other recovery id. ecrecover accepts both. */
export function highS(signature: string): string {
  const { r, s, v } = ethers.Signature.from(signature);
  return ethers.concat([
    r,
    ethers.toBeHex(SECP256K1_N - BigInt(s), 32),
    ethers.toBeHex(v === 27 ? 28 : 27, 1),
  ]);
}

/** The 64-byte EIP-2098 compact form of a 65-byte signature. */
export function compact(signature: string): string {
  return ethers.Signature.from(signature).compactSerialized;
}

/** A signature with its recovery byte replaced by `v`. */
export function withV(signature: string, v: number): string {
  return ethers.concat([ethers.dataSlice(signature, 0, 64), ethers.toBeHex(v, 1)]);
}

/** What the ecrecover precompile returns for a 65-byte signature: accepts both halves of the s range. */
export async function ecrecover(digest: string, signature: string): Promise<string> {
  const r = ethers.dataSlice(signature, 0, 32);
  const s = ethers.dataSlice(signature, 32, 64);
  const v = ethers.getBytes(signature)[64]!;
  const output = await ethers.provider.call({
    to: "0x0000000000000000000000000000000000000001",
    data: ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint8", "bytes32", "bytes32"],
      [digest, v, r, s],
    ),
  });
  return ethers.getAddress(ethers.dataSlice(output, 12));
}

/** {deployRegistry} plus a second registry with the same organisations, keys and events at another address. */
export async function deployTwoRegistries() {
  const f = await deployRegistry();
  const factory = await ethers.getContractFactory("IntygRegistry");
  const second = (await factory.deploy(0, f.governor.address)) as unknown as IntygRegistry;
  await second.waitForDeployment();
  await second.accreditOrganisation(f.orgAdmin.address, ethers.id("org-profile"), orgNumberHash("org"));
  await authorise(second, f.orgAdmin, 1, f.key);
  await second.connect(f.orgAdmin).createEvent(1, 0, EVENT, ethers.id("conference"));
  return { ...f, second, secondAddress: (await second.getAddress()) as `0x${string}` };
}

/** The record of `commitment` in organisation `organisationId`'s namespace (default 1) as a plain object. */
export async function recordOf(registry: IntygRegistry, commitment: string, organisationId = 1) {
  const r = await registry.record(organisationId, commitment);
  return {
    eventId: r.eventId,
    issuedAt: r.issuedAt,
    validUntil: r.validUntil,
    revokedAt: r.revokedAt,
    revocationReason: r.revocationReason,
    batchSize: r.batchSize,
  };
}

/** The state of signing key `key` as a plain object. */
export async function keyOf(registry: IntygRegistry, key: string) {
  const k = await registry.signingKey(key);
  return {
    organisationId: k.organisationId,
    validFrom: k.validFrom,
    validUntil: k.validUntil,
    suspended: k.suspended,
  };
}

/** Organisation `id` as a plain object. */
export async function organisationOf(registry: IntygRegistry, id: number) {
  const o = await registry.organisation(id);
  return {
    profileHash: o.profileHash,
    admin: o.admin,
    status: o.status,
    eventCount: o.eventCount,
    suspendedAt: o.suspendedAt,
  };
}

/** Event `eventId` as a plain object. */
export async function eventOf(registry: IntygRegistry, eventId: bigint) {
  const e = await registry.eventInfo(eventId);
  return { metadataHash: e.metadataHash, parentId: e.parentId, createdAt: e.createdAt, kind: e.kind };
}

/** A 65-byte signature as `issueSigned` takes it, in ERC-2098's compact form: `[r, yParityAndS]`. */
export function rvs(signature: string): [string, string] {
  const parsed = ethers.Signature.from(signature);
  return [parsed.r, parsed.yParityAndS];
}
