// The registry calls the service sends, each encoded from the ABI. The relayer sends them all: signed requests
// (issueSigned, and a batch's signed root) directly, the key's other calls as its requests through the registry's
// forwarder. A key that is its own relayer (a single-key setup) sends its calls itself.

import { intygRegistryAbi } from "@intyg/registry";
import { encodeFunctionData, type Hex, parseSignature, signatureToCompactSignature, zeroAddress } from "viem";
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
import { sameAccount } from "./forward";
import { sendRegistryCall } from "./send";

const abi = intygRegistryAbi;

/** A call of the key's: sent by the key when it relays for itself, else relayed through the forwarder. */
const sendAsKey = (ctx: ChainContext, data: Hex, options?: WriteOptions): Promise<Hex> =>
  sameAccount(ctx.key, ctx.relayer)
    ? sendRegistryCall(ctx, ctx.key, data, options)
    : sendRegistryCall(ctx, ctx.relayer, data, options, ctx.key);

export const createEvent = (
  ctx: ChainContext,
  { organisationId, parentId, kind, metadataHash }: CreateEventArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendAsKey(
    ctx,
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
  sendAsKey(
    ctx,
    encodeFunctionData({ abi, functionName: "updateEventMetadata", args: [eventId, metadataHash] }),
    options,
  );

export const anchorBatch = (
  ctx: ChainContext,
  { root, eventId, validUntil, batchSize, signed }: AnchorBatchArgs,
  options?: WriteOptions,
): Promise<Hex> => {
  if (sameAccount(ctx.key, ctx.relayer))
    return sendRegistryCall(
      ctx,
      ctx.key,
      encodeFunctionData({ abi, functionName: "anchorBatch", args: [root, eventId, validUntil, batchSize] }),
      options,
    );
  // The registry takes batches from a relayer only as the key's signed request (anchorBatch is the key's own).
  if (!signed) throw new Error("a batch relayed for a key needs the key's signed request for its root");
  return issueSigned(
    ctx,
    {
      request: {
        commitment: root,
        eventId,
        validUntil,
        batchSize,
        holder: zeroAddress,
        deadline: signed.deadline,
      },
      signature: signed.signature,
    },
    options,
  );
};

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
  sendAsKey(
    ctx,
    encodeFunctionData({ abi, functionName: "revoke", args: [organisationId, commitment, reason] }),
    options,
  );

export const revokeLeaf = (
  ctx: ChainContext,
  { organisationId, root, leaf, reason }: RevokeLeafArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendAsKey(
    ctx,
    encodeFunctionData({ abi, functionName: "revokeLeaf", args: [organisationId, root, leaf, reason] }),
    options,
  );

export const supersede = (
  ctx: ChainContext,
  { organisationId, root, leaf, replacement }: SupersedeArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendAsKey(
    ctx,
    encodeFunctionData({ abi, functionName: "supersede", args: [organisationId, root, leaf, replacement] }),
    options,
  );

/** Authorises `key` for the organisation in its window (0: no end), with the key's consent; sent by the admin. */
export const authoriseKey = (
  ctx: ChainContext,
  { organisationId, key, validFrom, validUntil, consent }: AuthoriseKeyArgs,
  options?: WriteOptions,
): Promise<Hex> =>
  sendAsKey(
    ctx,
    encodeFunctionData({
      abi,
      functionName: "authoriseKey",
      args: [organisationId, key, validFrom, validUntil, consent],
    }),
    options,
  );

/** Ends `key`'s window now (what it signed before stays valid); sent by the key itself or the admin. */
export const removeKey = (ctx: ChainContext, { key }: RemoveKeyArgs, options?: WriteOptions): Promise<Hex> =>
  sendAsKey(ctx, encodeFunctionData({ abi, functionName: "removeKey", args: [key] }), options);
