// The W3C CCG VC-API verify operations over this package: what the service mounts at POST /credentials/verify
// and POST /presentations/verify (its `CredentialVerifier`). The chain and the trusted registry come from the
// service's configuration, never from the request: a caller may only choose the language, and for a
// presentation the challenge and domain it is checked against.

import { isPlainObject } from "./input";
import { CHECK_NAMES } from "./messages";
import type { VerifyOptions } from "./options";
import { verifyPresentation } from "./presentation";
import type { Check, Lang, VerificationReport } from "./types";
import { verifyCredential } from "./verify";

/** The namespace of the problem types: `<this>#<check>.<code>`, e.g. `…#revocation.revoked`. */
export const PROBLEM_TYPE_BASE = "https://intyg.se/ns/problems";

/**
 * A VC-API problem detail (RFC 9457 members): `type` and `title` are stable English, `detail` is the check's
 * message in the report's language, `code` and `check` the machine-readable reason and check.
 */
export type VcApiProblemDetail = {
  type: string;
  title: string;
  detail: string;
  check: Check["id"];
  code: string;
  lang: Lang;
};

/** A report with the VC-API's `problemDetails` (one per failed check) and `warnings` (e.g. an offline snapshot). */
export type VcApiVerificationResult = VerificationReport & {
  problemDetails: VcApiProblemDetail[];
  warnings: VcApiProblemDetail[];
};

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

function problemOf(check: Pick<Check, "id" | "code" | "message">, lang: Lang): VcApiProblemDetail {
  return {
    type: `${PROBLEM_TYPE_BASE}#${check.id}.${check.code}`,
    title: `${CHECK_NAMES.en[check.id]} check failed (${check.code})`,
    detail: check.message,
    check: check.id,
    code: check.code,
    lang,
  };
}

function withErrors(report: VerificationReport): VcApiVerificationResult {
  const note = report.chain?.note;
  return {
    ...report,
    problemDetails: report.checks
      .filter((check) => check.status === "failed")
      .map((check) => problemOf(check, report.lang)),
    warnings: note
      ? [
          {
            type: `${PROBLEM_TYPE_BASE}#anchor.offline-snapshot`,
            title: "Verified against a recorded registry snapshot, not a live node",
            detail: note,
            check: "anchor",
            code: "offline-snapshot",
            lang: report.lang,
          },
        ]
      : [],
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
