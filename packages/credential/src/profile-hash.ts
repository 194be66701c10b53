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

/**
 * The event metadata hash: `keccak256(JCS(achievement without its id))`, where each part's id is written
 * relative to the achievement (`#day1`), since a part's URL starts with the id the registry has yet to assign.
 */
export function eventMetadataHash(achievement: Achievement | Omit<Achievement, "id">): Hex {
  const { id, ...rest } = achievement as Achievement;
  const parts = (rest as { parts?: unknown }).parts;
  if (typeof id === "string" && Array.isArray(parts)) {
    (rest as { parts?: unknown }).parts = parts.map((part: { id?: unknown }) =>
      typeof part?.id === "string" && part.id.startsWith(`${id}#`)
        ? { ...part, id: part.id.slice(id.length) }
        : part,
    );
  }
  return bytesHex(keccakUtf8(canonicalJson(rest)));
}
