// A plain-function check of what `credentialSkeletonSchema` checks, for the hot loop of a batch verification:
// zod spends about 35 µs on one credential's skeleton (polymorphic calls through a hundred schema nodes), this
// a fraction of that. It never decides alone that a document is invalid: where it says no, or meets anything
// it does not know (an Open Badges result, say), the caller asks the zod schema, which gives the verdict and the
// issues. Where it says yes, the zod schema says yes too: it is as strict or stricter, field by field, and the
// credential package's tests hold it to that against the schema on random and mutated documents.

import { z } from "zod";
import { ANCHOR_TYPE, COMMITMENT_TYPE, CREDENTIAL_CONTEXT, CREDENTIAL_TYPE } from "../constants";
import { isIsoDate, isIsoDateTime } from "../time";
import { isAddress } from "../viem";
import { isClaimsRecord, isLowerHex } from "./commitment";
import { validityProblems } from "./credential";
import { IDENTITY_TYPES, SUBJECT_ROLES, type SubjectValue, subjectProblems } from "./subject";

type Record_ = Record<string, unknown>;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT64 = /^(0|[1-9][0-9]{0,19})$/;
const UINT64_MAX = 2n ** 64n - 1n;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SUBJECT_ID = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;
const IDENTITY_HASH = /^sha256\$[0-9a-f]{64}$/;
const EXT_IDENTITY_TYPE = /^ext:[A-Za-z0-9._-]{1,100}$/;
const IDENTITY_TYPE_SET: ReadonlySet<string> = new Set(IDENTITY_TYPES);
const ROLE_SET: ReadonlySet<string> = new Set(SUBJECT_ROLES);

const isBytes32 = (value: unknown): boolean => isLowerHex(value, 64);

/**
 * The last few strings a slow check accepted (a batch's credentials share their registry and dates): the same
 * string gets the same answer, so a hit is as strong as the check.
 */
class Accepted {
  private readonly seen = new Set<string>();
  constructor(private readonly check: (value: string) => boolean) {}
  test(value: unknown): boolean {
    if (typeof value !== "string") return false;
    if (this.seen.has(value)) return true;
    if (!this.check(value)) return false;
    if (this.seen.size >= 16) this.seen.clear();
    this.seen.add(value);
    return true;
  }
}

const addresses = new Accepted((value) => ADDRESS.test(value) && isAddress(value));
const dateTimes = new Accepted(isIsoDateTime);

function isPlain(value: unknown): value is Record_ {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Every own key is one of `allowed` (a strict object); `__proto__` is never accepted. */
function onlyKeys(value: Record_, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** `textSchema(max)`: a non-blank string of 1 to `max` UTF-16 units. */
function isText(value: unknown, max: number): boolean {
  return typeof value === "string" && value.length >= 1 && value.length <= max && value.trim().length > 0;
}

function isOptionalText(value: unknown, max: number): boolean {
  return value === undefined || isText(value, max);
}

function isTuple(value: unknown, items: readonly string[]): boolean {
  if (!Array.isArray(value) || value.length !== items.length) return false;
  for (let i = 0; i < items.length; i++) if (value[i] !== items[i]) return false;
  return true;
}

const isDateTime = (value: unknown): value is string => dateTimes.test(value);

function isTextArray(value: unknown, min: number, max: number, itemMax: number): boolean {
  if (!Array.isArray(value) || value.length < min || value.length > max) return false;
  for (const item of value) if (!isText(item, itemMax)) return false;
  return true;
}

const IDENTITY_KEYS = new Set(["type", "identityType", "identityHash", "hashed", "salt"]);

function isIdentityObject(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, IDENTITY_KEYS)) return false;
  const { type, identityType, identityHash, hashed, salt } = value;
  return (
    type === "IdentityObject" &&
    typeof identityType === "string" &&
    (IDENTITY_TYPE_SET.has(identityType) || EXT_IDENTITY_TYPE.test(identityType)) &&
    typeof identityHash === "string" &&
    IDENTITY_HASH.test(identityHash) &&
    hashed === true &&
    isOptionalText(salt, 200)
  );
}

