// Browser sessions of the organiser web app. Signing in with an API key opens a session: a random id sent only in
// an HttpOnly, SameSite=Strict cookie (Secure over HTTPS) and stored as its SHA-256 with an expiry, so the key
// itself never stays in the browser. A session acts as its API key (revoking the key ends the session).
// Every write made with the cookie must carry the session's CSRF token in a header and come from this origin
// (Origin, or Sec-Fetch-Site where Origin is absent); Bearer requests are not affected, as a browser never
// adds an Authorization header on its own.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ServiceError } from "../errors";
import { toApiKey, toOrganisation } from "../store/rows";
import type { Store } from "../store/store";
import type { AuthContext } from "./context";

/** The cookie's name. */
export const SESSION_COOKIE = "intyg_organiser";
/** The header the page sends its CSRF token in on every write. */
export const CSRF_HEADER = "x-csrf-token";
/** How long a session lasts from sign-in: a working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Sign-in attempts allowed per client address per window (wrong keys and right ones alike). */
export const SIGN_IN_LIMIT = { requests: 10, windowMs: 15 * 60 * 1000 };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Session = {
  auth: AuthContext;
  csrfToken: string;
  expiresAt: Date;
};

const hashId = (id: string) => createHash("sha256").update(`organiser-session:${id}`).digest("hex");

/** Opens a session for an API key already checked; returns the cookie value (shown nowhere else). */
export async function openSession(
  store: Pick<Store, "db" | "clock">,
  auth: AuthContext,
  ttlMs = SESSION_TTL_MS,
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const now = store.clock.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await store.db.query(
    `INSERT INTO organiser_sessions (id_hash, api_key_id, csrf_token, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [hashId(id), auth.apiKey.id, csrfToken, now, expiresAt],
  );
  return { id, csrfToken, expiresAt };
}

/** The live session with this cookie value and its API key, or null (unknown, expired, or its key revoked). */
export async function findSession(store: Pick<Store, "db" | "clock">, id: string): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const rows = await store.db.query<Record<string, unknown>>(
    `SELECT s.csrf_token AS s_csrf, s.expires_at AS s_expires, k.*, o.name AS o_name,
            o.chain_organisation_id AS o_chain, o.profile AS o_profile, o.created_at AS o_created_at
       FROM organiser_sessions s
       JOIN api_keys k ON k.id = s.api_key_id
       JOIN organisations o ON o.id = k.organisation_id
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL`,
    [hashId(id), store.clock.now()],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    auth: {
      apiKey: toApiKey(row),
      organisation: toOrganisation({
        id: row.organisation_id,
        name: row.o_name,
        chain_organisation_id: row.o_chain,
        profile: row.o_profile,
        created_at: row.o_created_at,
      }),
    },
    csrfToken: String(row.s_csrf),
    expiresAt: new Date(row.s_expires as string | Date),
  };
}

/** Ends a session (sign-out); expired sessions of everyone go at the same time. */
export async function closeSession(store: Pick<Store, "db" | "clock">, id: string): Promise<void> {
  await store.db.query("DELETE FROM organiser_sessions WHERE id_hash = $1 OR expires_at <= $2", [
    hashId(id),
    store.clock.now(),
  ]);
}

/** Whether the request came over HTTPS (directly, or as the public URL says). */
function isHttps(c: Context, publicUrl: string): boolean {
  return new URL(c.req.url).protocol === "https:" || publicUrl.startsWith("https:");
}

export function setSessionCookie(c: Context, id: string, expiresAt: Date, publicUrl: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: isHttps(c, publicUrl),
    sameSite: "Strict",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, publicUrl: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c, publicUrl), sameSite: "Strict" });
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Refuses (403) a request from another site: its Origin must be this service's (the request's own origin or
 * the public URL's); without Origin, Sec-Fetch-Site must say same-origin. A request with neither is refused.
 */
export function requireSameOrigin(c: Context, publicUrl: string): void {
  const origin = c.req.header("origin");
  if (origin !== undefined) {
    const allowed = new Set([new URL(c.req.url).origin, new URL(publicUrl).origin]);
    if (!allowed.has(origin)) throw new ServiceError("session.other-site");
    return;
  }
  if (c.req.header("sec-fetch-site") !== "same-origin") throw new ServiceError("session.not-organiser-page");
}

/** A write made with the cookie: same origin, and the session's CSRF token in the X-CSRF-Token header. */
export function requireCsrf(c: Context, session: Session, publicUrl: string): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  requireSameOrigin(c, publicUrl);
  const sent = Buffer.from(c.req.header(CSRF_HEADER) ?? "");
  const expected = Buffer.from(session.csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    throw new ServiceError("session.csrf-token-missing");
}
