// The URNs that tie a credential's issuer and achievement to an organisation and an event of one registry.

import type { Address } from "./viem";

/** The parts of `urn:intyg:org:<chainId>:<registry>:<organisationId>`. */
export type OrganisationUrnParts = { chainId: number; registry: Address; organisationId: number };

/** The parts of `urn:intyg:event:<chainId>:<registry>:<eventId>`. */
export type EventUrnParts = { chainId: number; registry: Address; eventId: bigint };

const UINT32_MAX = 2n ** 32n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const DECIMAL = "(0|[1-9][0-9]{0,19})";
const ORGANISATION_URN = new RegExp(`^urn:intyg:org:${DECIMAL}:(0x[0-9a-f]{40}):${DECIMAL}$`);
const EVENT_URN = new RegExp(`^urn:intyg:event:${DECIMAL}:(0x[0-9a-f]{40}):${DECIMAL}$`);

function chainIdOf(decimal: string): number | undefined {
  const value = Number(decimal);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** The organisation that owns an event: the high 32 bits of its id, as the registry assigns ids. */
export function organisationIdOfEvent(eventId: bigint): number {
  return Number(eventId >> 32n);
}

/** `urn:intyg:org:<chainId>:<registry lowercase>:<organisationId>`, the issuer's id. */
export function organisationUrn(chainId: number, registry: Address, organisationId: number): string {
  return `urn:intyg:org:${chainId}:${registry.toLowerCase()}:${organisationId}`;
}

/** `urn:intyg:event:<chainId>:<registry lowercase>:<eventId>`, the achievement's id. */
export function eventUrn(chainId: number, registry: Address, eventId: bigint): string {
  return `urn:intyg:event:${chainId}:${registry.toLowerCase()}:${eventId}`;
}

/** The parts of an issuer id, or undefined when it is not a well-formed organisation URN. */
export function parseOrganisationUrn(urn: string): OrganisationUrnParts | undefined {
  const m = ORGANISATION_URN.exec(urn);
  if (!m) return undefined;
  const chainId = chainIdOf(m[1]!);
  const organisationId = BigInt(m[3]!);
  if (chainId === undefined || organisationId === 0n || organisationId > UINT32_MAX) return undefined;
  return { chainId, registry: m[2] as Address, organisationId: Number(organisationId) };
}

/** The parts of an achievement id, or undefined when it is not a well-formed event URN. */
export function parseEventUrn(urn: string): EventUrnParts | undefined {
  const m = EVENT_URN.exec(urn);
  if (!m) return undefined;
  const chainId = chainIdOf(m[1]!);
  const eventId = BigInt(m[3]!);
  if (chainId === undefined || eventId === 0n || eventId > UINT64_MAX) return undefined;
  return { chainId, registry: m[2] as Address, eventId };
}
