// Claims and their paths. Every top-level property of a credential except `commitment`, `proof`, `anchor`
// and `credentialSubject` is one claim, and so is every property of `credentialSubject`. A claim is named by
// its JSON pointer (RFC 6901): `/issuer`, `/credentialSubject/name`.

/** Top-level properties that are not claims themselves. */
export const NON_CLAIM_PROPERTIES: readonly string[] = ["commitment", "proof", "anchor", "credentialSubject"];

/**
 * Subject properties that may never be hidden. `identifier` identifies the subject for Open Badges when it has
 * no id; it is always hashed, salted with a salt that only the holder's own copy reveals.
 */
export const UNHIDEABLE_SUBJECT_PROPERTIES: readonly string[] = ["type", "achievement", "identifier"];

/** Claims every credential reveals. (`/validUntil` is optional, and bound by the signed request instead.) */
export const REQUIRED_CLAIM_PATHS: readonly string[] = [
  "/@context",
  "/id",
  "/type",
  "/name",
  "/issuer",
  "/validFrom",
  "/credentialSubject/type",
  "/credentialSubject/achievement",
  "/credentialSubject/identifier",
];

/** Where a claim lives: a top-level property, or a property of `credentialSubject`. */
export type ClaimLocation = { scope: "credential" | "subject"; property: string };

const SUBJECT_PREFIX = "/credentialSubject/";

/** One JSON pointer reference token: `~` becomes `~0` and `/` becomes `~1`. */
export function escapePointerToken(token: string): string {
  if (!token.includes("~") && !token.includes("/")) return token;
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointerToken(token: string): string | undefined {
  if (!token.includes("~")) return token;
  if (/~[^01]|~$/.test(token)) return undefined;
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The path of a claim. */
export function claimPath(location: ClaimLocation): string {
  const token = escapePointerToken(location.property);
  return location.scope === "subject" ? `${SUBJECT_PREFIX}${token}` : `/${token}`;
}

/** Where the claim at `path` lives, or undefined when `path` names no possible claim. */
export function parseClaimPath(path: string): ClaimLocation | undefined {
  if (path.startsWith(SUBJECT_PREFIX)) {
    const token = path.slice(SUBJECT_PREFIX.length);
    if (token.includes("/")) return undefined;
    const property = unescapePointerToken(token);
    return property === undefined ? undefined : { scope: "subject", property };
  }
  if (!path.startsWith("/")) return undefined;
  const token = path.slice(1);
  if (token.includes("/")) return undefined;
  const property = unescapePointerToken(token);
  if (property === undefined || NON_CLAIM_PROPERTIES.includes(property)) return undefined;
  return { scope: "credential", property };
}

/** True when the claim at `path` may be hidden: a subject claim other than `type` and `achievement`. */
export function isHideableClaimPath(path: string): boolean {
  const location = parseClaimPath(path);
  return location?.scope === "subject" && !UNHIDEABLE_SUBJECT_PROPERTIES.includes(location.property);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ownValue(container: unknown, property: string): unknown {
  if (!isPlainObject(container) || !Object.hasOwn(container, property)) return undefined;
  return container[property];
}

/** The value of the claim at `location` in `doc`, or undefined when the document does not carry it. */
export function readClaim(doc: unknown, location: ClaimLocation): unknown {
  const container = location.scope === "subject" ? ownValue(doc, "credentialSubject") : doc;
  return ownValue(container, location.property);
}

/** The paths of all claims a document carries (properties with an undefined value are not carried). */
export function documentClaimPaths(doc: unknown): string[] {
  const paths: string[] = [];
  if (!isPlainObject(doc)) return paths;
  for (const [property, value] of Object.entries(doc)) {
    if (value === undefined || NON_CLAIM_PROPERTIES.includes(property)) continue;
    paths.push(claimPath({ scope: "credential", property }));
  }
  const subject = doc.credentialSubject;
  if (isPlainObject(subject)) {
    for (const [property, value] of Object.entries(subject)) {
      if (value !== undefined) paths.push(claimPath({ scope: "subject", property }));
    }
  }
  return paths;
}
