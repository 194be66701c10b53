// The registry state a verification needs, as plain values. The same shapes come from a live chain
// (the registry's views) and from a recorded snapshot.

import type { Address, Hex } from "viem";

/** `IIntygRegistry.OrganisationStatus`. */
export const ORGANISATION_STATUS = { none: 0, active: 1, suspended: 2 } as const;

/** `IIntygRegistry.EventKind`. */
export const EVENT_KIND = { none: 0, event: 1, course: 2 } as const;

export type OrganisationState = {
  profileHash: Hex;
  admin: Address;
  status: number;
  eventCount: number;
  suspendedAt: number;
  /** The hash of its organisation number, unique among accredited organisations. */
  organisationNumberHash: Hex;
};

/** A profile hash of an organisation and the time (unix seconds) from which it is in force. */
export type ProfileVersionState = { profileHash: Hex; since: number };

export type SigningKeyState = {
  organisationId: number;
  validFrom: number;
  validUntil: number;
  suspended: boolean;
};

export type EventState = {
  metadataHash: Hex;
  parentId: bigint;
  createdAt: number;
  kind: number;
};

export type RecordState = {
  eventId: bigint;
  issuedAt: number;
  validUntil: number;
  revokedAt: number;
  revocationReason: number;
  batchSize: number;
  /** The anchoring key's index in its organisation plus one. */
  anchoredBy: number;
};

export type LeafRevocationState = { revokedAt: number; reason: number };

/**
 * One read of the registry. Records, leaf revocations and supersessions live in their organisation's namespace:
 * the same commitment may be anchored by two organisations, each in its own record.
 */
export type RegistryQuery =
  | { kind: "organisation"; organisationId: number }
  | { kind: "signingKey"; key: Address }
  | { kind: "event"; eventId: bigint }
  | { kind: "record"; organisationId: number; commitment: Hex }
  | { kind: "leafRevocation"; organisationId: number; root: Hex; leaf: Hex }
  | { kind: "supersededBy"; organisationId: number; root: Hex; leaf: Hex }
  /** Every profile the organisation has had, with the time each came into force (the registry's view). */
  | { kind: "profileHistory"; organisationId: number }
  /** Every metadata hash the event has had, from the registry's events (read only when needed). */
  | { kind: "metadataHistory"; eventId: bigint };

/** The result type of each kind of query. */
export type RegistryValue<Q extends RegistryQuery> = Q extends { kind: "organisation" }
  ? OrganisationState
  : Q extends { kind: "signingKey" }
    ? SigningKeyState
    : Q extends { kind: "event" }
      ? EventState
      : Q extends { kind: "record" }
        ? RecordState
        : Q extends { kind: "leafRevocation" }
          ? LeafRevocationState
          : Q extends { kind: "profileHistory" }
            ? ProfileVersionState[]
            : Q extends { kind: "metadataHistory" }
              ? Hex[]
              : Hex;

/** A stable cache key for a query. Addresses and hashes are compared in lowercase. */
export function queryKey(query: RegistryQuery): string {
  switch (query.kind) {
    case "organisation":
      return `organisation:${query.organisationId}`;
    case "signingKey":
      return `signingKey:${query.key.toLowerCase()}`;
    case "event":
      return `event:${query.eventId}`;
    case "record":
      return `record:${query.organisationId}:${query.commitment.toLowerCase()}`;
    case "leafRevocation":
      return `leafRevocation:${query.organisationId}:${query.root.toLowerCase()}:${query.leaf.toLowerCase()}`;
    case "supersededBy":
      return `supersededBy:${query.organisationId}:${query.root.toLowerCase()}:${query.leaf.toLowerCase()}`;
    case "profileHistory":
      return `profileHistory:${query.organisationId}`;
    case "metadataHistory":
      return `metadataHistory:${query.eventId}`;
  }
}

const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
const ZERO_ADDRESS: Address = `0x${"0".repeat(40)}`;

/** What the registry's views return for something that does not exist: all zeros. */
export function emptyValue(query: RegistryQuery): RegistryValue<RegistryQuery> {
  switch (query.kind) {
    case "organisation":
      return {
        profileHash: ZERO_HASH,
        admin: ZERO_ADDRESS,
        status: 0,
        eventCount: 0,
        suspendedAt: 0,
        organisationNumberHash: ZERO_HASH,
      };
    case "signingKey":
      return { organisationId: 0, validFrom: 0, validUntil: 0, suspended: false };
    case "event":
      return { metadataHash: ZERO_HASH, parentId: 0n, createdAt: 0, kind: 0 };
    case "record":
      return {
        eventId: 0n,
        issuedAt: 0,
        validUntil: 0,
        revokedAt: 0,
        revocationReason: 0,
        batchSize: 0,
        anchoredBy: 0,
      };
    case "leafRevocation":
      return { revokedAt: 0, reason: 0 };
    case "supersededBy":
      return ZERO_HASH;
    case "profileHistory":
    case "metadataHistory":
      return [];
  }
}

export { ZERO_ADDRESS, ZERO_HASH };

/** The profile hash in force at `timestamp` (unix seconds) by a profile history, or undefined before the first. */
export function profileInForce(history: readonly ProfileVersionState[], timestamp: number): Hex | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.since <= timestamp) return history[i]!.profileHash;
  }
  return undefined;
}

/** The chain and block a reader answers for. */
export type ReaderContext = {
  source: "rpc" | "snapshot";
  chainId: number;
  registry: Address;
  blockNumber: bigint;
  /** Unix seconds of the block. */
  blockTimestamp: number;
  /** The block's hash (absent in snapshots recorded before it was kept). */
  blockHash?: Hex;
};

/** Answers registry queries at one block. Implementations cache what they read. */
export type RegistryReader = {
  /** The chain, registry and block the reader answers for (read once, then pinned). */
  context(): Promise<ReaderContext>;
  /** Reads many queries at once (batched); results are cached for later `get`. */
  load(queries: readonly RegistryQuery[]): Promise<void>;
  /** A loaded query's value; undefined when it was not loaded or could not be read. */
  get<Q extends RegistryQuery>(query: Q): RegistryValue<Q> | undefined;
};
