// The JSON-LD contexts of the format, shipped with the package so that no processor ever fetches one: Intyg's
// own context (`contexts/intyg-v1.json`, served by the issuer service at its URL) and verbatim copies of the W3C
// VC 2.0 and 1EdTech Open Badges 3.0.3 contexts (`contexts/README.md` names their sources).

import vcContext from "../contexts/credentials-v2.json";
import intygContext from "../contexts/intyg-v1.json";
import obContext from "../contexts/ob-context-3.0.3.json";
import { CREDENTIAL_CONTEXT } from "./constants";
import { UnknownContextError } from "./errors";

/** The URL of Intyg's context, the third entry of every credential's `@context`. */
export const INTYG_CONTEXT_URL = CREDENTIAL_CONTEXT[2];

/** The namespace of Intyg's vocabulary (every term of the context that no standard defines). */
export const INTYG_VOCABULARY = "https://intyg.se/ns/credentials#";

/** Intyg's context document, exactly as the service serves it. */
export const INTYG_CONTEXT: Readonly<Record<string, unknown>> = intygContext;

/**
 * Every context a credential names, by URL: the only documents a loader of this package returns. Made by a call
 * marked pure, so that a browser bundle that never expands JSON-LD (the verifier page) leaves the three documents
 * out: a bundler must otherwise keep the reads of CREDENTIAL_CONTEXT, and with them the documents.
 */
export const KNOWN_CONTEXTS: ReadonlyMap<string, Readonly<Record<string, unknown>>> = /* @__PURE__ */ (() =>
  new Map<string, Readonly<Record<string, unknown>>>([
    [CREDENTIAL_CONTEXT[0], vcContext],
    [CREDENTIAL_CONTEXT[1], obContext],
    [CREDENTIAL_CONTEXT[2], intygContext],
  ]))();

/** A remote document as JSON-LD processors (jsonld.js `documentLoader`) expect it. */
export type LoadedContext = { contextUrl: null; documentUrl: string; document: Record<string, unknown> };

/**
 * A JSON-LD document loader that answers only the shipped contexts and refuses every other URL, so expanding
 * a credential never touches the network. Each answer is a fresh copy.
 */
export async function localContextLoader(url: string): Promise<LoadedContext> {
  const document = KNOWN_CONTEXTS.get(url);
  if (document === undefined) {
    throw new UnknownContextError("Unknown JSON-LD context: only the shipped contexts are loaded", { url });
  }
  return {
    contextUrl: null,
    documentUrl: url,
    document: structuredClone(document) as Record<string, unknown>,
  };
}
