import type { MiddlewareHandler } from "hono";
import { ForbiddenError, ProblemError, UnauthorizedError } from "../errors";
import type { Logger } from "../logger";
import type { Store } from "../store/store";
import type { AppEnv } from "./context";

const BEARER = /^Bearer\s+([A-Za-z0-9_\-.~+/]+=*)\s*$/i;

/** Requires `Authorization: Bearer <api key>` of a key that exists and is not revoked. */
export function requireApiKey(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw new UnauthorizedError();
    const match = BEARER.exec(header);
    if (!match) throw new UnauthorizedError("The Authorization header must be: Bearer <api key>");
    const found = await store.apiKeys.find(match[1]!);
    if (!found) throw new UnauthorizedError("Unknown API key");
    if (found.apiKey.revokedAt) throw new UnauthorizedError("This API key has been revoked");
    c.set("auth", found);
    await next();
  };
}

/** Only admin keys pass (managing API keys). */
export const requireAdminKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("auth").apiKey.role !== "admin")
    throw new ForbiddenError("This operation needs an admin API key");
  await next();
};

export type RateLimiter = {
  /** Counts one request of `key`; returns what is left, or the seconds to wait when nothing is. */
  take(key: string): { allowed: boolean; limit: number; remaining: number; resetSeconds: number };
};

/** A fixed-window counter per key, in memory (per replica). */
export function createRateLimiter(options: {
  requests: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const now = options.now ?? Date.now;
  return {
    take(key) {
      const t = now();
      let window = windows.get(key);
      if (!window || t - window.start >= options.windowMs) {
        window = { start: t, count: 0 };
        windows.set(key, window);
        if (windows.size > 100_000) {
          for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
        }
      }
      window.count += 1;
      const resetSeconds = Math.max(1, Math.ceil((window.start + options.windowMs - t) / 1000));
      return {
        allowed: window.count <= options.requests,
        limit: options.requests,
        remaining: Math.max(0, options.requests - window.count),
        resetSeconds,
      };
    },
  };
}

/** Rate limiting per API key (after authentication). */
export function rateLimitByApiKey(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = limiter.take(c.get("auth").apiKey.id);
    const headers = {
      "RateLimit-Limit": String(result.limit),
      "RateLimit-Remaining": String(result.remaining),
      "RateLimit-Reset": String(result.resetSeconds),
    };
    if (!result.allowed) {
      throw new ProblemError(429, "rate-limited", "Too many requests for this API key; slow down", {
        retryAfter: result.resetSeconds,
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

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
