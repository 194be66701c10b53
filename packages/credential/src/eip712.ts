// The EIP-712 domain and types of Intyg: the one TypeScript definition, checked against the
// registry's ISSUE_TYPEHASH, CLAIM_TYPEHASH and KEY_CONSENT_TYPEHASH by test/contracts/Eip712.test.ts (and the
// forwarder's request type by the forwarder accepting what is signed with it, test/contracts/IntygForwarder.test.ts).

/** Name and version of the registry's EIP-712 domain (chain id and registry address complete it). */
export const EIP712_DOMAIN_NAME = "Intyg";
export const EIP712_DOMAIN_VERSION = "1";

export type Eip712Domain = {
  name: string;
  version: string;
  chainId: number | bigint;
  verifyingContract: `0x${string}`;
};

export const issueRequestTypes = {
  IssueRequest: [
    { name: "commitment", type: "bytes32" },
    { name: "eventId", type: "uint64" },
    { name: "validUntil", type: "uint64" },
    { name: "batchSize", type: "uint32" },
    { name: "holder", type: "address" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

export const claimRequestTypes = {
  ClaimRequest: [
    { name: "root", type: "bytes32" },
    { name: "leaf", type: "bytes32" },
    { name: "holder", type: "address" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

/**
 * A key's consent to be authorised as a signing key of `organisationId` in `[validFrom, validUntil)` (0: no end),
 * signed by the key itself under the registry's domain (which names the chain and the registry).
 */
export const keyConsentTypes = {
  KeyConsent: [
    { name: "organisationId", type: "uint32" },
    { name: "key", type: "address" },
    { name: "validFrom", type: "uint40" },
    { name: "validUntil", type: "uint40" },
  ],
} as const;

/** Name and version of the EIP-712 domain of the registry's forwarder (its chain id and address complete it). */
export const FORWARDER_DOMAIN_NAME = "IntygForwarder";
export const FORWARDER_DOMAIN_VERSION = "1";

/**
 * A request an admin, key or governor signs for the registry's forwarder to relay (OpenZeppelin's
 * ERC2771Forwarder): the call `data` to `to`, at most `gas` for it, the signer's next `nonce`, until `deadline`.
 */
export const forwardRequestTypes = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
} as const;

export type KeyConsent = {
  organisationId: number;
  key: `0x${string}`;
  validFrom: number | bigint;
  validUntil: number | bigint;
};

/** A request to anchor a commitment (a credential, or a batch root when `batchSize` > 0). */
export type IssueRequest = {
  commitment: `0x${string}`;
  eventId: bigint;
  validUntil: bigint;
  batchSize: number;
  holder: `0x${string}`;
  deadline: bigint;
};

/** A voucher for the soulbound token of one leaf of a batch. */
export type ClaimRequest = {
  root: `0x${string}`;
  leaf: `0x${string}`;
  holder: `0x${string}`;
  deadline: bigint;
};

export function intygDomain(chainId: number | bigint, registry: `0x${string}`): Eip712Domain {
  return {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId,
    verifyingContract: registry,
  };
}
