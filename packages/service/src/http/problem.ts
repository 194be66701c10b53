import { z } from "@hono/zod-openapi";
import { acceptLanguageLang, isLang, type Lang } from "@intyg/credential/lang";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { locales, type ZodError } from "zod";
import {
  errorText,
  PROBLEM_TITLES,
  ProblemError,
  type ProblemType,
  ServiceError,
  type ServiceErrorCode,
  ValidationError,
  type ValidationIssue,
} from "../errors";
import type { Logger } from "../logger";
import { databaseUnavailableReason, outageLog } from "../store/unavailable";

/** Problem type URIs: `https://intyg.se/problems/<type>`. */
export const PROBLEM_BASE = "https://intyg.se/problems/";

export const ValidationIssueSchema = z
  .object({
    path: z
      .string()
      .openapi({ description: "JSON pointer of the offending value", example: "/attendees/3/subject/email" }),
    message: z.string(),
    code: z.string().optional(),
  })
  .openapi("ValidationIssue");

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_BASE}validation` }),
    title: z
      .string()
      .openapi({ description: "In the request's language (`?lang=`, else Accept-Language; sv or en)" }),
    status: z.number().int(),
    detail: z.string().openapi({ description: "What went wrong and what to do, in the request's language" }),
    instance: z.string().openapi({ description: "The request path" }),
    code: z
      .string()
      .openapi({ description: "Stable code of the error, for programs", example: "not-found.event" }),
    requestId: z.string().optional(),
    errors: z.array(ValidationIssueSchema).optional(),
  })
  .passthrough()
  .openapi("Problem", { description: "RFC 9457 problem details" });

export type Problem = z.infer<typeof ProblemSchema>;

type ProblemKind = readonly [status: ContentfulStatusCode, type: ProblemType];

const BAD_REQUEST: ProblemKind = [400, "bad-request"];
const INVALID: ProblemKind = [400, "validation"];
const UNAUTHORIZED: ProblemKind = [401, "unauthorized"];
const FORBIDDEN: ProblemKind = [403, "forbidden"];
const NOT_FOUND: ProblemKind = [404, "not-found"];
const CONFLICT: ProblemKind = [409, "conflict"];
const GONE: ProblemKind = [410, "gone"];
const UNPROCESSABLE: ProblemKind = [422, "validation"];
const RATE_LIMITED: ProblemKind = [429, "rate-limited"];
const NOT_IMPLEMENTED: ProblemKind = [501, "not-implemented"];
const CHAIN_UNAVAILABLE: ProblemKind = [503, "chain-unavailable"];

/** The one place where an error code becomes an HTTP status and problem type. */
const PROBLEMS: Record<Exclude<ServiceErrorCode, `problem.${string}`>, ProblemKind> = {
  "request.invalid": INVALID,
  "request.hostile-text": INVALID,
  "request.hostile-text-body": INVALID,
  "request.too-large": [413, "payload-too-large"],
  "request.credential-quota-too-large": [413, "payload-too-large"],
  "request.organisation-rate-limited": RATE_LIMITED,
  "request.credential-quota": RATE_LIMITED,
  "request.no-route": NOT_FOUND,
  "request.idempotency-key-required": BAD_REQUEST,
  "request.idempotency-key-reused": [422, "idempotency-key-reused"],
  "request.rate-limited": RATE_LIMITED,
  "auth.api-key-required": UNAUTHORIZED,
  "auth.malformed-header": UNAUTHORIZED,
  "auth.unknown-api-key": UNAUTHORIZED,
  "auth.api-key-revoked": UNAUTHORIZED,
  "auth.admin-required": FORBIDDEN,
  "key.not-found": NOT_FOUND,
  "key.no-signing-key": CONFLICT,
  "key.no-keyring": [501, "not-implemented"],
  "key.not-held": CONFLICT,
  "key.wrong-state": CONFLICT,
  "key.admin-not-held": CONFLICT,
  "key.not-authorised": CONFLICT,
  "key.last-signing-key": CONFLICT,
  "key.in-flight": CONFLICT,
  "session.ended": UNAUTHORIZED,
  "session.not-signed-in": UNAUTHORIZED,
  "session.unknown-or-revoked-key": UNAUTHORIZED,
  "session.sign-in-rate-limited": RATE_LIMITED,
  "session.other-site": FORBIDDEN,
  "session.not-organiser-page": FORBIDDEN,
  "session.csrf-token-missing": FORBIDDEN,
  "not-found.credential": NOT_FOUND,
  "not-found.event": NOT_FOUND,
  "not-found.parent-event": NOT_FOUND,
  "not-found.job": NOT_FOUND,
  "not-found.erasure": NOT_FOUND,
  "not-found.batch": NOT_FOUND,
  "not-found.verification-link": NOT_FOUND,
  "not-found.api-key": NOT_FOUND,
  "not-found.link": NOT_FOUND,
  "not-found.page": NOT_FOUND,
  "not-found.context": NOT_FOUND,
  "not-found.organisation": NOT_FOUND,
  "registry.rate-limited": RATE_LIMITED,
  "not-implemented.organiser-app": NOT_IMPLEMENTED,
  "not-implemented.verify-page": NOT_IMPLEMENTED,
  "not-implemented.vcapi-verify-credential": NOT_IMPLEMENTED,
  "not-implemented.vcapi-verify-presentation": NOT_IMPLEMENTED,
  "event.not-registered": CONFLICT,
  "event.parent-not-event": CONFLICT,
  "event.parent-not-registered": CONFLICT,
  "event.create-reverted": CONFLICT,
  "event.update-reverted": CONFLICT,
  "event.not-confirmed": CHAIN_UNAVAILABLE,
  "event.details-invalid": INVALID,
  "chain.refused": CONFLICT,
  "chain.unreachable-for": CHAIN_UNAVAILABLE,
  "chain.unreachable": CHAIN_UNAVAILABLE,
  "chain.no-answer": CHAIN_UNAVAILABLE,
  "chain.rpc-rate-limited": RATE_LIMITED,
  "credential.content-invalid": UNPROCESSABLE,
  "credential.already-revoked": CONFLICT,
  "credential.already-superseded": CONFLICT,
  "credential.revoked-not-superseded": CONFLICT,
  "credential.erased-give-subject": UNPROCESSABLE,
  "credential.corrected-claims-invalid": INVALID,
  "credential.changed-meanwhile": CONFLICT,
  "credential.erased": GONE,
  "credential.not-signed-yet": CONFLICT,
  "credential.cannot-hide": BAD_REQUEST,
  "credential.share-link-invalid": UNPROCESSABLE,
  "retention.unclaimed-shorter": BAD_REQUEST,
  "token.not-in-batch": CONFLICT,
  "token.not-anchored": CONFLICT,
  "token.revoked": CONFLICT,
  "delivery.erased": CONFLICT,
  "delivery.replaced": CONFLICT,
  "delivery.no-email": CONFLICT,
  "delivery.not-anchored": CONFLICT,
  "delivery.already-waiting": CONFLICT,
  "import.not-multipart": [415, "unsupported-media-type"],
  "import.form-unreadable": BAD_REQUEST,
  "import.file-missing": BAD_REQUEST,
  "import.file-empty": UNPROCESSABLE,
  "import.lang-invalid": BAD_REQUEST,
  "import.send-invalid": BAD_REQUEST,
  "import.field-not-text": BAD_REQUEST,
  "import.field-not-json": BAD_REQUEST,
  "import.field-invalid": BAD_REQUEST,
  "import.rows-invalid": UNPROCESSABLE,
  "import.no-rows-left": UNPROCESSABLE,
  "import.too-many": UNPROCESSABLE,
  "import.not-xlsx": UNPROCESSABLE,
  "import.sheet-too-many": UNPROCESSABLE,
  "vcapi.not-event-urn": BAD_REQUEST,
  "vcapi.other-registry": UNPROCESSABLE,
  "vcapi.event-missing": BAD_REQUEST,
  "vcapi.not-anchored": [503, "unavailable"],
  "vcapi.unsupported-properties": UNPROCESSABLE,
  "system.unhealthy": [503, "unavailable"],
  "bootstrap.invalid": INVALID,
  "bootstrap.not-accredited": CONFLICT,
  "bootstrap.suspended": CONFLICT,
  "bootstrap.profile-pending": CONFLICT,
  "bootstrap.profile-differs": CONFLICT,
  "onboard.invalid": INVALID,
  "onboard.number-taken": CONFLICT,
};

/** The status and type of the problem an error becomes. */
export function problemKind(error: ServiceError): ProblemKind {
  if (error instanceof ProblemError) return [error.status as ContentfulStatusCode, error.type];
  return PROBLEMS[error.code as keyof typeof PROBLEMS] ?? [500, "internal"];
}

/**
 * What a job or another record keeps of an error the HTTP layer would answer with: its status, code, English
 * detail and extensions; null for an error that is not the service's own (a bug, an outage).
 */
export function problemOf(error: unknown): {
  status: number;
  code: ServiceErrorCode;
  detail: string;
  [extension: string]: unknown;
} | null {
  if (!(error instanceof ServiceError)) return null;
  return { status: problemKind(error)[0], code: error.code, detail: error.message, ...error.extensions };
}

/**
 * The language of a problem: `?lang=sv|en`, else the request's `Accept-Language` (English when it names neither,
 * as programs expect).
 */
export function problemLang(c: Context): Lang {
  const asked = c.req.query("lang");
  if (isLang(asked)) return asked;
  return acceptLanguageLang(c.req.header("accept-language"), "en");
}

export function problemBody(c: Context, error: ServiceError): Problem {
  const lang = problemLang(c);
  const [status, type] = problemKind(error);
  const { errors, ...extensions } = error.extensions;
  return {
    type: `${PROBLEM_BASE}${type}`,
    title: PROBLEM_TITLES[lang][type],
    status,
    detail: errorText(lang, error.code, error.params),
    instance: c.req.path,
    code: error.code,
    ...(c.get("requestId") ? { requestId: c.get("requestId") as string } : {}),
    ...extensions,
    ...(errors !== undefined ? { errors: localIssues(errors, lang) as ValidationIssue[] } : {}),
  };
}

export function problemResponse(
  c: Context,
  error: ServiceError,
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(c, error);
  // Through the context, so headers set earlier (X-Request-Id) stay on the response.
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    ...headers,
    "content-language": problemLang(c),
    "content-type": "application/problem+json",
  });
}

/** A validation issue with its message in other languages than English, kept until the answer is written. */
export type LocalisedIssue = ValidationIssue & { messages?: Partial<Record<Lang, string>> };

const zodSv = locales.sv();

/** Zod's Swedish wording of an issue (without the received type, which a parsed issue no longer knows). */
function swedishZodMessage(issue: ZodError["issues"][number]): string | undefined {
  const text = zodSv.localeError(issue as never);
  const message = typeof text === "string" ? text : text?.message;
  return message?.replace(/, fick undefined$/, "").replace(/\binput\b/g, "inmatning");
}

/** Zod issues as JSON pointers and messages (never the offending values: they may be personal data). */
export function zodIssues(error: ZodError, prefix = ""): LocalisedIssue[] {
  return error.issues.map((issue) => {
    const sv = swedishZodMessage(issue);
    return {
      path:
        prefix +
        issue.path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join(""),
      message: issue.message,
      code: issue.code,
      ...(sv ? { messages: { sv } } : {}),
    };
  });
}

/** Validation issues in `lang`, each in its own wording where it has one, else a sentence that says it is invalid. */
function localIssues(issues: unknown, lang: Lang): unknown {
  if (!Array.isArray(issues)) return issues;
  return issues.map((issue: LocalisedIssue) => {
    const { messages, ...rest } = issue;
    if (lang === "en") return rest;
    return { ...rest, message: messages?.[lang] ?? "Värdet är inte giltigt." };
  });
}

const TARGET_PREFIX: Record<string, string> = { json: "", query: "?", param: "#", header: "header:" };

/** The validation hook of every route: a failed request body, query or path becomes a 400 problem. */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }): void {
  if (!result.success && result.error) {
    throw new ValidationError(
      "request.invalid",
      zodIssues(result.error, TARGET_PREFIX[result.target] ?? ""),
      {
        target: result.target,
      },
    );
  }
}

const HTTP_TYPES: Partial<Record<number, ProblemType>> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "bad-request",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
};

/** Turns every error into problem+json; unexpected ones become a 500 whose detail reveals nothing. */
export function errorHandler(logger: Logger): ErrorHandler {
  const databaseDown = outageLog(
    (fields, message) => logger.warn(fields, message),
    "the database is unavailable",
  );
  return (error, c) => {
    if (error instanceof ServiceError) {
      const headers: Record<string, string> = {};
      if (problemKind(error)[0] === 401) headers["www-authenticate"] = 'Bearer realm="intyg"';
      const retryAfter = error.extensions.retryAfter;
      if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
      return problemResponse(c, error, headers);
    }
    if (error instanceof HTTPException) {
      const type = HTTP_TYPES[error.status] ?? (error.status >= 500 ? "internal" : "bad-request");
      const detail =
        error.status >= 500 ? PROBLEM_TITLES.en.internal : error.message || PROBLEM_TITLES.en[type];
      return problemResponse(c, new ProblemError(error.status, type, detail));
    }
    // An outage, not a bug: 503 with Retry-After, logged once per outage.
    const database = databaseUnavailableReason(error);
    if (database) {
      databaseDown(database);
      return problemResponse(
        c,
        new ProblemError(503, "unavailable", "The database is unavailable; try again shortly", {
          retryAfter: 5,
        }),
        { "retry-after": "5" },
      );
    }
    logger.error({ err: error, requestId: c.get("requestId"), route: c.req.routePath }, "unhandled error");
    return problemResponse(c, new ServiceError("problem.internal"));
  };
}

export const notFoundHandler: NotFoundHandler = (c) =>
  problemResponse(c, new ServiceError("request.no-route", { method: c.req.method, path: c.req.path }));

/** Responses every documented operation may return. */
export function problemResponses(...statuses: ContentfulStatusCode[]) {
  const descriptions: Record<number, string> = {
    400: "Malformed or invalid request",
    401: "Missing, unknown or revoked API key",
    403: "The API key may not do this",
    404: "Not found (or owned by another organisation)",
    409: "Conflict with the current state",
    410: "Erased",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Well-formed but refused",
    429: "Rate limit exceeded",
    501: "Not implemented",
    503: "Chain or database unavailable",
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? "Error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
}
