// The Open Badges `identifier` of a credential's subject. Open Badges 3.0 identifies the subject by its id or
// by an `IdentityObject`; a holder without a wallet has no id, and the e-mail must not be shown in the clear.
// So the builder adds a hashed identifier to every credential: `sha256$hex(sha256(utf8(value + salt)))` over
// the e-mail (else the name, else the credential id), where `salt` is the commitment salt of that very claim.
// A copy that hides the e-mail also drops that salt (a hidden claim keeps only its digest), so only the
// holder's own copy lets someone who knows the address check the identifier; no copy can be searched for it.

import { claimPath } from "./claims";
import type { SaltGenerator } from "./random";
import type { IdentityObject } from "./schema/subject";
import { sha256, stringToBytes } from "./viem";

/** `sha256$<hex>` of `value` with `salt` appended, as Open Badges' `IdentityHash` is written. */
export function identityHash(value: string, salt: string): string {
  return `sha256$${sha256(stringToBytes(`${value}${salt}`)).slice(2)}`;
}

/** The claim a holder identifier is made from, and its Open Badges identity type. */
export type IdentitySource = {
  identityType: "emailAddress" | "name" | "identifier";
  /** The JSON pointer of the claim whose value and salt are hashed. */
  path: string;
};

/** Which claim identifies the subject: the e-mail, else the name, else the credential's id. */
export function identitySource(subject: { email?: unknown; name?: unknown }): IdentitySource {
  if (typeof subject.email === "string") {
    return { identityType: "emailAddress", path: claimPath({ scope: "subject", property: "email" }) };
  }
  if (typeof subject.name === "string") {
    return { identityType: "name", path: claimPath({ scope: "subject", property: "name" }) };
  }
  return { identityType: "identifier", path: claimPath({ scope: "credential", property: "id" }) };
}

/**
 * The hashed identifier of a subject, salted with the source claim's salt from `salt` (which must return the
 * same salt for the same path when the commitment is computed later).
 */
export function holderIdentifier(params: {
  subject: { email?: unknown; name?: unknown };
  credentialId: string;
  salt: SaltGenerator;
}): IdentityObject {
  const source = identitySource(params.subject);
  const value =
    source.identityType === "emailAddress"
      ? (params.subject.email as string)
      : source.identityType === "name"
        ? (params.subject.name as string)
        : params.credentialId;
  return {
    type: "IdentityObject",
    identityType: source.identityType,
    hashed: true,
    identityHash: identityHash(value, params.salt(source.path)),
  };
}
