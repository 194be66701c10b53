// The adapter between the service's records and @intyg/credential: the service never lays out a credential
// itself; it maps an organisation, an event and an attendee onto the package's builders and signers.

import { randomUUID } from "node:crypto";
import {
  type AttendanceEventParams,
  buildAttendanceCredential,
  buildCourseCredential,
  type CourseParams,
  type Credential,
  eventMetadataHash,
  type IssuerParams,
  type SubjectParams,
  signCredential,
  type UnsignedCredential,
} from "@intyg/credential";
import type { Address, Hex } from "viem";
import { pooledSalt } from "./random";
import type { Signer } from "./signer";
import type { EventKind, Organisation } from "./store/types";

/** The off-chain organisation profile a credential carries (its hash is the on-chain profile). */
export type OrganisationProfile = {
  name: string;
  legalName: string;
  organisationNumber: string;
  url: string;
};

export type AttendanceDetails = AttendanceEventParams;
export type CourseDetails = CourseParams;
export type EventDetails = AttendanceDetails | CourseDetails;

/** Where credentials are anchored. */
export type Anchorage = { chainId: number; registry: Address };

export function issuerParams(organisation: Organisation): IssuerParams {
  const profile = organisation.profile as OrganisationProfile;
  return {
    organisationId: organisation.chainOrganisationId,
    name: profile.name,
    legalName: profile.legalName,
    organisationNumber: profile.organisationNumber,
    url: profile.url,
  };
}

export type BuildParams = Anchorage & {
  organisation: Organisation;
  kind: EventKind;
  details: EventDetails;
  chainEventId: bigint;
  subject: SubjectParams;
  /** The credential's UUID (without `urn:uuid:`). */
  id?: string;
  validFrom?: Date;
  validUntil?: string;
  /** VC 2.0 `description` of the credential (VC-API). */
  description?: string;
  now?: () => Date;
};

/** An unsigned credential (with its salted commitment) for one attendee of an event or course. */
export function buildCredential(params: BuildParams): { id: string; document: UnsignedCredential } {
  const id = params.id ?? randomUUID();
  const common = {
    chainId: params.chainId,
    registry: params.registry,
    eventId: params.chainEventId,
    issuer: issuerParams(params.organisation),
    subject: params.subject,
    id: `urn:uuid:${id}`,
    // Fresh salts from a pool of random bytes (one CSPRNG call per thousand salts, not one per claim).
    salt: pooledSalt,
    ...(params.validFrom ? { validFrom: params.validFrom } : {}),
    ...(params.validUntil ? { validUntil: params.validUntil } : {}),
    ...(params.description ? { description: params.description } : {}),
    ...(params.now ? { now: params.now } : {}),
  };
  const document =
    params.kind === "course"
      ? buildCourseCredential({ ...common, course: params.details as CourseDetails })
      : buildAttendanceCredential({ ...common, event: params.details as AttendanceDetails });
  return { id, document };
}

/**
 * The metadata hash the registry keeps for an event or course: the hash of the achievement exactly as the
 * credentials will carry it (built by the package's own builder, so both agree). Throws the package's
 * InvalidCredentialError when the details do not fit the credential schema.
 */
export function eventMetadata(
  params: Anchorage & { organisation: Organisation; kind: EventKind; details: EventDetails },
): { metadataHash: Hex; achievement: Record<string, unknown> } {
  const { document } = buildCredential({ ...params, chainEventId: 1n, subject: {} });
  const achievement = document.credentialSubject.achievement;
  return {
    metadataHash: eventMetadataHash(achievement),
    achievement: achievement as Record<string, unknown>,
  };
}

/** Signs one credential on its own (a single issuance, optionally with a soulbound token to `holder`). */
export function signSingle(
  document: UnsignedCredential,
  params: { signer: Signer; deadline: number; holder?: Address | null; created?: Date },
): Promise<Credential> {
  return signCredential(document, {
    account: params.signer,
    deadline: params.deadline,
    ...(params.holder ? { holder: params.holder } : {}),
    ...(params.created ? { created: params.created } : {}),
  });
}

/** `did:pkh` of a wallet, the subject id of a credential bound to it. */
export function holderDid(chainId: number, address: Address): string {
  return `did:pkh:eip155:${chainId}:${address}`;
}
