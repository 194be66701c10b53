import type { MiddlewareHandler } from "hono";
import { ServiceError } from "../errors";
import type { Logger } from "../logger";
import type { Store } from "../store/store";
import type { AppEnv } from "./context";
import { findSession, requireCsrf, sessionCookie } from "./session";

const BEARER = /^Bearer\s+([A-Za-z0-9_\-.~+/]+=*)\s*$/i;

/**
 * Requires `Authorization: Bearer <api key>` of a key that exists and is not revoked. With `sessions` (the
 * organiser web app), a request without an Authorization header may instead carry the session cookie; a write
 * made with it needs the session's CSRF token and this origin (403 otherwise). Bearer requests are unchanged.
 */
export function requireApiKey(
  store: Store,
  sessions?: { config: { publicUrl: string } },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const cookie = sessions && !header ? sessionCookie(c) : undefined;
    if (sessions && cookie !== undefined) {
      const session = await findSession(store, cookie);
      if (!session) throw new ServiceError("session.ended");
      requireCsrf(c, session, sessions.config.publicUrl);
      c.set("auth", session.auth);
      await next();
      return;
    }
    if (!header) throw new ServiceError("auth.api-key-required");
    const match = BEARER.exec(header);
    if (!match) throw new ServiceError("auth.malformed-header");
    const found = await store.apiKeys.find(match[1]!);
    if (!found) throw new ServiceError("auth.unknown-api-key");
    if (found.apiKey.revokedAt) throw new ServiceError("auth.api-key-revoked");
    c.set("auth", found);
    await next();
  };
}

/** Only admin keys pass (managing API keys). */
export const requireAdminKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("auth").apiKey.role !== "admin") throw new ServiceError("auth.admin-required");
  await next();
};

export type RateLimitResult = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

export type RateLimiter = {
  /** Counts one request of `key`; returns what is left, or the seconds to wait when nothing is. */
  take(key: string): Promise<RateLimitResult>;
};

export type RateLimitOptions = { requests: number; windowMs: number };

/**
 * A fixed-window counter per key, kept in the store: every replica on the same database counts into the same
 * window, so N replicas do not give a key N times the limit. Windows are aligned to multiples of `windowMs`
 * since the epoch (the same on every replica); one atomic upsert per request. The worker deletes old windows.
 */
export function createRateLimiter(
  store: Pick<Store, "rateLimits" | "clock">,
  options: RateLimitOptions,
): RateLimiter {
  return {
    async take(key) {
      const t = store.clock.now().getTime();
      const start = t - (t % options.windowMs);
      const end = start + options.windowMs;
      const count = await store.rateLimits.hit(key, new Date(start), new Date(end));
      return {
        allowed: count <= options.requests,
        limit: options.requests,
        remaining: Math.max(0, options.requests - count),
        resetSeconds: Math.max(1, Math.ceil((end - t) / 1000)),
      };
    },
  };
}

/**
 * Rate limiting per API key (after authentication) and, with `organisations`, per organisation: all of an
 * organisation's API keys and sessions count into one window of its own, so an organisation that makes many
 * keys gets no more than its share of a service it shares with others. The headers show the tighter limit.
 */
export function rateLimitByApiKey(
  limiter: RateLimiter,
  organisations?: RateLimiter,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    const byKey = await limiter.take(auth.apiKey.id);
    if (!byKey.allowed) {
      throw new ServiceError("request.rate-limited", {}, { extensions: { retryAfter: byKey.resetSeconds } });
    }
    const byOrganisation = organisations
      ? await organisations.take(organisationLimitKey(auth.organisation.id))
      : null;
    if (byOrganisation && !byOrganisation.allowed) {
      throw new ServiceError(
        "request.organisation-rate-limited",
        {},
        { extensions: { retryAfter: byOrganisation.resetSeconds } },
      );
    }
    const result = byOrganisation && byOrganisation.remaining < byKey.remaining ? byOrganisation : byKey;
    const headers = {
      "RateLimit-Limit": String(result.limit),
      "RateLimit-Remaining": String(result.remaining),
      "RateLimit-Reset": String(result.resetSeconds),
    };
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/** The organisation's request window in `rate_limits` (API keys' windows are named by their ids, UUIDs). */
export const organisationLimitKey = (organisationId: string) => `organisation:${organisationId}`;

/** One structured line per request: method, route pattern (never the raw path: holder tokens), status, time. */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        organisation: c.get("auth")?.organisation.id,
      },
      "request",
    );
  };
}
