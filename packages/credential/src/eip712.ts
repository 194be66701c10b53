// The EIP-712 domain and types of Intyg: the one TypeScript definition, checked against the
// registry's ISSUE_TYPEHASH, CLAIM_TYPEHASH and KEY_CONSENT_TYPEHASH by test/contracts/Eip712.test.ts.

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
