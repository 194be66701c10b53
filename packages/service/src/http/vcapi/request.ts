// What a VC-API issue request may ask for, checked against what the service can honour. The service never
// replaces a requested value silently: each property it cannot carry, or a value it would have to change, is
// refused with its path and the reason, in one 422 problem.

import { CREDENTIAL_CONTEXT, CREDENTIAL_TYPE, KNOWN_CONTEXTS, toIsoSeconds } from "@intyg/credential";
import { ServiceError } from "../../errors";

/** One refused property: its JSON pointer in the request and why. */
export type RequestIssue = { path: string; code: string; message: string };

/** The credential properties the service carries (all others are refused by name). */
const HONOURED = new Set([
  "@context",
  "type",
  "issuer",
  "name",
  "description",
  "validFrom",
  "validUntil",
  "credentialSubject",
]);

/** Why the optional VC 2.0 properties the format has no place for are refused. */
const REFUSED: Record<string, string> = {
  id: "the service gives every credential its own urn:uuid id",
  credentialStatus:
    "revocation is recorded in the registry on chain, which verifiers read; there is no status list",
  credentialSchema:
    "the credential follows the Open Badges 3.0 AchievementCredential schema; no other can be named",
  evidence: "the format carries no evidence",
  termsOfUse: "the format carries no terms of use",
  refreshService: "the format carries no refresh service",
  relatedResource: "the format carries no related resources",
  renderMethod: "the format carries no render method",
  proof: "the service signs the credential itself",
};

/** Every top-level term the shipped contexts define, with its IRI: what a redundant object context may restate. */
const KNOWN_TERMS: ReadonlyMap<string, string> = (() => {
  const terms = new Map<string, string>();
  for (const document of KNOWN_CONTEXTS.values()) {
    const context = document["@context"] as Record<string, unknown>;
    for (const [term, definition] of Object.entries(context)) {
      if (term.startsWith("@")) continue;
      const iri =
        typeof definition === "string"
          ? definition
          : typeof definition === "object" && definition !== null
            ? (definition as { "@id"?: unknown })["@id"]
            : undefined;
      if (typeof iri === "string" && !terms.has(term)) terms.set(term, iri);
    }
  }
  return terms;
})();

function contextIssues(context: unknown): RequestIssue[] {
  if (context === undefined) return [];
  const entries = Array.isArray(context) ? context : [context];
  if (entries[0] !== CREDENTIAL_CONTEXT[0]) {
    return [
      { path: "/credential/@context/0", code: "context", message: `must be "${CREDENTIAL_CONTEXT[0]}"` },
    ];
  }
  const issues: RequestIssue[] = [];
  for (const [i, entry] of entries.entries()) {
    if (i === 0) continue;
    if (typeof entry === "string") {
      if (!CREDENTIAL_CONTEXT.includes(entry as never)) {
        issues.push({
          path: `/credential/@context/${i}`,
          code: "context",
          message: `an unknown context; credentials use ${CREDENTIAL_CONTEXT.join(", ")}`,
        });
      }
      continue;
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      issues.push({
        path: `/credential/@context/${i}`,
        code: "context",
        message: "must be a URL or an object",
      });
      continue;
    }
    // An object context is honoured when it only restates terms with the meaning the issued contexts give them.
    for (const [term, definition] of Object.entries(entry)) {
      if (term === "@version" || term === "@protected") continue;
      const iri =
        typeof definition === "string"
          ? definition
          : typeof definition === "object" && definition !== null && Object.keys(definition).length === 1
            ? (definition as { "@id"?: unknown })["@id"]
            : undefined;
      if (KNOWN_TERMS.get(term) === undefined || KNOWN_TERMS.get(term) !== iri) {
        issues.push({
          path: `/credential/@context/${i}/${term.slice(0, 80)}`,
          code: "context-term",
          message: "a term the issued credential's contexts do not define with this meaning",
        });
      }
    }
  }
  return issues;
}