/** The subject's keys this check knows; a subject with a `result` goes to the zod schema. */
const SUBJECT_KEYS = new Set([
  "type",
  "achievement",
  "id",
  "name",
  "email",
  "birthDate",
  "organisation",
  "role",
  "team",
  "partsAttended",
  "identifier",
]);

function isSubject(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, SUBJECT_KEYS)) return false;
  const s = value;
  if (!isTuple(s.type, ["AchievementSubject"])) return false;
  // The achievement was checked by its own schema before (see checkCredentialJson); its refinement needs it.
  if (!isPlain(s.achievement)) return false;
  if (s.id !== undefined && !(isText(s.id, 300) && SUBJECT_ID.test(s.id as string))) return false;
  if (!isOptionalText(s.name, 300) || !isOptionalText(s.organisation, 300) || !isOptionalText(s.team, 300))
    return false;
  if (
    s.email !== undefined &&
    !(typeof s.email === "string" && s.email.length <= 320 && z.regexes.unicodeEmail.test(s.email))
  )
    return false;
  if (s.birthDate !== undefined && !(typeof s.birthDate === "string" && isIsoDate(s.birthDate))) return false;
  if (s.role !== undefined && !(typeof s.role === "string" && ROLE_SET.has(s.role))) return false;
  if (s.partsAttended !== undefined && !isTextArray(s.partsAttended, 1, 200, 1200)) return false;
  if (s.identifier !== undefined) {
    const ids = s.identifier;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20) return false;
    for (const id of ids) if (!isIdentityObject(id)) return false;
  }
  return subjectProblems(s as SubjectValue).length === 0;
}

const COMMITMENT_KEYS = new Set(["type", "root", "claims"]);

function isCommitment(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, COMMITMENT_KEYS)) return false;
  return value.type === COMMITMENT_TYPE && isBytes32(value.root) && isClaimsRecord(value.claims);
}

const BATCH_KEYS = new Set(["root", "leaf", "proof", "size"]);

function isBatch(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, BATCH_KEYS)) return false;
  const { root, leaf, proof, size } = value;
  if (!isBytes32(root) || !isBytes32(leaf)) return false;
  if (!Array.isArray(proof) || proof.length > 64) return false;
  for (const node of proof) if (!isBytes32(node)) return false;
  return typeof size === "number" && Number.isInteger(size) && size >= 1 && size <= 2 ** 32 - 1;
}

const ANCHOR_KEYS = new Set(["type", "chainId", "registry", "eventId", "batch"]);

function isAnchor(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, ANCHOR_KEYS)) return false;
  const { type, chainId, registry, eventId, batch } = value;
  return (
    type === ANCHOR_TYPE &&
    typeof chainId === "number" &&
    Number.isSafeInteger(chainId) &&
    chainId > 0 &&
    addresses.test(registry) &&
    typeof eventId === "string" &&
    UINT64.test(eventId) &&
    BigInt(eventId) <= UINT64_MAX &&
    (batch === undefined || isBatch(batch))
  );
}

const CREDENTIAL_KEYS = new Set([
  "@context",
  "id",
  "type",
  "name",
  "description",
  "issuer",
  "validFrom",
  "validUntil",
  "credentialSubject",
  "commitment",
  "proof",
  "anchor",
]);

/**
 * True only where `credentialSkeletonSchema` accepts `value`, a document that `JSON.parse` made whose issuer,
 * achievement and proof passed their own schemas. False says nothing: ask the schema.
 */
export function isCredentialSkeleton(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, CREDENTIAL_KEYS)) return false;
  const d = value;
  if (!isTuple(d["@context"], CREDENTIAL_CONTEXT) || !isTuple(d.type, CREDENTIAL_TYPE)) return false;
  if (typeof d.id !== "string" || !UUID_URN.test(d.id)) return false;
  if (!isText(d.name, 300) || !isOptionalText(d.description, 5000)) return false;
  if (!isDateTime(d.validFrom) || (d.validUntil !== undefined && !isDateTime(d.validUntil))) return false;
  if (validityProblems({ validFrom: d.validFrom, validUntil: d.validUntil as string | undefined }).length > 0)
    return false;
  return isSubject(d.credentialSubject) && isCommitment(d.commitment) && isAnchor(d.anchor);
}
