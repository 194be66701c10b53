// The hashes the registry keeps of off-chain metadata: an organisation's profile and organisation number, and an
// event's or course's description. An event's id is left out because the registry assigns it after it receives
// the hash; an organisation's profile names the organisation's registry id, so that one organisation's profile
// hash never matches another's.

import { canonicalJson } from "./canonical";
import { bytesHex, keccakUtf8 } from "./hash";
import type { Achievement } from "./schema/achievement";
import type { IssuerProfile } from "./schema/issuer";
import type { Hex } from "./viem";

/**
 * The organisation profile hash: `keccak256(JCS({ organisationId, name, legalName, organisationNumber, url }))`,
 * where `organisationId` is the organisation's id in the registry.
 */
export function organisationProfileHash(
  profile: Pick<IssuerProfile, "name" | "legalName" | "organisationNumber" | "url">,
  organisationId: number,
): Hex {
  const { name, legalName, organisationNumber, url } = profile;
  return bytesHex(keccakUtf8(canonicalJson({ organisationId, name, legalName, organisationNumber, url })));
}

/**
 * The hash of an organisation number as the registry keeps it (unique among accredited organisations):
 * `keccak256(utf8("intyg:organisation-number:" + organisationNumber))`, the number written `NNNNNN-NNNN`.
 */
export function organisationNumberHash(organisationNumber: string): Hex {
  return bytesHex(keccakUtf8(`intyg:organisation-number:${organisationNumber}`));
}

/** The event metadata hash: `keccak256(JCS(achievement without its id))`. */
export function eventMetadataHash(achievement: Achievement | Omit<Achievement, "id">): Hex {
  const { id: _id, ...rest } = achievement as Achievement;
  return bytesHex(keccakUtf8(canonicalJson(rest)));
}
