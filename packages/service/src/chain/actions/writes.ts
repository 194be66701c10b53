// The registry calls the service sends, each encoded from the ABI. Key-only calls come from the signing key;
// relayed requests from the relayer.

import { intygRegistryAbi } from "@intyg/registry";
import { encodeFunctionData, type Hex, parseSignature, signatureToCompactSignature } from "viem";
import type { ChainContext } from "../context";
import type {
  AnchorBatchArgs,
  AuthoriseKeyArgs,
  CreateEventArgs,
  IssueSignedArgs,
  RemoveKeyArgs,
  RevokeArgs,
  RevokeLeafArgs,
  SupersedeArgs,
  UpdateEventMetadataArgs,
  WriteOptions,
} from "../types";
import { sendRegistryCall } from "./send";

const abi = intygRegistryAbi;

export const createEvent = (
  ctx: ChainContext,
  { organisationId, parentId, kind, metadataHash }: CreateEventArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({
      abi,
      functionName: "createEvent",
      args: [organisationId, parentId, kind, metadataHash],
    }),
    options,
  );

export const updateEventMetadata = (
  ctx: ChainContext,
  { eventId, metadataHash }: UpdateEventMetadataArgs,
  options?: WriteOptions,
) =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "updateEventMetadata", args: [eventId, metadataHash] }),
    options,
  );

export const anchorBatch = (
  ctx: ChainContext,
  { root, eventId, validUntil, batchSize }: AnchorBatchArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "anchorBatch", args: [root, eventId, validUntil, batchSize] }),
    options,
  );

export const issueSigned = (
  ctx: ChainContext,
  { request, signature }: IssueSignedArgs,
  options?: WriteOptions,
): Promise<Hex> => {
  // The registry takes the signature in ERC-2098's compact form (64 bytes of calldata instead of 160).
  const { r, yParityAndS } = signatureToCompactSignature(parseSignature(signature));
  return sendRegistryCall(
    ctx,
    ctx.relayer,
    encodeFunctionData({ abi, functionName: "issueSigned", args: [request, r, yParityAndS] }),
    options,
  );
};

export const revoke = (
  ctx: ChainContext,
  { organisationId, commitment, reason }: RevokeArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "revoke", args: [organisationId, commitment, reason] }),
    options,
  );

export const revokeLeaf = (
  ctx: ChainContext,
  { organisationId, root, leaf, reason }: RevokeLeafArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "revokeLeaf", args: [organisationId, root, leaf, reason] }),
    options,
  );

export const supersede = (
  ctx: ChainContext,
  { organisationId, root, leaf, replacement }: SupersedeArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "supersede", args: [organisationId, root, leaf, replacement] }),
    options,
  );

/** Authorises `key` for the organisation in its window (0: no end), with the key's consent; sent by the admin. */
export const authoriseKey = (
  ctx: ChainContext,
  { organisationId, key, validFrom, validUntil, consent }: AuthoriseKeyArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({
      abi,
      functionName: "authoriseKey",
      args: [organisationId, key, validFrom, validUntil, consent],
    }),
    options,
  );

/** Ends `key`'s window now (what it signed before stays valid); sent by the key itself or the admin. */
export const removeKey = (ctx: ChainContext, { key }: RemoveKeyArgs, options?: WriteOptions): Promise<Hex> =>
  sendRegistryCall(
    ctx,
    ctx.key,
    encodeFunctionData({ abi, functionName: "removeKey", args: [key] }),
    options,
  );
