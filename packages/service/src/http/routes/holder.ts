// The attendee's own link, `/holder/<token>`: a page for a person (Accept: text/html), JSON for a program. From
// it the holder downloads the PDF and the credential file, chooses which claims to hide, makes short
// verification links (and revokes them), and asks for a claim voucher for a wallet. No API key: the token is
// the capability.

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { NotFoundError } from "../../errors";
import { holderUrl } from "../../issuance";
import type { CredentialRecord, VerificationLinkRecord } from "../../store/types";
import { sendText } from "../compressed";
import type { AppDeps, AppEnv } from "../context";
import {
  deliverFile,
  FILE_FORMATS,
  type FileQuery,
  fileRoute,
  newVerificationToken,
  shareOf,
  shareResponse,
  shareRoute,
  verificationUrl,
} from "../delivery";
import { wantsHtml } from "../negotiate";
import { disclose, hiddenPaths, shareLink, signedDocument } from "../present";
import { problemResponses, validationHook } from "../problem";
import { AnchoringStatusSchema, ClaimVoucherRequestSchema, ClaimVoucherSchema } from "../schemas";
import { claimVoucher } from "../voucher";

const TokenParamSchema = z.object({
  token: z
    .string()
    .max(100)
    .openapi({
      param: { name: "token", in: "path" },
      description: "The unguessable holder token of the holder link",
    }),
});

const LinkParamsSchema = TokenParamSchema.extend({
  link: z
    .string()
    .max(100)
    .openapi({ param: { name: "link", in: "path" }, description: "The token of a verification link" }),
});

const HolderViewSchema = z
  .object({
    id: z.string(),
    status: AnchoringStatusSchema,
    revoked: z.boolean(),
    revocation: z
      .object({ reason: z.string(), status: z.string(), at: z.string().nullable() })
      .nullable()
      .openapi({ description: "Why and when the credential was revoked (or superseded)" }),
    supersededBy: z
      .string()
      .nullable()
      .openapi({ description: "The holder link of the credential that replaced this one" }),
    credential: z.record(z.string(), z.unknown()).nullable(),
    hideable: z.array(z.string()).openapi({ description: "JSON pointers of the claims the holder may hide" }),
    links: z.record(z.string(), z.string()),
  })
  .openapi("HolderView");

const LinkRequestSchema = z
  .strictObject({
    hide: z
      .array(z.string().max(200))
      .max(50)
      .openapi({ description: "JSON pointers of the claims to hide, e.g. /credentialSubject/email" }),
  })
  .openapi("VerificationLinkRequest");

