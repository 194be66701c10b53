// Issuance requests (EIP-712 `IssueRequest`): built from parameters, converted to and from the JSON message
// of the proof section, and hashed as the registry hashes them.

import { type Eip712Domain, type IssueRequest, intygDomain, issueRequestTypes } from "./eip712";
import { InvalidParameterError } from "./errors";
import type { IssueRequestMessage } from "./schema/proof";
import { type Address, getAddress, type Hex, hashTypedData, isAddress, zeroAddress } from "./viem";

const UINT32_MAX = 2 ** 32 - 1;
const UINT64_MAX = 2n ** 64n - 1n;
const BYTES32 = /^0x[0-9a-f]{64}$/;

export type BuildIssueRequestParams = {
  /** A credential's commitment root, or a batch root. */
  commitment: Hex;
  eventId: bigint | number;
  /** Unix seconds; 0 or absent when the credential does not expire. */
  validUntil?: bigint | number;
  /** 0 (the default) for a single credential, the number of leaves for a batch root. */
  batchSize?: number;
  /** Receives a soulbound token (single credentials only); defaults to the zero address (no token). */
  holder?: Address;
  /** Unix seconds after which the registry refuses the request. */
  deadline: bigint | number;
};

function uint64(name: string, value: bigint | number): bigint {
  let big: bigint;
  try {
    big = BigInt(value);
  } catch {
    throw new InvalidParameterError(`${name} must be an integer`, { parameter: name });
  }
  if (big < 0n || big > UINT64_MAX)
    throw new InvalidParameterError(`${name} is out of range`, { parameter: name });
  return big;
}

/** A checked {@link IssueRequest}. Throws {@link InvalidParameterError} for values out of range. */
export function buildIssueRequest(params: BuildIssueRequestParams): IssueRequest {
  if (!BYTES32.test(params.commitment)) {
    throw new InvalidParameterError("commitment must be 32 bytes of lowercase hex", {
      parameter: "commitment",
    });
  }
  const batchSize = params.batchSize ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 0 || batchSize > UINT32_MAX) {
    throw new InvalidParameterError("batchSize is out of range", { parameter: "batchSize" });
  }
  const holder = params.holder ?? zeroAddress;
  if (!isAddress(holder))
    throw new InvalidParameterError("holder is not an address", { parameter: "holder" });
  return {
    commitment: params.commitment,
    eventId: uint64("eventId", params.eventId),
    validUntil: uint64("validUntil", params.validUntil ?? 0n),
    batchSize,
    holder: getAddress(holder),
    deadline: uint64("deadline", params.deadline),
  };
}

/** The JSON form of a request, as `proof.eip712.message` carries it (integers as decimal strings). */
export function issueRequestToMessage(request: IssueRequest): IssueRequestMessage {
  return {
    commitment: request.commitment as IssueRequestMessage["commitment"],
    eventId: request.eventId.toString(),
    validUntil: request.validUntil.toString(),
    batchSize: request.batchSize,
    holder: request.holder as IssueRequestMessage["holder"],
    deadline: request.deadline.toString(),
  };
}

/** A request from its JSON form (assumed valid against `issueRequestMessageSchema`). */
export function issueRequestFromMessage(message: IssueRequestMessage): IssueRequest {
  return {
    commitment: message.commitment,
    eventId: BigInt(message.eventId),
    validUntil: BigInt(message.validUntil),
    batchSize: message.batchSize,
    holder: message.holder,
    deadline: BigInt(message.deadline),
  };
}

/** Everything viem's `signTypedData` / `hashTypedData` needs for a request. */
export type IssueRequestTypedData = {
  domain: Eip712Domain;
  types: typeof issueRequestTypes;
  primaryType: "IssueRequest";
  message: IssueRequest;
};

/** The typed data of a request to the registry at `registry` on chain `chainId`. */
export function issueRequestTypedData(
  chainId: number,
  registry: Address,
  request: IssueRequest,
): IssueRequestTypedData {
  return {
    domain: intygDomain(chainId, getAddress(registry)),
    types: issueRequestTypes,
    primaryType: "IssueRequest",
    message: request,
  };
}

/** The EIP-712 digest of a request, equal to the registry's `hashIssueRequest`. */
export function hashIssueRequest(chainId: number, registry: Address, request: IssueRequest): Hex {
  return hashTypedData(issueRequestTypedData(chainId, registry, request));
}
