// The registry's state as plain values: what its views return, with times (uint40) as numbers and ids wider
// than 48 bits as bigints. The same shapes come from a live chain and from a recorded snapshot.

import type { Address, Hex } from "viem";

export type OrganisationState = {
  profileHash: Hex;
  admin: Address;
  /** One of ORGANISATION_STATUS (a snapshot is read back as any number, and checked against it). */
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
  /** One of EVENT_KIND. */
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