const LinkSchema = z
  .object({
    token: z.string(),
    url: z.string().openapi({ description: "The short verification link (for a QR code)" }),
    share: z
      .string()
      .openapi({ description: "The share link with the disclosed credential in its fragment" }),
    hidden: z.array(z.string()),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("VerificationLink");

/** Claims of the subject a holder may hide: all but the achievement (what the credential is about). */
function hideable(record: CredentialRecord): string[] {
  const subject = (record.document as { credentialSubject?: Record<string, unknown> } | null)
    ?.credentialSubject;
  return Object.keys(subject ?? {})
    .filter((key) => key !== "achievement" && key !== "type")
    .map((key) => `/credentialSubject/${key}`);
}

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

  /**
   * The holder has taken their own copy (the file, the PDF, a share link carrying it, or a wallet claim): the
   * retention rule may then erase the service's copy after the organisation's retention rather than keep it
   * for the longer limit of unfetched credentials.
   */
  async function fetched(record: CredentialRecord): Promise<void> {
    if (!record.holderFetchedAt) await store.privacy.holderFetched(record.id);
  }

  function linkResource(record: CredentialRecord, link: VerificationLinkRecord) {
    return {
      token: link.token,
      url: verificationUrl(config, link.token),
      share: shareLink(config, disclose(signedDocument(record), link.hidden)),
      hidden: link.hidden,
      createdAt: link.createdAt.toISOString(),
      revokedAt: link.revokedAt ? link.revokedAt.toISOString() : null,
    };
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/holder/{token}",
      tags: ["Holder"],
      summary:
        "The attendee's credential by the holder link: a page for a browser (Accept: text/html), JSON otherwise",
      request: { params: TokenParamSchema },
      responses: {
        200: {
          description: "The credential",
          content: {
            "application/json": { schema: HolderViewSchema },
            "text/html": { schema: z.string() },
          },
        },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const token = c.req.valid("param").token;
      c.header("cache-control", "private, no-store");
      c.header("referrer-policy", "no-referrer");
      c.header("vary", "Accept");
      if (wantsHtml(c) && deps.holderPage) {
        // The page fetches this same URL as JSON; an unknown token shows the page's own "not found" view.
        c.header("content-security-policy", deps.holderPage.csp);
        return c.html(deps.holderPage.html);
      }
      const record = await byToken(token);
      const base = `${config.publicUrl}/holder/${token}`;
      const signed = Boolean((record.document as { proof?: unknown } | null)?.proof);
      const replacement = record.supersededBy ? await store.credentials.getById(record.supersededBy) : null;
      const revokedAt = record.revokedAt ?? record.revocationRequestedAt;
      return c.json(
        {
          id: record.id,
          status: record.status,
          revoked: record.revocationStatus !== null,
          revocation:
            record.revocationReason && record.revocationStatus
              ? {
                  reason: record.revocationReason,
                  status: record.revocationStatus,
                  at: revokedAt ? revokedAt.toISOString() : null,
                }
              : null,
          supersededBy:
            replacement?.holderToken && !replacement.erasedAt
              ? holderUrl(config.publicUrl, replacement.holderToken)
              : null,
          credential: signed ? record.document : null,
          hideable: hideable(record),
          links: {
            self: base,
            credential: `${base}/credential.json`,
            share: `${base}/share`,
            qrSvg: `${base}/qr.svg`,
            qrPng: `${base}/qr.png`,
            pdf: `${base}/pdf`,
            links: `${base}/links`,
            claimVoucher: `${base}/claim-voucher`,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/holder/{token}/credential.json",
      tags: ["Holder"],
      summary: "The signed credential as a file to keep or hand to a verifier",
      request: { params: TokenParamSchema },
      responses: {
        200: {
          description: "The credential (VC 2.0 JSON)",
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
        },
        ...problemResponses(404, 409, 410),
      },
    }),
    async (c) => {
      const record = await byToken(c.req.valid("param").token);
      const doc = signedDocument(record);
      await fetched(record);
      c.header("cache-control", "private, no-store");
      c.header("referrer-policy", "no-referrer");
      c.header("content-disposition", `attachment; filename="intyg-${record.id}.json"`);
      return c.json(doc, 200);
    },
  );

  const deliveryOptions = { tags: ["Holder"] };
  app.openapi(shareRoute("/holder/{token}", TokenParamSchema, deliveryOptions), async (c) => {
    const record = await byToken(c.req.valid("param").token);
    c.header("referrer-policy", "no-referrer");
    const share = await shareOf(deps, record, c.req.valid("query").hide, "holder");
    await fetched(record);
    return shareResponse(c, share);
  });
  for (const format of FILE_FORMATS) {
    app.openapi(fileRoute("/holder/{token}", format, TokenParamSchema, deliveryOptions), async (c) => {
      const record = await byToken(c.req.valid("param").token);
      c.header("referrer-policy", "no-referrer");
      const query: FileQuery = c.req.valid("query");
      const response = await deliverFile(c, deps, record, format, query, "holder");
      // The PDF is a copy the holder keeps; a QR code alone may only point back to this service.
      if (format === "pdf") await fetched(record);
      return response;
    });
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/holder/{token}/links",
      tags: ["Holder"],
      summary: "The holder's short verification links, revoked ones included",
      request: { params: TokenParamSchema },
      responses: {
        200: {
          description: "The links",
          content: { "application/json": { schema: z.object({ items: z.array(LinkSchema) }) } },
        },
        ...problemResponses(404, 409, 410),
      },
    }),
    async (c) => {
      const record = await byToken(c.req.valid("param").token);
      const links = await store.verificationLinks.list(record.id);
      c.header("cache-control", "private, no-store");
      return c.json({ items: links.map((link) => linkResource(record, link)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/holder/{token}/links",
      tags: ["Holder"],
      summary:
        "A short verification link showing only the claims not hidden (the existing one for the same choice)",
      request: {
        params: TokenParamSchema,
        body: { required: true, content: { "application/json": { schema: LinkRequestSchema } } },
      },
      responses: {
        200: { description: "The link", content: { "application/json": { schema: LinkSchema } } },
        ...problemResponses(400, 404, 409, 410, 415),
      },
    }),
    async (c) => {
      const record = await byToken(c.req.valid("param").token);
      const hidden = hiddenPaths(c.req.valid("json").hide.join(","));
      disclose(signedDocument(record), hidden); // refuses what cannot be hidden before anything is stored
      const link = await store.verificationLinks.forDisclosure(
        record.id,
        hidden,
        newVerificationToken(),
        "holder",
      );
      c.header("cache-control", "private, no-store");
      return c.json(linkResource(record, link), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/holder/{token}/links/{link}/revoke",
      tags: ["Holder"],
      summary: "Revokes a short verification link: it stops working at once",
      request: { params: LinkParamsSchema },
      responses: {
        204: { description: "Revoked" },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { token, link } = c.req.valid("param");
      const record = await byToken(token);
      if (!(await store.verificationLinks.revoke(record.id, link))) throw new NotFoundError("link");
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/holder/{token}/claim-voucher",
      tags: ["Holder"],
      summary: "A signed voucher for the holder's wallet to claim the soulbound token with claimToken",
      request: {
        params: TokenParamSchema,
        body: { required: true, content: { "application/json": { schema: ClaimVoucherRequestSchema } } },
      },
      responses: {
        200: { description: "The voucher", content: { "application/json": { schema: ClaimVoucherSchema } } },
        ...problemResponses(400, 404, 409, 415),
      },
    }),
    async (c) => {
      const record = await byToken(c.req.valid("param").token);
      const body = c.req.valid("json");
      c.header("cache-control", "private, no-store");
      const voucher = await claimVoucher(deps, record, body.holder, body.deadline);
      await fetched(record);
      return c.json(voucher, 200);
    },
  );

  // The holder page's script and style sheet (its HTML is the holder link itself).
  // Gzipped for a browser that accepts it: an attendee opens the page on a phone (the script is about 490 KB as text).
  const asset = (name: "script" | "style", type: string) => (c: Context<AppEnv>) => {
    if (!deps.holderPage) throw new NotFoundError("page");
    c.header("cache-control", "no-cache");
    return sendText(c, deps.holderPage[name], type);
  };
  app.get("/assets/holder.js", asset("script", "text/javascript; charset=utf-8"));
  app.get("/assets/holder.css", asset("style", "text/css; charset=utf-8"));

  return app;
}
