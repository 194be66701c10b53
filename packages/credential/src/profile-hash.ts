// The hashes the registry keeps of off-chain metadata: an organisation's profile and an event's or course's
// description. The ids are left out because the registry assigns them after it receives the hash.

import { canonicalJson } from "./canonical";
import type { Achievement } from "./schema/achievement";
import type { IssuerProfile } from "./schema/issuer";
import { type Hex, keccak256, stringToBytes } from "./viem";

/** The organisation profile hash: `keccak256(JCS({ name, legalName, organisationNumber, url }))`. */
export function organisationProfileHash(
  profile: Pick<IssuerProfile, "name" | "legalName" | "organisationNumber" | "url">,
): Hex {
  const { name, legalName, organisationNumber, url } = profile;
  return keccak256(stringToBytes(canonicalJson({ name, legalName, organisationNumber, url })));
}

/** The event metadata hash: `keccak256(JCS(achievement without its id))`. */
export function eventMetadataHash(achievement: Achievement | Omit<Achievement, "id">): Hex {
  const { id: _id, ...rest } = achievement as Achievement;
  return keccak256(stringToBytes(canonicalJson(rest)));
}
