// Content negotiation for links people open: a browser (Accept: text/html first) gets a page, a program gets
// JSON. Without an Accept header the answer is JSON, as before pages existed.

import type { Lang } from "@intyg/credential/lang";
import type { Context } from "hono";

/** True when the request prefers HTML to JSON (what browsers and phone cameras send). */
export function wantsHtml(c: Context): boolean {
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  const html = accept.indexOf("text/html");
  if (html === -1) return false;
  const json = accept.search(/application\/(?:[a-z.+-]*\+)?json/);
  return json === -1 || html < json;
}

// The English table defines the texts of the page for a dead link; the Swedish one must have each of them.
const deadLinkEn = {
  title: "This link does not work",
  body: "The link is unknown, was revoked by its holder, or the credential has been erased. Ask the holder for a new link.",
};
const deadLinkSv: Record<keyof typeof deadLinkEn, string> = {
  title: "Länken fungerar inte",
  body: "Länken är okänd, återkallad av innehavaren, eller så har intyget raderats. Be innehavaren om en ny länk.",
};
const DEAD_LINK: Record<Lang, typeof deadLinkEn> = { en: deadLinkEn, sv: deadLinkSv };

/** A small page without script or style for a link that no longer works (the status says why). */
export function notFoundPage(lang: Lang): string {
  const text = DEAD_LINK[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} – Intyg</title></head>
<body><main><h1>${text.title}</h1><p>${text.body}</p></main></body></html>
`;
}

/** The policy of {@link notFoundPage}: nothing to load at all. */
export const STATIC_PAGE_CSP =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
