// Content negotiation for links people open: a browser (Accept: text/html first) gets a page, a program gets
// JSON. Without an Accept header the answer is JSON, as before pages existed.

import type { Context } from "hono";

/** True when the request prefers HTML to JSON (what browsers and phone cameras send). */
export function wantsHtml(c: Context): boolean {
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  const html = accept.indexOf("text/html");
  if (html === -1) return false;
  const json = accept.search(/application\/(?:[a-z.+-]*\+)?json/);
  return json === -1 || html < json;
}

/** A small page without script or style for a link that no longer works (the status says why). */
export function notFoundPage(lang: "sv" | "en"): string {
  const text =
    lang === "sv"
      ? {
          title: "Länken fungerar inte",
          body: "Länken är okänd, återkallad av innehavaren, eller så har intyget raderats. Be innehavaren om en ny länk.",
        }
      : {
          title: "This link does not work",
          body: "The link is unknown, was revoked by its holder, or the credential has been erased. Ask the holder for a new link.",
        };
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} – Intyg</title></head>
<body><main><h1>${text.title}</h1><p>${text.body}</p></main></body></html>
`;
}

/** The policy of {@link notFoundPage}: nothing to load at all. */
export const STATIC_PAGE_CSP =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