function typeIssues(type: unknown): RequestIssue[] {
  if (type === undefined) return [];
  const types = Array.isArray(type) ? type : [type];
  const allowed = new Set<unknown>([...CREDENTIAL_TYPE, "AchievementCredential"]);
  const unknown = types.findIndex((t) => !allowed.has(t));
  if (unknown >= 0 || !types.includes("VerifiableCredential")) {
    return [
      {
        path: unknown >= 0 ? `/credential/type/${unknown}` : "/credential/type",
        code: "type",
        message: `credentials are of type ${CREDENTIAL_TYPE.join(" and ")} (AchievementCredential is the same)`,
      },
    ];
  }
  return [];
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 date-time with any offset, as a Date (undefined when malformed). */
export function parseDateTime(value: unknown): Date | undefined {
  if (typeof value !== "string" || !DATE_TIME.test(value)) return undefined;
  const millis = Date.parse(value.toUpperCase());
  return Number.isNaN(millis) ? undefined : new Date(millis);
}

/** What the service will issue, once every requested property is known to be honoured. */
export type HonouredRequest = { validFrom?: Date; validUntil?: string; description?: string };

/**
 * Checks the credential of an issue request (its subject is checked by the route's schema) and returns the
 * dates normalised to UTC. Throws a 422 problem listing every property that cannot be honoured.
 */
export function honourRequest(
  credential: Record<string, unknown>,
  expected: { issuerId: string; issuer: Record<string, unknown>; name: string; now: Date },
): HonouredRequest {
  const issues: RequestIssue[] = [];
  for (const key of Object.keys(credential)) {
    if (HONOURED.has(key)) continue;
    issues.push({
      path: `/credential/${key.slice(0, 80)}`,
      code: "unsupported-property",
      message: REFUSED[key] ?? "not a property the service can carry",
    });
  }
  issues.push(...contextIssues(credential["@context"]), ...typeIssues(credential.type));

  const issuer = credential.issuer;
  if (issuer !== undefined) {
    const { id, ...rest } =
      typeof issuer === "object" && issuer !== null ? (issuer as Record<string, unknown>) : { id: issuer };
    if (id !== expected.issuerId) {
      issues.push({
        path: "/credential/issuer",
        code: "issuer",
        message: `the issuer is ${expected.issuerId}`,
      });
    }
    for (const [key, value] of Object.entries(rest)) {
      if (JSON.stringify(expected.issuer[key]) !== JSON.stringify(value)) {
        issues.push({
          path: `/credential/issuer/${key.slice(0, 80)}`,
          code: "issuer",
          message: "differs from the organisation's registered profile",
        });
      }
    }
  }
  if (credential.name !== undefined && credential.name !== expected.name) {
    issues.push({
      path: "/credential/name",
      code: "name",
      message: "the credential's name is the event's name",
    });
  }

  const honoured: HonouredRequest = {};
  const { description } = credential;
  if (description !== undefined) {
    if (typeof description !== "string" || description.trim() === "" || description.length > 5000) {
      issues.push({
        path: "/credential/description",
        code: "description",
        message: "must be a text of 1–5,000 characters",
      });
    } else {
      honoured.description = description;
    }
  }
  let validFrom = expected.now;
  if (credential.validFrom !== undefined) {
    const parsed = parseDateTime(credential.validFrom);
    if (parsed === undefined) {
      issues.push({
        path: "/credential/validFrom",
        code: "date-time",
        message: "must be an RFC 3339 date-time",
      });
    } else {
      validFrom = parsed;
      honoured.validFrom = parsed;
    }
  }
  if (credential.validUntil !== undefined) {
    const parsed = parseDateTime(credential.validUntil);
    if (parsed === undefined) {
      issues.push({
        path: "/credential/validUntil",
        code: "date-time",
        message: "must be an RFC 3339 date-time",
      });
    } else if (parsed.getTime() <= validFrom.getTime()) {
      issues.push({
        path: "/credential/validUntil",
        code: "validity",
        message: "must be after validFrom (or after now when validFrom is not given)",
      });
    } else {
      honoured.validUntil = toIsoSeconds(parsed);
    }
  }
  if (issues.length > 0) {
    throw new ServiceError(
      "vcapi.unsupported-properties",
      { count: issues.length, paths: issues.map((issue) => issue.path).join(", ") },
      { extensions: { errors: issues } },
    );
  }
  return honoured;
}
