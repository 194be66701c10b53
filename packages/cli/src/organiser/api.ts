// A small client of the issuer service's organiser API (`/v1/…`, Bearer API key). Errors come back as
// RFC 9457 problem+json; they become a CliError whose message is the problem's title and detail, with exit
// code 2 when the service refused the input (4xx) and 1 when it failed or could not be reached.

import type { Lang } from "@intyg/credential/lang";
import type {
  ApiKey,
  BulkIssueRequest,
  BulkResult,
  CreatedApiKey,
  CreateEventRequest,
  Credential,
  CredentialSummary,
  ErasureReceipt,
  Event,
  IssuedItem,
  Job,
  Organisation,
  Page,
  ReissuePreview,
  ReissueRequest,
  Retention,
  Share,
} from "@intyg/service/api";
import { CliError, EXIT } from "../errors";
import { t } from "../texts";

export type Session = { url: string; apiKey: string; source: string };

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
};

/** An error answer of the service, as a CLI error with the problem attached. */
export class ApiError extends CliError {
  override name = "ApiError";
  override readonly code = "cli.service";
  constructor(
    message: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(message, status >= 400 && status < 500 && status !== 429 ? EXIT.usage : EXIT.failure);
    this.details.status = status;
    if (typeof problem?.code === "string") this.details.problem = problem.code;
  }
}

// The API's own types, read off the service's zod schemas (type-only: no code of the service is loaded).
export type EventResource = Event;
export type CredentialResource = Credential;
export type ApiKeyResource = ApiKey;
export type { BulkResult, CredentialSummary, ErasureReceipt, IssuedItem, Job, Organisation, Retention };

/** An organisation's own on-chain key, as `GET /v1/organisation/keys` lists it (never the key itself). */
export type OrganisationKey = {
  address: string;
  role: "signing" | "admin";
  custody: "service" | "external";
  status: "created" | "authorising" | "active" | "retired" | "compromised";
  current: boolean;
  /** Unix seconds; 0 or null: from the start. */
  validFrom: number | null;
  /** Unix seconds; null: no end. */
  validUntil: number | null;
  authorisationTxHash: string | null;
  removalTxHash: string | null;
  createdAt: string;
};

/** The authoriseKey transaction the organisation's own admin account must send (also as a Safe batch). */
export type PreparedAuthorisation = {
  to: string;
  data: string;
  value: "0";
  safeBatch: Record<string, unknown>;
};

export type CreatedKey = { key: OrganisationKey; authorisation: PreparedAuthorisation | null };

export type KeyCompromise = { key: OrganisationKey; credentials: string[]; revocationsRequested: number };

export type KeyAuditEntry = {
  at: string;
  key: string;
  action: string;
  actor: string;
  txHash: string | null;
  details: Record<string, unknown> | null;
};

/** An erased credential: the credential as it is now, with the receipt of its erasure. */
export type ErasedCredential = CredentialResource & { erasure?: ErasureReceipt };

export type ApiResponse<T> = { status: number; body: T; headers: Headers };

function problemMessage(lang: Lang, request: string, status: number, problem: Problem | null): string {
  if (!problem) return t(lang, "service.failed", { request, status });
  const head = [problem.title, problem.detail].filter((s) => typeof s === "string" && s !== "");
  const lines = [head.length > 0 ? head.join(": ") : `HTTP ${status}`];
  for (const issue of (problem.errors ?? []).slice(0, 20)) lines.push(`  ${issue.path}: ${issue.message}`);
  if ((problem.errors?.length ?? 0) > 20)
    lines.push(`  ${t(lang, "service.more-issues", { count: problem.errors!.length - 20 })}`);
  if (status === 401) lines.push(t(lang, "service.log-in-again"));
  return lines.join("\n");
}

export class ServiceClient {
  readonly url: string;
  readonly lang: Lang;
  constructor(
    private readonly session: Pick<Session, "url" | "apiKey">,
    private readonly options: { timeoutMs?: number; lang?: Lang } = {},
  ) {
    this.url = session.url.replace(/\/+$/, "");
    this.lang = options.lang ?? "en";
  }

