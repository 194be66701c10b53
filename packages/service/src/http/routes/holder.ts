import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { NotFoundError } from "../../errors";
import type { CredentialRecord } from "../../store/types";
import type { AppDeps, AppEnv } from "../context";
import { type DeliveryFormat, deliver, deliveryRoute } from "../delivery";
import { problemResponses, validationHook } from "../problem";

const TokenParamSchema = z.object({
  token: z
    .string()
    .max(100)
    .openapi({
      param: { name: "token", in: "path" },
      description: "The unguessable holder token of the holder link",
    }),
});

const HolderViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "sending", "anchored", "cancelled", "failed"]),
    revoked: z.boolean(),
    credential: z.record(z.string(), z.unknown()).nullable(),
    links: z.record(z.string(), z.string()),
  })
  .openapi("HolderView");

/** Public routes for attendees, by the unguessable token of their holder link. No API key. */
export function holderRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;

  async function byToken(token: string): Promise<CredentialRecord> {
    const record = /^[A-Za-z0-9_-]{16,100}$/.test(token)
      ? await store.credentials.getByHolderToken(token)
      : null;
    if (!record || record.erasedAt) throw new NotFoundError("credential");
    return record;
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/holder/{token}",
      tags: ["Holder"],
      summary: "The attendee's credential (JSON) by the holder link",
      request: { params: TokenParamSchema },
      responses: {
        200: { description: "The credential", content: { "application/json": { schema: HolderViewSchema } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { token } = c.req.valid("param");
      const record = await byToken(token);
      const base = `${config.publicUrl}/holder/${token}`;
      const signed = Boolean((record.document as { proof?: unknown } | null)?.proof);
      c.header("cache-control", "private, no-store");
      c.header("referrer-policy", "no-referrer");
      return c.json(
        {
          id: record.id,
          status: record.status,
          revoked: record.revocationStatus !== null,
          credential: signed ? record.document : null,
          links: {
            share: `${base}/share`,
            qrSvg: `${base}/qr.svg`,
            qrPng: `${base}/qr.png`,
            pdf: `${base}/pdf`,
          },
        },
        200,
      );
    },
  );

  for (const format of ["share", "qr.svg", "qr.png", "pdf"] as DeliveryFormat[]) {
    app.openapi(deliveryRoute("/holder/{token}", format, TokenParamSchema, { tags: ["Holder"] }), (async (
      c: Context<AppEnv>,
    ) => {
      const record = await byToken(c.req.param("token")!);
      c.header("referrer-policy", "no-referrer");
      return deliver(c, config, record, format, c.req.query() as { hide?: string; lang?: "sv" | "en" });
    }) as never);
  }

  return app;
}
