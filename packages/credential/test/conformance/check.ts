// Standards checks for tests: JSON-LD expansion in safe mode with only the shipped contexts, and 1EdTech's
// Open Badges 3.0 AchievementCredential JSON schema (draft 2019-09). Used by this package's tests and by the
// service's, for credentials they issue.

import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import { INTYG_VOCABULARY, localContextLoader } from "../../src";
import achievementCredentialSchema from "./ob_v3p0_achievementcredential.json";

/** Expands `doc` in safe mode (an undefined term, a relative IRI or a dropped value is an error). */
export async function expandSafely(doc: unknown): Promise<unknown[]> {
  return (await (jsonld.expand as (...args: unknown[]) => Promise<unknown>)(
    doc as never,
    {
      safe: true,
      documentLoader: localContextLoader as never,
    } as never,
  )) as unknown[];
}

/** Every property IRI and `@type` of an expanded document (to check that each term resolved to a vocabulary). */
export function expandedIris(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) expandedIris(item, out);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "@value") continue;
      if (!key.startsWith("@")) out.add(key);
      if (key === "@type") for (const type of [item].flat()) if (typeof type === "string") out.add(type);
      if (key !== "@value") expandedIris(item, out);
    }
  }
  return out;
}

/** The namespaces a credential's expanded terms may come from: the standards' and Intyg's own. */
export const KNOWN_NAMESPACES = [
  "https://www.w3.org/2018/credentials#",
  "https://w3id.org/security#",
  "https://purl.imsglobal.org/spec/vc/ob/vocab.html#",
  "https://schema.org/",
  "http://purl.org/dc/terms/",
  "http://www.w3.org/2001/XMLSchema#",
  // The OB 3.0 context writes some datatypes with https.
  "https://www.w3.org/2001/XMLSchema#",
  "@json",
  INTYG_VOCABULARY,
];

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validateAchievementCredential = ajv.compile(achievementCredentialSchema);

/** The OB 3.0 schema's errors for `doc` (empty when it validates). */
export function openBadgesErrors(doc: unknown): string[] {
  if (validateAchievementCredential(doc)) return [];
  return (validateAchievementCredential.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
