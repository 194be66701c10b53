// Signing: the issuer's key signs an issuance request (EIP-712) for one credential, or once for a batch root,
// and the signature goes in the credential's proof section.

import type { Batch } from "./batch";
import { ANCHOR_TYPE, PROOF_PURPOSE, PROOF_TYPE } from "./constants";
import { issueRequestTypes } from "./eip712";
import { BindingError } from "./errors";
import { credentialHash } from "./integrity";
import { buildIssueRequest, issueRequestToMessage, issueRequestTypedData } from "./issue-request";
import { verificationMethodFor } from "./proof";
import type { Credential, UnsignedCredential } from "./schema/credential";
import type { CredentialProof } from "./schema/proof";
import { isoToUnixSeconds, toIsoSeconds } from "./time";
import { parseEventUrn } from "./urn";
import { type Address, getAddress, isAddressEqual, type LocalAccount, zeroAddress } from "./viem";

/** What signs: a viem local account (`privateKeyToAccount`) or anything with its address and `signTypedData`. */
export type CredentialSigner = Pick<LocalAccount, "address" | "signTypedData">;

export type SignCommonParams = {
  account: CredentialSigner;
  /** Unix seconds after which the registry refuses the request. */
  deadline: bigint | number;
  /** The proof's `created`; defaults to now. */
  created?: Date | string;
};

export type SignCredentialParams = SignCommonParams & {
  /** Receives a soulbound token when the request is relayed; defaults to none. */
  holder?: Address;
  /** Checked against the credential's achievement id when given. */
  chainId?: number;
  registry?: Address;
  eventId?: bigint | number;
};

type Target = { chainId: number; registry: Address; eventId: bigint };

function createdOf(created: Date | string | undefined): string {
  return typeof created === "string" ? created : toIsoSeconds(created ?? new Date());
}

async function makeProof(
  account: CredentialSigner,
  target: Target,
  request: Parameters<typeof buildIssueRequest>[0],
  created: string,
): Promise<CredentialProof> {
  const issueRequest = buildIssueRequest(request);
  const typedData = issueRequestTypedData(target.chainId, target.registry, issueRequest);
  const signature = await account.signTypedData(typedData);
  return {
    type: PROOF_TYPE,
    created,
    proofPurpose: PROOF_PURPOSE,
    verificationMethod: verificationMethodFor(target.chainId, account.address),
    proofValue: signature as CredentialProof["proofValue"],
    eip712: {
      domain: {
        name: typedData.domain.name as CredentialProof["eip712"]["domain"]["name"],
        version: typedData.domain.version as CredentialProof["eip712"]["domain"]["version"],
        chainId: target.chainId,
        verifyingContract: typedData.domain.verifyingContract,
      },
      types: { IssueRequest: issueRequestTypes.IssueRequest.map((member) => ({ ...member })) },
      primaryType: "IssueRequest",
      message: issueRequestToMessage(issueRequest),
    },
  };
}

/**
 * Signs one credential: checks its integrity, signs the request to anchor its commitment root, and returns it
 * with its proof and anchor sections. Throws {@link BindingError} when chain, registry or event are given and
 * differ from the credential's achievement id, and `IntegrityError` when its commitment does not hold.
 */
export async function signCredential(
  doc: UnsignedCredential,
  params: SignCredentialParams,
): Promise<Credential> {
  const root = credentialHash(doc);
  const event = parseEventUrn(doc.credentialSubject.achievement.id);
  if (event === undefined) throw new BindingError("Malformed achievement id");
  if (params.chainId !== undefined && params.chainId !== event.chainId) {
    throw new BindingError("Chain id differs from the credential's", { parameter: "chainId" });
  }
  if (params.registry !== undefined && !isAddressEqual(params.registry, event.registry)) {
    throw new BindingError("Registry differs from the credential's", { parameter: "registry" });
  }
  if (params.eventId !== undefined && BigInt(params.eventId) !== event.eventId) {
    throw new BindingError("Event id differs from the credential's", { parameter: "eventId" });
  }
  const target = { chainId: event.chainId, registry: getAddress(event.registry), eventId: event.eventId };
  const proof = await makeProof(
    params.account,
    target,
    {
      commitment: root,
      eventId: event.eventId,
      validUntil: doc.validUntil === undefined ? 0n : isoToUnixSeconds(doc.validUntil),
      batchSize: 0,
      holder: params.holder ?? zeroAddress,
      deadline: params.deadline,
    },
    createdOf(params.created),
  );
  const {
    proof: _proof,
    anchor: _anchor,
    ...rest
  } = doc as UnsignedCredential & { proof?: unknown; anchor?: unknown };
  return {
    ...rest,
    proof: [proof],
    anchor: {
      type: ANCHOR_TYPE,
      chainId: target.chainId,
      registry: target.registry,
      eventId: `${event.eventId}`,
    },
  };
}

export type SignedBatch = Omit<Batch, "credentials"> & {
  /** The one proof every credential of the batch carries (frozen, shared). */
  proof: CredentialProof;
  credentials: Credential[];
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Signs a batch root once and puts the same proof on every credential of the batch. */
export async function signBatch(batch: Batch, params: SignCommonParams): Promise<SignedBatch> {
  const proof = await signBatchRoot(batch, params);
  const credentials = batch.credentials.map((doc): Credential => ({ ...doc, proof: [proof] }));
  return { ...batch, proof, credentials };
}

/**
 * The proof every credential of a batch carries: the signed request to anchor its root. For a caller that
 * builds the tree from commitment roots alone (`buildBatchTree`); frozen, since it is shared.
 */
export async function signBatchRoot(
  batch: Omit<Batch, "credentials" | "tree">,
  params: SignCommonParams,
): Promise<CredentialProof> {
  const target = { chainId: batch.chainId, registry: batch.registry, eventId: batch.eventId };
  return deepFreeze(
    await makeProof(
      params.account,
      target,
      {
        commitment: batch.root,
        eventId: batch.eventId,
        validUntil: batch.validUntil,
        batchSize: batch.size,
        deadline: params.deadline,
      },
      createdOf(params.created),
    ),
  );
}
