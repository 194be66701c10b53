// The chain client's interface: what the worker, the routes and the tests do with the registry.

import type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  RecordState,
  SigningKeyState,
} from "@intyg/registry";
import type { Address, Hex } from "viem";
import type { Signer } from "../signer";
import type { Fees } from "./fees";

/** The record of a commitment in its organisation's namespace. */
export type RegistryRecord = RecordState;

export type LeafRevocation = LeafRevocationState;

export type WriteOptions = {
  /** Called with the transaction's hash once it is signed, before it is sent (to record it first). */
  onSigned?: (hash: Hex) => Promise<void>;
};

export type TxReceipt = { transactionHash: Hex; status: "success" | "reverted"; blockNumber: bigint };

export type ReplacementInfo = {
  /** The pending transaction it takes the place of. */
  replaces: Hex;
  nonce: number;
  fees: Fees;
};

export type FeeCapInfo = {
  /** The transaction left pending at its fees. */
  hash: Hex;
  nonce: number;
  fees: Fees;
  /** The most a transaction may pay per gas (INTYG_MAX_FEE_GWEI, or the multiplier over its first send). */
  limit: bigint;
};

export type WaitOptions = {
  /**
   * Opts in to replacement: while none of the transactions is mined for `replaceAfterMs`, the pending one is
   * signed again — the same nonce and call — with higher fees and sent. Called with the new hash before it is
   * sent (to record it first, as `onSigned`). Without it, the wait never replaces.
   */
  onReplaced?: (hash: Hex, info: ReplacementInfo) => Promise<void>;
  /** Called (once per wait) when the fee limit leaves no room for another replacement. */
  onFeeCap?: (info: FeeCapInfo) => void;
};

export type IssueRequestArgs = {
  commitment: Hex;
  eventId: bigint;
  validUntil: bigint;
  batchSize: number;
  holder: Address;
  deadline: bigint;
};

export type ClaimRequestArgs = { root: Hex; leaf: Hex; holder: Address; deadline: bigint };

export type CreateEventArgs = { organisationId: number; parentId: bigint; kind: 1 | 2; metadataHash: Hex };
export type UpdateEventMetadataArgs = { eventId: bigint; metadataHash: Hex };
export type AnchorBatchArgs = {
  root: Hex;
  eventId: bigint;
  validUntil: bigint;
  batchSize: number;
  /**
   * The key's signed issue request for the root (the batch's proof): with it, a relayer that is not the key
   * sends it (issueSigned) and the key needs no ether; without it, the key sends anchorBatch itself.
   */
  signed?: { signature: Hex; deadline: bigint };
};
export type IssueSignedArgs = { request: IssueRequestArgs; signature: Hex };
export type RevokeArgs = { organisationId: number; commitment: Hex; reason: number };
export type RevokeLeafArgs = { organisationId: number; root: Hex; leaf: Hex; reason: number };
export type SupersedeArgs = { organisationId: number; root: Hex; leaf: Hex; replacement: Hex };
export type AuthoriseKeyArgs = {
  organisationId: number;
  key: Address;
  validFrom: number;
  validUntil: number;
  consent: Hex;
};
export type RemoveKeyArgs = { key: Address };

/**
 * Everything the service does with the registry. Writes return the transaction hash as soon as the node has
 * accepted it (so callers can record it before waiting); `waitForReceipt` waits for it to be mined.
 * A fault-injecting wrapper can implement this interface around the real client (crash tests).
 */
export interface ChainClient {
  readonly chainId: number;
  readonly registry: Address;
  /** The key that signs this client's calls (createEvent, batches, revocations …). */
  readonly keyAddress: Address;
  /**
   * The account that sends them and pays their gas: signed requests (issueSigned) and, through the registry's
   * forwarder, the key's other calls. When it is the key itself, the key sends its calls directly.
   */
  readonly relayerAddress: Address;

  blockNumber(): Promise<bigint>;
  /** The record of `commitment` in the organisation's namespace (every organisation has its own). */
  record(organisationId: number, commitment: Hex): Promise<RegistryRecord>;
  leafRevocation(organisationId: number, root: Hex, leaf: Hex): Promise<LeafRevocation>;
  supersededBy(organisationId: number, root: Hex, leaf: Hex): Promise<Hex>;
  isBatchMember(organisationId: number, root: Hex, leaf: Hex, proof: readonly Hex[]): Promise<boolean>;
  eventInfo(eventId: bigint): Promise<EventState>;
  signingKey(key: Address): Promise<SigningKeyState>;
  /** The organisation's on-chain profile hash, admin and status (ORGANISATION_STATUS) among the rest. */
  organisation(organisationId: number): Promise<OrganisationState>;

  createEvent(args: CreateEventArgs, options?: WriteOptions): Promise<Hex>;
  updateEventMetadata(args: UpdateEventMetadataArgs, options?: WriteOptions): Promise<Hex>;
  anchorBatch(args: AnchorBatchArgs, options?: WriteOptions): Promise<Hex>;
  issueSigned(args: IssueSignedArgs, options?: WriteOptions): Promise<Hex>;
  revoke(args: RevokeArgs, options?: WriteOptions): Promise<Hex>;
  revokeLeaf(args: RevokeLeafArgs, options?: WriteOptions): Promise<Hex>;
  supersede(args: SupersedeArgs, options?: WriteOptions): Promise<Hex>;
  /** Sent by the key this client sends from, which must be the organisation's admin. */
  authoriseKey(args: AuthoriseKeyArgs, options?: WriteOptions): Promise<Hex>;
  /** Sent by the key this client sends from: the key itself or its organisation's admin. */
  removeKey(args: RemoveKeyArgs, options?: WriteOptions): Promise<Hex>;

  /**
   * This client with `signer` as the key that signs (an organisation's own key). With `organisation` (its id on
   * chain), its calls are sent by that organisation's own relayer — an account derived from the service's relayer,
   * with its own nonces, so that one organisation's stuck transaction never holds up another's — else (or when the
   * relayer's key cannot derive one, as in a KMS) by the service's relayer.
   */
  forKey(signer: Signer, options?: { organisation?: number }): ChainClient;
  /**
   * Tops up this client's relayer from the service's relayer when its balance is below the configured minimum,
   * waiting for the transfer; returns its hash, or null when nothing was needed (or it is the service's relayer).
   * Keys are never funded: they only sign.
   */
  ensureFunded(): Promise<Hex | null>;

  /**
   * Waits until one of `hashes` is mined and returns its receipt. `hashes` are one nonce's transactions of this
   * client: a send and its replacements, any of which may be mined. With `onReplaced`, a transaction that stays
   * pending is replaced at higher fees (see WaitOptions). Throws ChainRpcError after the receipt timeout,
   * NonceTakenError when another transaction took their nonce and TransactionDroppedError when the node knows
   * none of them any more (both retryable: reconcile with the chain, then send again).
   */
  waitForReceipt(hashes: Hex | readonly Hex[], options?: WaitOptions): Promise<TxReceipt>;
  /** The receipt when mined, null when unknown or still pending. */
  getReceipt(hash: Hex): Promise<TxReceipt | null>;
  /** Whether the node knows the transaction (mined or pending). */
  hasTransaction(hash: Hex): Promise<boolean>;
  /** The event id from the `EventCreated` log of a createEvent receipt. */
  createdEventId(hash: Hex): Promise<bigint>;
}