  /** One request; the parsed JSON answer for 2xx, an ApiError otherwise. */
  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.session.apiKey}`,
      accept: "application/json",
      // The service words its problems (title, detail, issues) in this language.
      "accept-language": this.lang,
      ...options.headers,
    };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs ?? 120_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new CliError(t(this.lang, "service.unreachable", { url: this.url, cause }), EXIT.failure, {
        cause: error,
      });
    }
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!response.ok) {
      const problem = body && typeof body === "object" ? (body as Problem) : null;
      throw new ApiError(
        problemMessage(this.lang, `${method} ${path}`, response.status, problem),
        response.status,
        problem,
      );
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.request<T>("GET", path)).body;
  }

  /** Every item of a paged list. */
  async all<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
      params.set("limit", "500");
      if (cursor) params.set("cursor", cursor);
      const page: Page<T> = await this.get<Page<T>>(`${path}?${params}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  organisation(): Promise<Organisation> {
    return this.get<Organisation>("/v1/organisation");
  }

  /** The service validates the body (CreateEvent); the CLI sends what the user gave. */
  async createEvent(body: {
    kind: CreateEventRequest["kind"];
    parentId?: string;
    details: Record<string, unknown>;
  }): Promise<EventResource> {
    return (await this.request<EventResource>("POST", "/v1/events", { body })).body;
  }

  event(id: string): Promise<EventResource> {
    return this.get<EventResource>(`/v1/events/${encodeURIComponent(id)}`);
  }

  events(query: { kind?: string; parentId?: string } = {}): Promise<EventResource[]> {
    return this.all<EventResource>("/v1/events", query);
  }

  /** POST …/credentials/bulk: 201 with the result, or 202 with a job to poll. */
  async issueBulk(
    eventId: string,
    body: { attendees: unknown[]; validUntil?: BulkIssueRequest["validUntil"] },
    idempotencyKey: string,
  ): Promise<{ replayed: boolean; result?: BulkResult; job?: Job }> {
    const response = await this.request<BulkResult | Job>(
      "POST",
      `/v1/events/${encodeURIComponent(eventId)}/credentials/bulk`,
      { body, headers: { "idempotency-key": idempotencyKey }, timeoutMs: 600_000 },
    );
    const replayed = response.headers.get("idempotent-replayed") === "true";
    return response.status === 202
      ? { replayed, job: response.body as Job }
      : { replayed, result: response.body as BulkResult };
  }

  job(id: string): Promise<Job> {
    return this.get<Job>(`/v1/jobs/${encodeURIComponent(id)}`);
  }

  credential(id: string): Promise<CredentialResource> {
    return this.get<CredentialResource>(`/v1/credentials/${encodeURIComponent(id)}`);
  }

  eventCredentials(eventId: string, status?: string): Promise<CredentialSummary[]> {
    return this.all<CredentialSummary>(`/v1/events/${encodeURIComponent(eventId)}/credentials`, { status });
  }

  /** With `preview`, what the corrected credential would carry (200); otherwise the new credential (201). */
  reissue(id: string, body: ReissueRequest & { preview: true }): Promise<ReissuePreview>;
  reissue(id: string, body: ReissueRequest): Promise<CredentialResource>;
  async reissue(id: string, body: ReissueRequest): Promise<ReissuePreview | CredentialResource> {
    const path = `/v1/credentials/${encodeURIComponent(id)}/reissue`;
    return (await this.request<ReissuePreview | CredentialResource>("POST", path, { body })).body;
  }

  async erase(id: string): Promise<ErasedCredential> {
    return (await this.request<ErasedCredential>("POST", `/v1/credentials/${encodeURIComponent(id)}/erase`))
      .body;
  }

  erasures(): Promise<ErasureReceipt[]> {
    return this.all<ErasureReceipt>("/v1/erasures");
  }

  erasure(credentialId: string): Promise<ErasureReceipt> {
    return this.get<ErasureReceipt>(`/v1/credentials/${encodeURIComponent(credentialId)}/erasure`);
  }

  /** The retention as the service words it: `days` and `default`, and whatever else it tells. */
  retention(): Promise<Retention & Record<string, unknown>> {
    return this.get("/v1/organisation/retention");
  }

  async setRetention(days: number | null): Promise<Retention & Record<string, unknown>> {
    return (
      await this.request<Retention & Record<string, unknown>>("PUT", "/v1/organisation/retention", {
        body: { days },
      })
    ).body;
  }

  async keys(): Promise<OrganisationKey[]> {
    return (await this.get<{ items: OrganisationKey[] }>("/v1/organisation/keys")).items;
  }

  async createKey(body: {
    validFrom?: number;
    validUntil?: number;
    makeCurrent: boolean;
  }): Promise<CreatedKey> {
    return (await this.request<CreatedKey>("POST", "/v1/organisation/keys", { body })).body;
  }

  async keyStep(address: string, step: "current" | "retire"): Promise<OrganisationKey> {
    const path = `/v1/organisation/keys/${encodeURIComponent(address)}/${step}`;
    return (await this.request<OrganisationKey>("POST", path)).body;
  }

  async keyCompromised(address: string, body: { since: string; revoke: boolean }): Promise<KeyCompromise> {
    const path = `/v1/organisation/keys/${encodeURIComponent(address)}/compromised`;
    return (await this.request<KeyCompromise>("POST", path, { body })).body;
  }

  async keyAudit(): Promise<KeyAuditEntry[]> {
    return (await this.get<{ items: KeyAuditEntry[] }>("/v1/organisation/keys/audit")).items;
  }

  async apiKeys(): Promise<ApiKeyResource[]> {
    return (await this.get<{ items: ApiKeyResource[] }>("/v1/api-keys")).items;
  }

  async createApiKey(name: string, role: "admin" | "issuer"): Promise<CreatedApiKey> {
    return (
      await this.request<CreatedApiKey>("POST", "/v1/api-keys", {
        body: { name, role },
      })
    ).body;
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.request("DELETE", `/v1/api-keys/${encodeURIComponent(id)}`);
  }

  async revoke(id: string, reason: string): Promise<CredentialResource> {
    return (
      await this.request<CredentialResource>("POST", `/v1/credentials/${encodeURIComponent(id)}/revoke`, {
        body: { reason },
      })
    ).body;
  }

  /** A share link of the credential (the verifier page with the credential in its fragment). */
  share(id: string, hide: string[] = []): Promise<Share> {
    const query = hide.length > 0 ? `?hide=${encodeURIComponent(hide.join(","))}` : "";
    return this.get(`/v1/credentials/${encodeURIComponent(id)}/share${query}`);
  }
}

/** Checks a service URL: http(s), and https unless the service is on this machine. */
export function checkServiceUrl(lang: Lang, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(t(lang, "usage.not-a-url", { value }));
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new CliError(t(lang, "usage.http-url", { value }));
  const loopback = ["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    throw new CliError(t(lang, "usage.plain-http", { host: url.host }));
  }
  return url.toString().replace(/\/+$/, "");
}
