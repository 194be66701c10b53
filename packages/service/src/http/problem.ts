import { z } from "@hono/zod-openapi";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import {
  PROBLEM_TITLES,
  ProblemError,
  type ProblemType,
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
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().openapi({ description: "The request path" }),
    requestId: z.string().optional(),
    errors: z.array(ValidationIssueSchema).optional(),
  })
  .passthrough()
  .openapi("Problem", { description: "RFC 9457 problem details" });

export type Problem = z.infer<typeof ProblemSchema>;

export function problemBody(c: Context, error: ProblemError): Problem {
  return {
    type: `${PROBLEM_BASE}${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: c.req.path,
    ...(c.get("requestId") ? { requestId: c.get("requestId") as string } : {}),
    ...error.extensions,
  };
}

export function problemResponse(
  c: Context,
  error: ProblemError,
  headers: Record<string, string> = {},
): Response {
  // Through the context, so headers set earlier (X-Request-Id) stay on the response.
  return c.body(JSON.stringify(problemBody(c, error)), error.status as ContentfulStatusCode, {
    ...headers,
    "content-type": "application/problem+json",
  });
}

/** Zod issues as JSON pointers and messages (never the offending values: they may be personal data). */
export function zodIssues(error: ZodError, prefix = ""): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path:
      prefix + issue.path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join(""),
    message: issue.message,
    code: issue.code,
  }));
}

const TARGET_PREFIX: Record<string, string> = { json: "", query: "?", param: "#", header: "header:" };

/** The validation hook of every route: a failed request body, query or path becomes a 400 problem. */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }): void {
  if (!result.success && result.error) {
    const where = result.target === "json" ? "request body" : result.target;
    throw new ValidationError(
      `The ${where} is not valid`,
      zodIssues(result.error, TARGET_PREFIX[result.target] ?? ""),
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
    if (error instanceof ProblemError) {
      const headers: Record<string, string> = {};
      if (error.status === 401) headers["www-authenticate"] = 'Bearer realm="intyg"';
      const retryAfter = error.extensions.retryAfter;
      if (typeof retryAfter === "number") headers["retry-after"] = String(retryAfter);
      return problemResponse(c, error, headers);
    }
    if (error instanceof HTTPException) {
      const type = HTTP_TYPES[error.status] ?? (error.status >= 500 ? "internal" : "bad-request");
      const detail = error.status >= 500 ? PROBLEM_TITLES.internal : error.message || PROBLEM_TITLES[type];
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
    return problemResponse(c, new ProblemError(500, "internal", "An unexpected error occurred"));
  };
}

export const notFoundHandler: NotFoundHandler = (c) =>
  problemResponse(c, new ProblemError(404, "not-found", `No route for ${c.req.method} ${c.req.path}`));

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
