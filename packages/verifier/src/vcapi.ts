// The W3C CCG VC-API verify operations over this package: what the service mounts at POST /credentials/verify
// and POST /presentations/verify (its `CredentialVerifier`). The chain and the trusted registry come from the
// service's configuration, never from the request: a caller may only choose the language, and for a
// presentation the challenge and domain it is checked against.

import { isPlainObject } from "./input";
import type { VerifyOptions } from "./options";
import { verifyPresentation } from "./presentation";
import type { Lang, VerificationReport } from "./types";
import { verifyCredential } from "./verify";

/** A report with the VC-API's `errors` and `warnings` (the messages of failed checks, and notes). */
export type VcApiVerificationResult = VerificationReport & { errors: string[]; warnings: string[] };

export type VcApiVerifier = {
  verifyCredential(input: {
    verifiableCredential: unknown;
    options?: unknown;
  }): Promise<VcApiVerificationResult>;
  verifyPresentation(input: {
    verifiablePresentation?: unknown;
    presentation?: unknown;
    options?: unknown;
  }): Promise<VcApiVerificationResult>;
};

function requestOptions(options: unknown): { lang?: Lang; challenge?: string; domain?: string } {
  if (!isPlainObject(options)) return {};
  return {
    ...(options.lang === "en" || options.lang === "sv" ? { lang: options.lang } : {}),
    ...(typeof options.challenge === "string" ? { challenge: options.challenge } : {}),
    ...(typeof options.domain === "string" ? { domain: options.domain } : {}),
  };
}

function withErrors(report: VerificationReport): VcApiVerificationResult {
  return {
    ...report,
    errors: report.checks
      .filter((check) => check.status === "failed")
      .map((check) => `${check.id}: ${check.message}`),
    warnings: report.chain?.note ? [report.chain.note] : [],
  };
}

/** VC-API verify operations with the chain, registry and defaults of `configuration`. Never throws. */
export function createVcApiVerifier(configuration: VerifyOptions): VcApiVerifier {
  return {
    async verifyCredential(input) {
      const { lang } = requestOptions(input?.options);
      const document = isPlainObject(input) ? input.verifiableCredential : undefined;
      return withErrors(await verifyCredential(document, { ...configuration, ...(lang ? { lang } : {}) }));
    },
    async verifyPresentation(input) {
      const { lang, challenge, domain } = requestOptions(input?.options);
      const document = isPlainObject(input)
        ? (input.verifiablePresentation ?? input.presentation)
        : undefined;
      return withErrors(
        await verifyPresentation(document, {
          ...configuration,
          ...(lang ? { lang } : {}),
          ...(challenge ? { challenge } : {}),
          ...(domain ? { domain } : {}),
        }),
      );
    },
  };
}
