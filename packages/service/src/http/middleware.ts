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
  /**
   * Counts one request of `key` and then, only if that one is allowed, one of `nextKey` in `next`'s window — what
   * `take(key)` and then `next.take(nextKey)` do, in one statement (both limiters count in the same store).
   */
  takeThen(
    key: string,
    next: RateLimiter,
    nextKey: string,
  ): Promise<[RateLimitResult, RateLimitResult | null]>;
  /** The window a request made at `t` (ms since the epoch) counts in. */
  window(t: number): RateWindow;
};

export type RateLimitOptions = { requests: number; windowMs: number };

/** A fixed window: its bounds (ms since the epoch) and how many requests it allows. */
export type RateWindow = { start: number; end: number; requests: number };

const resultOf = (count: number, window: RateWindow, t: number): RateLimitResult => ({
  allowed: count <= window.requests,
  limit: window.requests,
  remaining: Math.max(0, window.requests - count),
  resetSeconds: Math.max(1, Math.ceil((window.end - t) / 1000)),
});

/**
 * A fixed-window counter per key, kept in the store: every replica on the same database counts into the same
 * window, so N replicas do not give a key N times the limit. Windows are aligned to multiples of `windowMs`
 * since the epoch (the same on every replica); one atomic upsert per request. The worker deletes old windows.
 */
export function createRateLimiter(
  store: Pick<Store, "rateLimits" | "clock">,
  options: RateLimitOptions,
): RateLimiter {
  const window = (t: number): RateWindow => {
    const start = t - (t % options.windowMs);
    return { start, end: start + options.windowMs, requests: options.requests };
  };
  return {
    window,
    async take(key) {
      const t = store.clock.now().getTime();
      const w = window(t);
      return resultOf(await store.rateLimits.hit(key, new Date(w.start), new Date(w.end)), w, t);
    },
    async takeThen(key, next, nextKey) {
      const t = store.clock.now().getTime();
      const first = window(t);
      const second = next.window(t);
      const [count, nextCount] = await store.rateLimits.hitThen(
        { key, start: new Date(first.start), end: new Date(first.end), limit: first.requests },
        { key: nextKey, start: new Date(second.start), end: new Date(second.end) },
      );
      return [resultOf(count, first, t), nextCount === null ? null : resultOf(nextCount, second, t)];
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
    // The organisation's window counts a request only when the key's allowed it (one statement for both).
    const [byKey, byOrganisation] = organisations
      ? await limiter.takeThen(auth.apiKey.id, organisations, organisationLimitKey(auth.organisation.id))
      : [await limiter.take(auth.apiKey.id), null];
    if (!byKey.allowed) {
      throw new ServiceError("request.rate-limited", {}, { extensions: { retryAfter: byKey.resetSeconds } });
    }
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
