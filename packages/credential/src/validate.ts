// Parsing documents with the schemas, with errors that name paths and never values.

import type { z } from "zod";
import { escapePointerToken } from "./claims";
import { InvalidCredentialError, type SchemaIssue } from "./errors";
import {
  type Credential,
  credentialSchema,
  type UnsignedCredential,
  unsignedCredentialSchema,
} from "./schema/credential";

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
