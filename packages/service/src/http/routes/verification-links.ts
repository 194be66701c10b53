// Short verification links, `/v/<token>`: what a QR code carries when the whole credential does not fit in one.
// A browser (a phone camera) is sent to the verifier page with the disclosed credential in the fragment; a
// program (`intyg verify`, Accept: application/json) gets the disclosed credential as JSON. Neither ever sees a
// claim the holder hid: only the disclosed copy is made.

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { encodeShareFragment } from "@intyg/credential";
import { NotFoundError } from "../../errors";
import type { AppDeps, AppEnv } from "../context";
import { notFoundPage, STATIC_PAGE_CSP, wantsHtml } from "../negotiate";
import { disclose, signedDocument } from "../present";
import { problemResponses } from "../problem";

const LinkParamSchema = z.object({
  token: z
    .string()
    .max(100)
    .openapi({ param: { name: "token", in: "path" }, description: "The unguessable token of the link" }),
});

export function verificationLinkRoutes(deps: AppDeps) {
  const { store, config } = deps;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/v/{token}",
      tags: ["Holder"],
      summary:
        "A short verification link: the verifier page (303 with the disclosed credential in the fragment) for a browser, the disclosed credential for Accept: application/json",
      request: { params: LinkParamSchema },
      responses: {
        200: {
          description: "The disclosed credential",
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
        },
        303: { description: "To the verifier page, the disclosed credential in the fragment" },
        ...problemResponses(404, 410),
      },
    }),
    async (c) => {
      const { token } = c.req.valid("param");
      c.header("cache-control", "no-store");
      c.header("referrer-policy", "no-referrer");
      c.header("vary", "Accept");
      const link = /^[A-Za-z0-9_-]{16,100}$/.test(token) ? await store.verificationLinks.get(token) : null;
      const record = link && !link.revokedAt ? await store.credentials.getById(link.credentialId) : null;
      if (!link || !record || record.erasedAt || !record.document) {
        if (wantsHtml(c)) {
          c.header("content-security-policy", STATIC_PAGE_CSP);
          const lang = (c.req.header("accept-language") ?? "sv").toLowerCase().startsWith("en") ? "en" : "sv";
          return c.html(notFoundPage(lang), 404);
        }
        throw new NotFoundError("verification-link");
      }
      const doc = disclose(signedDocument(record), link.hidden);
      if (!wantsHtml(c)) return c.json(doc, 200);
      const base = config.verifyUrl.replace(/#.*$/, "");
      return c.redirect(`${base}#${encodeShareFragment(doc)}`, 303);
    },
  );
  return app;
}
