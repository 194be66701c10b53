// Parsing documents with the schemas, with errors that name paths and never values.

import type { z } from "zod";
import { escapePointerToken } from "./claims";
import { InvalidCredentialError, type SchemaIssue } from "./errors";
import { achievementSchema } from "./schema/achievement";
import {
  type Credential,
  credentialSchema,
  credentialSkeletonSchema,
  type UnsignedCredential,
  unsignedCredentialSchema,
} from "./schema/credential";
import { issuerProfileSchema } from "./schema/issuer";
import { proofSetSchema } from "./schema/proof";
import { isCredentialSkeleton } from "./schema/skeleton-check";

/** The issues of a zod error as JSON-pointer paths, codes and messages (zod messages carry no input values). */
export function toSchemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => `/${escapePointerToken(String(key))}`).join(""),
    code: issue.code,
    message: issue.message,
  }));
}

/** A signed credential (or a disclosed copy) checked against {@link credentialSchema}. */
export function parseCredential(value: unknown): Credential {
  const result = credentialSchema.safeParse(value);
  if (!result.success) throw new InvalidCredentialError(toSchemaIssues(result.error));
  return value as Credential;
}

/** An unsigned credential checked against {@link unsignedCredentialSchema}. */
export function parseUnsignedCredential(value: unknown): UnsignedCredential {
  const result = unsignedCredentialSchema.safeParse(value);
  if (!result.success) throw new InvalidCredentialError(toSchemaIssues(result.error));
  return value as UnsignedCredential;
}

/**
 * The JSON texts of the sections that the credentials of one batch share: as `JSON.stringify` writes them, or the
 * texts `JSON.parse` read them from. Either determines the section's value.
 */
export type SectionTexts = { issuer: string; achievement: string; proof: string };

export type CredentialJsonCheck =
  | { success: true; texts: SectionTexts }
  | { success: false; error: z.ZodError };

type Section = keyof SectionTexts;

const SECTION_SCHEMAS: Record<Section, z.ZodType> = {
  issuer: issuerProfileSchema,
  achievement: achievementSchema,
  proof: proofSetSchema,
};

/**
 * Texts of sections that passed their schema, each mapped to itself: a bounded set per section, started over when
 * full. The text returned is the first copy seen, so that a run of a batch's credentials keeps one copy of each.
 */
const validSections: Record<Section, Map<string, string>> = {
  issuer: new Map(),
  achievement: new Map(),
  proof: new Map(),
};
const VALID_SECTIONS_LIMIT = 256;

/**
 * A copy of `text` that holds only its own characters. A slice of a larger text (see `checkCredentialJson`'s
 * `parsedFrom`) is a view that keeps the whole text alive: kept by a memo, a few bytes of section would hold a
 * document of up to a megabyte for as long as the process runs.
 */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

function sectionText(value: unknown): string | undefined {
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * {@link credentialSchema}'s verdict on a value that `JSON.parse` made (only then: a value from JSON text is
 * determined by its `JSON.stringify` text, which a value with getters, `toJSON` or undefined properties is not).
 * The issuer, the achievement and the proof, which every credential of a batch carries alike, are checked by their
 * schemas once per distinct JSON text; the rest of the document by the same schema with those three taken as
 * checked. Every credential is still checked whole: a section is skipped only when a byte-identical section
 * passed its schema before. On failure the issues are those of {@link credentialSchema} itself.
 *
 * `parsedFrom` holds the texts `JSON.parse` read some of those sections from (slices of the document's text), where
 * the caller has them: they then stand for the sections instead of being written again. Each must be exactly the
 * text that section was parsed from, since a verdict is reused for the same text.
 */
export function checkCredentialJson(
  value: unknown,
  parsedFrom: Partial<SectionTexts> = {},
): CredentialJsonCheck {
  const doc = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  const subject = doc?.credentialSubject;
  const texts = {
    issuer: parsedFrom.issuer ?? sectionText(doc?.issuer),
    achievement:
      parsedFrom.achievement ??
      sectionText(
        typeof subject === "object" && subject !== null
          ? (subject as Record<string, unknown>).achievement
          : undefined,
      ),
    proof: parsedFrom.proof ?? sectionText(doc?.proof),
  };
  const full = (): CredentialJsonCheck => {
    const result = credentialSchema.safeParse(value);
    // Cannot pass where a section failed its own schema; kept for the type.
    return result.success ? credentialJsonCheckOf(value) : { success: false, error: result.error };
  };
  if (texts.issuer === undefined || texts.achievement === undefined || texts.proof === undefined)
    return full();
  const known = texts as SectionTexts;
  const sections = {
    issuer: doc?.issuer,
    achievement: (subject as Record<string, unknown>).achievement,
    proof: doc?.proof,
  };
  const passed: Section[] = [];
  for (const section of ["issuer", "achievement", "proof"] as const) {
    const earlier = validSections[section].get(known[section]);
    if (earlier !== undefined) {
      known[section] = earlier;
      continue;
    }
    if (!SECTION_SCHEMAS[section].safeParse(sections[section]).success) return full();
    passed.push(section);
  }
  // The rest, with the three sections known valid (the refinements then see the same values as the full schema's):
  // by the plain check, which accepts only what the skeleton schema accepts, and by that schema where it does not.
  if (!isCredentialSkeleton(value) && !credentialSkeletonSchema.safeParse(value).success) return full();
  // Kept as copies of their own, which is also what this check returns and so what later memos keep.
  for (const section of passed) {
    const valid = validSections[section];
    if (valid.size >= VALID_SECTIONS_LIMIT) valid.clear();
    const text = ownCopy(known[section]);
    valid.set(text, text);
    known[section] = text;
  }
  return { success: true, texts: known };
}

function credentialJsonCheckOf(value: unknown): CredentialJsonCheck {
  const doc = value as Credential;
  return {
    success: true,
    texts: {
      issuer: JSON.stringify(doc.issuer),
      achievement: JSON.stringify(doc.credentialSubject.achievement),
      proof: JSON.stringify(doc.proof),
    },
  };
}
