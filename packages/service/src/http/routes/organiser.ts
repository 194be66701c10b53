// The organiser web app at /organiser (the page of @intyg/web, its script and style) and its session: sign in
// with an API key (a session cookie is set; the key is kept nowhere), who is signed in (with the CSRF token
// the page sends back on every write), and sign-out. The app itself calls the /v1 API with the cookie.

import { getConnInfo } from "@hono/node-server/conninfo";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Lang } from "@intyg/credential/lang";
import { type ServedVerifyPage, servedOrganiserPage } from "@intyg/web";
import type { Context } from "hono";
import { ServiceError } from "../../errors";
import { sendText } from "../compressed";
import type { AppDeps, AppEnv } from "../context";
import { createRateLimiter } from "../middleware";
import { problemResponses, validationHook } from "../problem";
import {
  clearSessionCookie,
  closeSession,
  findSession,
  openSession,
  requireCsrf,
  requireSameOrigin,
  SESSION_TTL_MS,
  type Session,
  SIGN_IN_LIMIT,
  sessionCookie,
  setSessionCookie,
} from "../session";

const SignInSchema = z
  .strictObject({
    apiKey: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: "An API key of the organisation; exchanged for the session cookie" }),
  })
  .openapi("OrganiserSignIn");

const SessionSchema = z
  .object({
    organisation: z.object({ id: z.string(), name: z.string() }),
    key: z.object({ name: z.string(), role: z.enum(["admin", "issuer"]), prefix: z.string() }),
    csrfToken: z
      .string()
      .openapi({ description: "Send it in the X-CSRF-Token header with every write made with the cookie" }),
    expiresAt: z.string(),
  })
  .openapi("OrganiserSession");

function sessionResource(session: Pick<Session, "auth" | "csrfToken" | "expiresAt">) {
  const { organisation, apiKey } = session.auth;
  return {
    organisation: { id: organisation.id, name: organisation.name },
    key: { name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** The client's address for the sign-in limit (behind a reverse proxy, every client shares the proxy's). */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "local"; // app.request() in tests: no socket
  }
}

