// The registry client over viem: reads through a public client, writes from the signing key (and relayer).
// Each method is an action of its own module (actions/); this file binds them to one context.

import type { Address } from "viem";
import type { Signer } from "../signer";
import { ensureFunded } from "./actions/funding";
import * as reads from "./actions/reads";
import { createdEventId, getReceipt, hasTransaction } from "./actions/receipts";
import { waitForReceipt } from "./actions/wait";
import * as writes from "./actions/writes";
import { type ChainContext, type CreateChainClientParameters, createChainContext, withKey } from "./context";
import type { ChainClient } from "./types";

export type { ChainContext, CreateChainClientParameters, Sender } from "./context";
export {
  ChainRevertError,
  ChainRpcError,
  classifyChainError,
  NonceTakenError,
  TransactionDroppedError,
} from "./errors";
export { bumped, type FeeMarket, type Fees, feeCeiling, replacementFees } from "./fees";
export { NonceManager } from "./nonces";
export type {
  AnchorBatchArgs,
  AuthoriseKeyArgs,
  ChainClient,
  ClaimRequestArgs,
  CreateEventArgs,
  FeeCapInfo,
  IssueRequestArgs,
  IssueSignedArgs,
  LeafRevocation,
  RegistryRecord,
  RemoveKeyArgs,
  ReplacementInfo,
  RevokeArgs,
  RevokeLeafArgs,
  SupersedeArgs,
  TxReceipt,
  UpdateEventMetadataArgs,
  WaitOptions,
  WriteOptions,
} from "./types";

/**
 * The relayer the service's relayer derives for an organisation (by its id on chain) on one registry: the account
 * that sends what the organisation's keys sign. Undefined when the relayer's key cannot derive (a KMS or HSM).
 */
export function organisationRelayer(
  relayer: Signer,
  chainId: number,
  registry: Address,
  organisation: number,
): Signer | undefined {
  return relayer.derive?.(`relayer/${chainId}/${registry.toLowerCase()}/${organisation}`);
}

export async function createChainClient(parameters: CreateChainClientParameters): Promise<ChainClient> {
  return bind(await createChainContext(parameters), new Map());
}

/** The client over one context; `clients` keeps one client per sending key (organisations' keys). */
function bind(ctx: ChainContext, clients: Map<string, ChainClient>): ChainClient {
  const client: ChainClient = {
    chainId: ctx.chainId,
    registry: ctx.registry,
    keyAddress: ctx.key.account.address,
    relayerAddress: ctx.relayer.account.address,

    blockNumber: () => reads.blockNumber(ctx),
    record: (organisationId, commitment) => reads.record(ctx, organisationId, commitment),
    leafRevocation: (organisationId, root, leaf) => reads.leafRevocation(ctx, organisationId, root, leaf),
    supersededBy: (organisationId, root, leaf) => reads.supersededBy(ctx, organisationId, root, leaf),
    isBatchMember: (organisationId, root, leaf, proof) =>
      reads.isBatchMember(ctx, organisationId, root, leaf, proof),
    eventInfo: (eventId) => reads.eventInfo(ctx, eventId),
    signingKey: (key) => reads.signingKey(ctx, key),
    organisation: (organisationId) => reads.organisation(ctx, organisationId),

    createEvent: (args, options) => writes.createEvent(ctx, args, options),
    updateEventMetadata: (args, options) => writes.updateEventMetadata(ctx, args, options),
    anchorBatch: (args, options) => writes.anchorBatch(ctx, args, options),
    issueSigned: (args, options) => writes.issueSigned(ctx, args, options),
    revoke: (args, options) => writes.revoke(ctx, args, options),
    revokeLeaf: (args, options) => writes.revokeLeaf(ctx, args, options),
    supersede: (args, options) => writes.supersede(ctx, args, options),
    authoriseKey: (args, options) => writes.authoriseKey(ctx, args, options),
    removeKey: (args, options) => writes.removeKey(ctx, args, options),

    forKey(signer, options) {
      const relayer =
        options?.organisation === undefined
          ? undefined
          : ctx.relayerSigner.derive?.(
              `relayer/${ctx.chainId}/${ctx.registry.toLowerCase()}/${options.organisation}`,
            );
      const address = signer.address.toLowerCase();
      const sender = (relayer?.address ?? ctx.relayer.account.address).toLowerCase();
      if (
        address === ctx.key.account.address.toLowerCase() &&
        sender === ctx.relayer.account.address.toLowerCase()
      )
        return client;
      const id = `${address}/${sender}`;
      let keyed = clients.get(id);
      if (!keyed) {
        keyed = bind(withKey(ctx, signer, relayer), clients);
        clients.set(id, keyed);
      }
      return keyed;
    },
    ensureFunded: () => ensureFunded(ctx),

    waitForReceipt: (hashes, options) => waitForReceipt(ctx, hashes, options),
    getReceipt: (hash) => getReceipt(ctx, hash),
    hasTransaction: (hash) => hasTransaction(ctx, hash),
    createdEventId: (hash) => createdEventId(ctx, hash),
  };
  return client;
}
