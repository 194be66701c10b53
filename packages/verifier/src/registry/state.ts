// The registry state a verification needs, as plain values. The same shapes come from a live chain
// (the registry's views) and from a recorded snapshot.

import {
  type EventState,
  emptyRegistryView,
  type LeafRevocationState,
  type OrganisationState,
  type ProfileVersionState,
  type RecordState,
  type RegistryView,
  type RegistryViewValue,
  type SigningKeyState,
} from "@intyg/registry";
import type { Address, Hex } from "viem";

export type {
  EventState,
  LeafRevocationState,
  OrganisationState,
  ProfileVersionState,
  RecordState,
  SigningKeyState,
};

/** The reads of the registry's views a verification makes (all but batch membership, which proofs answer). */
export type RegistryViewQuery = RegistryView<
  "organisation" | "signingKey" | "event" | "record" | "leafRevocation" | "supersededBy" | "profileHistory"
>;

/**
 * One read of the registry: one of its views, or every metadata hash an event has had, which its events say
 * (read only when needed). Records, leaf revocations and supersessions live in their organisation's namespace:
 * the same commitment may be anchored by two organisations, each in its own record.
 */
export type RegistryQuery = RegistryViewQuery | { kind: "metadataHistory"; eventId: bigint };

/** The result type of each kind of query. */
export type RegistryValue<Q extends RegistryQuery> = Q extends { kind: "metadataHistory" }
  ? Hex[]
  : Q extends RegistryViewQuery
    ? RegistryViewValue<Q["kind"]>
    : never;

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

/** What the registry answers for something that does not exist: all zeros, and no history. */
export function emptyValue(query: RegistryQuery): RegistryValue<RegistryQuery> {
  return query.kind === "metadataHistory" ? [] : emptyRegistryView(query);
}

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