/** The page, its files and the session endpoints. */
export function organiserRoutes(deps: AppDeps) {
  const { store, config } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const signInLimiter = createRateLimiter(store, SIGN_IN_LIMIT);
  let served: ServedVerifyPage | undefined;
  const page = () => {
    try {
      served ??= servedOrganiserPage();
    } catch {
      throw new ServiceError("not-implemented.organiser-app");
    }
    return served;
  };

  app.get("/organiser", (c) => {
    const { html, csp } = page();
    c.header("cache-control", "no-cache");
    c.header("content-security-policy", csp);
    c.header("referrer-policy", "no-referrer");
    return c.html(html);
  });
  app.get("/organiser/organiser.js", (c) => {
    c.header("cache-control", "no-cache");
    return sendText(c, page().script, "text/javascript; charset=utf-8");
  });
  app.get("/organiser/organiser.css", (c) => {
    c.header("cache-control", "no-cache");
    return sendText(c, page().style, "text/css; charset=utf-8");
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/organiser/session",
      tags: ["Organiser app"],
      summary: "Who is signed in with the session cookie, and the CSRF token for writes",
      responses: {
        200: { description: "The session", content: { "application/json": { schema: SessionSchema } } },
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const id = sessionCookie(c);
      const session = id ? await findSession(store, id) : null;
      if (!session) throw new ServiceError("session.not-signed-in");
      c.header("cache-control", "no-store");
      return c.json(sessionResource(session), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/organiser/session",
      tags: ["Organiser app"],
      summary: "Sign in with an API key: sets the HttpOnly session cookie (from the organiser page only)",
      request: { body: { required: true, content: { "application/json": { schema: SignInSchema } } } },
      responses: {
        200: { description: "Signed in", content: { "application/json": { schema: SessionSchema } } },
        ...problemResponses(400, 401, 403, 415, 429),
      },
    }),
    async (c) => {
      // A sign-in from another site would sign the victim into the attacker's organisation (login CSRF).
      requireSameOrigin(c, config.publicUrl);
      const limit = await signInLimiter.take(`organiser-sign-in:${clientOf(c)}`);
      if (!limit.allowed) {
        c.header("retry-after", String(limit.resetSeconds));
        throw new ServiceError(
          "session.sign-in-rate-limited",
          {},
          { extensions: { retryAfter: limit.resetSeconds } },
        );
      }
      const found = await store.apiKeys.find(c.req.valid("json").apiKey.trim());
      if (!found || found.apiKey.revokedAt) throw new ServiceError("session.unknown-or-revoked-key");
      const opened = await openSession(store, found, SESSION_TTL_MS);
      setSessionCookie(c, opened.id, opened.expiresAt, config.publicUrl);
      c.header("cache-control", "no-store");
      return c.json(sessionResource({ auth: found, ...opened }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/organiser/session",
      tags: ["Organiser app"],
      summary: "Sign out: ends the session (needs the X-CSRF-Token header) and clears the cookie",
      responses: { 204: { description: "Signed out" }, ...problemResponses(403) },
    }),
    async (c) => {
      const id = sessionCookie(c);
      const session = id ? await findSession(store, id) : null;
      if (id && session) {
        requireCsrf(c, session, config.publicUrl);
        await closeSession(store, id);
      }
      clearSessionCookie(c, config.publicUrl);
      return c.body(null, 204);
    },
  );

  return app;
}

// The English table defines the landing page's texts; the Swedish one must have each of them.
const landingEn = {
  lang: "en",
  title: "Intyg",
  lead: "Verifiable attendance and training credentials for the public sector.",
  verify: "Check a credential",
  verifyText: "Have you received a certificate, a link or a QR code? See whether it is genuine and valid.",
  organiser: "Organiser: sign in",
  organiserText: "Create conferences, import attendees from a spreadsheet and send them their credentials.",
  other: "På svenska",
  otherHref: "/?lang=sv",
  otherLang: "sv",
};
const landingSv: Record<keyof typeof landingEn, string> = {
  lang: "sv",
  title: "Intyg",
  lead: "Verifierbara intyg om deltagande och utbildning för offentlig sektor.",
  verify: "Kontrollera ett intyg",
  verifyText: "Har du fått ett intyg, en länk eller en QR-kod? Se om intyget är äkta och giltigt.",
  organiser: "Arrangör: logga in",
  organiserText: "Skapa konferenser, läs in deltagare från ett kalkylark och skicka deras intyg.",
  other: "In English",
  otherHref: "/?lang=en",
  otherLang: "en",
};
const LANDING: Record<Lang, Record<keyof typeof landingEn, string>> = { en: landingEn, sv: landingSv };

/** The language of the landing page: `?lang=`, else the browser's first choice between Swedish and English. */
export function landingLanguage(c: Context): Lang {
  const asked = c.req.query("lang");
  if (asked === "sv" || asked === "en") return asked;
  const accept = (c.req.header("accept-language") ?? "").toLowerCase();
  const sv = accept.search(/\b(sv|se|nb|nn|no|da)\b/);
  const en = accept.search(/\ben\b/);
  return en !== -1 && (sv === -1 || en < sv) ? "en" : "sv";
}

/**
 * What a person opening the service's address sees: a choice between checking a credential (/verify) and the
 * organiser app (/organiser). Static HTML, no script; styled by the organiser app's style sheet.
 */
export function landingPage(lang: Lang): string {
  const t = LANDING[lang];
  return `<!doctype html>
<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><link rel="stylesheet" href="/organiser/organiser.css"></head>
<body><header class="bar"><p class="brand"><strong>Intyg</strong></p><a href="${t.otherHref}" lang="${t.otherLang}">${t.other}</a></header>
<main id="main"><h1>${t.title}</h1><p class="lead">${t.lead}</p>
<ul class="choices">
<li><a class="choice" href="/verify"><strong>${t.verify}</strong><span>${t.verifyText}</span></a></li>
<li><a class="choice" href="/organiser?lang=${t.lang}"><strong>${t.organiser}</strong><span>${t.organiserText}</span></a></li>
</ul></main></body></html>
`;
}

/** The landing page's policy: its style sheet only. */
export const LANDING_CSP =
  "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
