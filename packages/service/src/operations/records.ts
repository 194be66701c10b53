// What the chain's records must say for an operation to be done: checked field by field, not only present.

import type { RegistryRecord } from "../chain/client";
import type { Inspection } from "./track";

/** The organisation that owns a registry event id (its high 32 bits): the namespace of its records. */
export function organisationOfEvent(eventId: bigint | string): number {
  return Number(BigInt(eventId) >> 32n);
}

/** What an item expects its on-chain record to say. */
export type ExpectedRecord = { eventId: bigint; batchSize: number; validUntil: number };

/** Why an on-chain record is not the one expected, or null when it is. */
export function recordMismatch(
  onChain: { eventId: bigint; batchSize: number; validUntil: number },
  expected: ExpectedRecord,
): string | null {
  const differences: string[] = [];
  if (onChain.eventId !== expected.eventId)
    differences.push(`event ${onChain.eventId} instead of ${expected.eventId}`);
  if (onChain.batchSize !== expected.batchSize)
    differences.push(`batch size ${onChain.batchSize} instead of ${expected.batchSize}`);
  if (onChain.validUntil !== expected.validUntil)
    differences.push(`validUntil ${onChain.validUntil} instead of ${expected.validUntil}`);
  return differences.length === 0 ? null : `the on-chain record differs: ${differences.join(", ")}`;
}

/** A record read from the chain as an inspection: present when issued, checked against `expected`. */
export function recordInspection(onChain: RegistryRecord, expected: ExpectedRecord | null): Inspection {
  const present = onChain.issuedAt !== 0;
  if (expected) return { present, mismatch: recordMismatch(onChain, expected) };
  return { present, mismatch: present ? null : "the credential is not anchored" };
}

/** Reverts that mean the work is already done on chain. */
export const ANCHORED_ALREADY: ReadonlySet<string> = new Set(["IntygRegistryAlreadyAnchored"]);
export const REVOKED_ALREADY: ReadonlySet<string> = new Set(["IntygRegistryAlreadyRevoked"]);
