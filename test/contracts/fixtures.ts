import type { HDNodeWallet, Signer } from "ethers";
import { ethers } from "hardhat";
import {
  type ClaimRequest,
  claimRequestTypes,
  type IssueRequest,
  intygDomain,
  issueRequestTypes,
} from "../../packages/credential/src/eip712";
import type { IntygRegistry } from "../../typechain-types";

export const EVENT = 1;
export const COURSE = 2;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;
export const FOREVER = 2n ** 40n - 1n;

export type RegistryFixture = Awaited<ReturnType<typeof deployRegistry>>;

/** Deploys the registry, accredits one organisation with one key and creates an event and a course. */
export async function deployRegistry() {
  const [governor, orgAdmin, key, relayer, other, otherAdmin, otherKey, holder] = await ethers.getSigners();
  const factory = await ethers.getContractFactory("IntygRegistry");
  const registry = (await factory.deploy(0, governor!.address)) as unknown as IntygRegistry;
  await registry.waitForDeployment();
  const address = (await registry.getAddress()) as `0x${string}`;
  const { chainId } = await ethers.provider.getNetwork();

  await registry.accreditOrganisation(orgAdmin!.address, ethers.id("org-profile"));
  await registry.accreditOrganisation(otherAdmin!.address, ethers.id("other-profile"));
  await registry.connect(orgAdmin!).authoriseKey(1, key!.address, 0, 0);
  await registry.connect(otherAdmin!).authoriseKey(2, otherKey!.address, 0, 0);
  await registry.connect(orgAdmin!).createEvent(1, 0, EVENT, ethers.id("conference"));
  await registry.connect(orgAdmin!).createEvent(1, eventIdOf(1, 1), EVENT, ethers.id("hackathon"));
  await registry.connect(orgAdmin!).createEvent(1, 0, COURSE, ethers.id("course"));
  await registry.connect(otherAdmin!).createEvent(2, 0, EVENT, ethers.id("other-event"));

  return {
    registry,
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

export function eventIdOf(organisationId: number, sequence: number): bigint {
  return (BigInt(organisationId) << 32n) | BigInt(sequence);
}

export async function latest(): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  return BigInt(block!.timestamp);
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
