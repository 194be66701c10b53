// The organiser app's only way to the service: same-origin fetch with the session cookie (never a key), the
// session's CSRF token on every write, and problem+json errors turned into ApiError.

import { IntygError } from "@intyg/credential/error";
import type { Lang } from "@intyg/credential/lang";

export type ValidationIssue = { path: string; message: string };

export type Problem = {
  status: number;
  title: string;
  detail: string;
  errors?: ValidationIssue[];
  [extension: string]: unknown;
};

/** An error answer of the service; `code` is the problem's stable code (`web.service` when it has none). */
export class ApiError extends IntygError {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`, {
      code: typeof problem.code === "string" ? problem.code : "web.service",
      details: { status },
    });
  }
}

let csrfToken = "";
let language: Lang = "sv";

/** The app's language: the service words its problems (title, detail, issues) in it. */
export function setLanguage(lang: Lang): void {
  language = lang;
}

/** Set after sign-in (and on load from the session): sent back in X-CSRF-Token with every write. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the session has ended (401): the app shows the sign-in form again. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function api<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const sent: Record<string, string> = {
    accept: "application/json",
    "accept-language": language,
    ...headers,
  };
  if (method !== "GET") sent["x-csrf-token"] = csrfToken;
  const init: RequestInit = { method, credentials: "same-origin", headers: sent };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    sent["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = (data && typeof data === "object" ? data : {}) as Problem;
    if (response.status === 401 && !path.startsWith("/organiser/session")) onSignedOut();
    throw new ApiError(response.status, {
      ...problem,
      status: response.status,
      title: problem.title ?? response.statusText,
      detail: problem.detail ?? "",
    });
  }
  return data as T;
}

/** What this service offers the app: newer endpoints are used only when its OpenAPI document names them. */
export type Capabilities = {
  import: boolean;
  reissuePreview: boolean;
  send: boolean;
  deliveries: boolean;
  export: boolean;
  filters: boolean;
};

type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Whether an operation (or a schema it refers to) mentions a property. */
function mentions(doc: OpenApiDocument, operation: unknown, property: string): boolean {
  const text = JSON.stringify(operation ?? {});
  if (text.includes(`"${property}"`)) return true;
  for (const [, name] of text.matchAll(/#\/components\/schemas\/([A-Za-z0-9_]+)/g)) {
    if (JSON.stringify(doc.components?.schemas?.[name!] ?? {}).includes(`"${property}"`)) return true;
  }
  return false;
}

export async function loadCapabilities(): Promise<Capabilities> {
  const doc = await api<OpenApiDocument>("GET", "/openapi.json");
  const has = (path: string, method: string) => Boolean(doc.paths[path]?.[method]);
  return {
    import: has("/v1/events/{id}/imports/preview", "post") && has("/v1/events/{id}/imports", "post"),
    reissuePreview: mentions(doc, doc.paths["/v1/credentials/{id}/reissue"]?.post, "preview"),
    send: has("/v1/credentials/{id}/send", "post"),
    deliveries: has("/v1/events/{id}/deliveries", "post"),
    export: has("/v1/events/{id}/export.csv", "get"),
    filters: mentions(doc, doc.paths["/v1/events/{id}/credentials"]?.get, "standing"),
  };
}

/** A fresh Idempotency-Key: a retry of the same click reuses it, a new click makes a new one. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
