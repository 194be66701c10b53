// Delivery of a signed credential, shared by the organiser routes and the public holder routes.

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ServiceConfig } from "../config";
import { certificatePdf } from "../delivery/pdf";
import { qrPayload, qrPng, qrSvg } from "../delivery/qr";
import { holderUrl } from "../issuance";
import type { CredentialRecord } from "../store/types";
import { disclose, hiddenPaths, shareLink, signedDocument } from "./present";
import { problemResponses } from "./problem";
import { DeliveryQuerySchema, PdfQuerySchema, ShareSchema } from "./schemas";

export type DeliveryFormat = "share" | "qr.svg" | "qr.png" | "pdf";

function deliverable(config: ServiceConfig, record: CredentialRecord, hide: string | undefined) {
  const hidden = hiddenPaths(hide);
  const doc = disclose(signedDocument(record), hidden);
  const share = shareLink(config, doc);
  const holder = record.holderToken ? holderUrl(config.publicUrl, record.holderToken) : null;
  return { doc, hidden, share, qrText: qrPayload(share, holder) };
}

/** Answers one delivery format for a credential record. */
export async function deliver(
  c: Context,
  config: ServiceConfig,
  record: CredentialRecord,
  format: DeliveryFormat,
  query: { hide?: string | undefined; lang?: "sv" | "en" | undefined },
): Promise<Response> {
  const { doc, hidden, share, qrText } = deliverable(config, record, query.hide);
  const headers = { "cache-control": "private, no-store" };
  switch (format) {
    case "share":
      return c.json({ url: share, hidden }, 200, headers);
    case "qr.svg":
      return c.body(await qrSvg(qrText), 200, { ...headers, "content-type": "image/svg+xml; charset=utf-8" });
    case "qr.png":
      return c.body(new Uint8Array(await qrPng(qrText)), 200, { ...headers, "content-type": "image/png" });
    case "pdf": {
      const lang = query.lang ?? "sv";
      const pdf = await certificatePdf({
        document: doc as unknown as Record<string, unknown>,
        lang,
        qrPng: new Uint8Array(await qrPng(qrText, 400)),
        verifyUrl: config.verifyUrl,
      });
      return c.body(new Uint8Array(pdf), 200, {
        ...headers,
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="intyg-${record.id}-${lang}.pdf"`,
      });
    }
  }
}

/** The OpenAPI route of one delivery format under `base` (`/credentials/{id}` or `/holder/{token}`). */
export function deliveryRoute(
  base: string,
  format: DeliveryFormat,
  params: z.ZodObject,
  options: { tags: string[]; security?: { bearerAuth: never[] }[] },
) {
  const binary = (type: string) => ({ [type]: { schema: z.string().openapi({ format: "binary" }) } });
  const responses = {
    share: { description: "The share link", content: { "application/json": { schema: ShareSchema } } },
    "qr.svg": { description: "QR code (SVG)", content: binary("image/svg+xml") },
    "qr.png": { description: "QR code (PNG)", content: binary("image/png") },
    pdf: { description: "PDF certificate with the QR code", content: binary("application/pdf") },
  }[format];
  const summaries = {
    share: "A share link (the verifier page with the credential in its fragment); ?hide= hides claims",
    "qr.svg": "A QR code (SVG) of the share link",
    "qr.png": "A QR code (PNG) of the share link",
    pdf: "A PDF certificate in Swedish or English, with the QR code",
  };
  return createRoute({
    method: "get",
    path: `${base}/${format}`,
    tags: options.tags,
    summary: summaries[format],
    ...(options.security ? { security: options.security } : {}),
    request: { params, query: format === "pdf" ? PdfQuerySchema : DeliveryQuerySchema },
    responses: { 200: responses, ...problemResponses(400, 401, 404, 409, 410, 429) },
  });
}
