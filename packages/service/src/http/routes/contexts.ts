import { createHash } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { INTYG_CONTEXT } from "@intyg/credential";
import { NotFoundError } from "../../errors";
import type { AppDeps, AppEnv } from "../context";
import { problemResponses } from "../problem";

// Intyg's JSON-LD context, `https://intyg.se/ns/credentials/v1`, served from the copy shipped in
// @intyg/credential (the one verifiers and tests load locally). A version's content never changes (a changed
// meaning gets a new version), so it is cached for a year and named by its hash.
const CONTEXTS: ReadonlyMap<string, { body: string; etag: string }> = new Map(
  [["v1", INTYG_CONTEXT] as const].map(([version, document]) => {
    const body = `${JSON.stringify(document, null, 2)}\n`;
    const digest = createHash("sha256").update(body).digest("base64url");
    return [version, { body, etag: `"sha256-${digest}"` }];
  }),
);

/** `GET /ns/credentials/{version}`: the JSON-LD context of the credential format. */
export function contextRoutes(_deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: "get",
      path: "/ns/credentials/{version}",
      tags: ["System"],
      summary: "The JSON-LD context of Intyg credentials (`https://intyg.se/ns/credentials/v1`)",
      description:
        "The context every credential names third in its `@context`. Immutable per version: cached for a year, " +
        "with the SHA-256 of the body as its ETag (`If-None-Match` answers 304).",
      request: { params: z.object({ version: z.string().max(40).openapi({ example: "v1" }) }) },
      responses: {
        200: {
          description: "The context document",
          content: { "application/ld+json": { schema: z.record(z.string(), z.unknown()) } },
        },
        304: { description: "Not modified (the ETag matched)" },
        ...problemResponses(404),
      },
    }),
    (c) => {
      const context = CONTEXTS.get(c.req.valid("param").version);
      if (!context) throw new NotFoundError("context");
      c.header("cache-control", "public, max-age=31536000, immutable");
      c.header("etag", context.etag);
      c.header("access-control-allow-origin", "*");
      const match = c.req.header("if-none-match");
      if (match?.split(",").some((tag) => tag.trim() === context.etag)) return c.body(null, 304);
      return c.body(context.body, 200, { "content-type": "application/ld+json; charset=utf-8" });
    },
  );
  return app;
}
