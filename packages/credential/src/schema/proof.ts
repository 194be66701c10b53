// The proof section: an EIP-712 signature over the issuance request (EthereumEip712Signature2021 draft shape).

import { z } from "zod";
import { PROOF_PURPOSE, PROOF_TYPE } from "../constants";
import { EIP712_DOMAIN_NAME, EIP712_DOMAIN_VERSION, issueRequestTypes } from "../eip712";
import { isAddress } from "../viem";
import {
  addressSchema,
  bytes32Schema,
  chainIdSchema,
  dateTimeSchema,
  signatureSchema,
  uint64StringSchema,
} from "./primitives";

/**
 * `did:pkh:eip155:<chainId>:<address>#blockchainAccountId`; the address lowercase or with a valid EIP-55
 * checksum, as every other address of the format (a broken checksum is a changed document).
 */
export const verificationMethodSchema = z
  .string()
  .regex(/^did:pkh:eip155:[1-9][0-9]{0,15}:0x[0-9a-fA-F]{40}#blockchainAccountId$/)
  .refine((value) => isAddress(value.slice(value.lastIndexOf(":") + 1, value.indexOf("#"))), {
    message: "Invalid address checksum",
  });

export const eip712DomainSchema = z.strictObject({
  name: z.literal(EIP712_DOMAIN_NAME),
  version: z.literal(EIP712_DOMAIN_VERSION),
  chainId: chainIdSchema,
  verifyingContract: addressSchema,
});

const typeMemberSchema = z.strictObject({ name: z.string(), type: z.string() });

/** The `types` of the proof: exactly the `IssueRequest` type of `eip712.ts`. */
export const issueRequestTypesSchema = z
  .strictObject({ IssueRequest: z.array(typeMemberSchema).max(16) })
  .refine(
    (types) =>
      types.IssueRequest.length === issueRequestTypes.IssueRequest.length &&
      types.IssueRequest.every(
        (member, i) =>
          member.name === issueRequestTypes.IssueRequest[i]?.name &&
          member.type === issueRequestTypes.IssueRequest[i]?.type,
      ),
    { message: "Not the IssueRequest type" },
  );

/** An `IssueRequest` in JSON: integers as decimal strings, `batchSize` as a number. */
export const issueRequestMessageSchema = z.strictObject({
  commitment: bytes32Schema,
  eventId: uint64StringSchema,
  validUntil: uint64StringSchema,
  batchSize: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  holder: addressSchema,
  deadline: uint64StringSchema,
});
export type IssueRequestMessage = z.infer<typeof issueRequestMessageSchema>;

export const proofSchema = z.strictObject({
  type: z.literal(PROOF_TYPE),
  created: dateTimeSchema,
  proofPurpose: z.literal(PROOF_PURPOSE),
  verificationMethod: verificationMethodSchema,
  proofValue: signatureSchema,
  eip712: z.strictObject({
    domain: eip712DomainSchema,
    types: issueRequestTypesSchema,
    primaryType: z.literal("IssueRequest"),
    message: issueRequestMessageSchema,
  }),
});
export type CredentialProof = z.infer<typeof proofSchema>;

/**
 * A credential's `proof`: a set of exactly one proof, written as an array (Open Badges 3.0's schema requires
 * the array form, which VC 2.0 allows).
 */
export const proofSetSchema = z.tuple([proofSchema]);
export type CredentialProofSet = z.infer<typeof proofSetSchema>;
