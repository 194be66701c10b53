// Delivery of a signed credential, shared by the organiser routes and the public holder routes.

import { createRoute, z } from "@hono/zod-openapi";
import type { Lang } from "@intyg/credential/lang";
import type { Context } from "hono";
import type { ServiceConfig } from "../config";
import { type CertificateStatus, certificatePdf } from "../delivery/pdf";
import { fitsInQr, qrPng, qrSvg } from "../delivery/qr";
import { randomBase64url } from "../random";
import type { Store } from "../store/store";
import type { CredentialRecord } from "../store/types";
import { disclose, hiddenPaths, shareLink, signedDocument } from "./present";
import { problemResponses } from "./problem";
import { DeliveryQuerySchema, PdfQuerySchema, ShareSchema } from "./schemas";

export type DeliveryFormat = "share" | "qr.svg" | "qr.png" | "pdf";

/** The short verification link `/v/<token>`. */
export function verificationUrl(config: ServiceConfig, token: string): string {
  return `${config.publicUrl}/v/${token}`;
}

/** A new verification link token: 16 random bytes, base64url (22 characters). */
export function newVerificationToken(): string {
  return randomBase64url(16);
}

/** The short verification link of `record` hiding `hidden` (the existing one for that disclosure, or a new one). */
export async function verificationLinkFor(
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  hidden: string[],
  createdBy: "holder" | "organiser",
): Promise<string> {
  const link = await deps.store.verificationLinks.forDisclosure(
    record.id,
    hidden,
    newVerificationToken(),
    createdBy,
  );
  return verificationUrl(deps.config, link.token);
}

/** What a certificate must say about a credential that is no longer valid as issued; null when it is. */
export function certificateStatus(record: CredentialRecord): CertificateStatus | null {
  if (!record.revocationReason || record.revocationStatus === "failed") return null;
  const date = record.revokedAt ?? record.revocationRequestedAt;
  return {
    kind: record.supersededBy || record.revocationReason === "superseded" ? "superseded" : "revoked",
    reason: record.revocationReason,
    ...(date ? { date: date.toISOString() } : {}),
  };
}

/** The name of the conference a credential's event is a part of, if it is one. */
async function parentEventName(store: Store, record: CredentialRecord): Promise<string | undefined> {
  const event = await store.events.get(record.organisationId, record.eventId);
  const parent = event?.parentId ? await store.events.get(record.organisationId, event.parentId) : null;
  const name = (parent?.details as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}

async function deliverable(
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  hide: string | undefined,
  createdBy: "holder" | "organiser",
) {
  const hidden = hiddenPaths(hide);
  const doc = disclose(signedDocument(record), hidden);
  const share = shareLink(deps.config, doc);
  // The QR code carries the whole (disclosed) credential when it fits, else a short link to the same disclosure.
  const short = fitsInQr(share) ? null : await verificationLinkFor(deps, record, hidden, createdBy);
  return { doc, hidden, share, short, qrText: short ?? share };
}

/** The certificate PDF of a credential in `lang`, its QR code carrying the whole credential or a short link. */
export async function certificateFor(
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  lang: Lang,
): Promise<Uint8Array> {
  const { doc, qrText } = await deliverable(deps, record, undefined, "organiser");
  const status = certificateStatus(record);
  const parentName = await parentEventName(deps.store, record);
  return certificatePdf({
    document: doc as unknown as Record<string, unknown>,
    lang,
    qrPng: new Uint8Array(await qrPng(qrText, 400)),
    verifyUrl: qrText.length <= 120 ? qrText : deps.config.verifyUrl,
    ...(status ? { status } : {}),
    ...(parentName ? { parentName } : {}),
  });
}

/** Answers one delivery format for a credential record. */
export async function deliver(
  c: Context,
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  format: DeliveryFormat,
  query: { hide?: string | undefined; lang?: Lang | undefined },
  createdBy: "holder" | "organiser" = "organiser",
): Promise<Response> {
  const { doc, hidden, share, short, qrText } = await deliverable(deps, record, query.hide, createdBy);
  const headers = { "cache-control": "private, no-store" };
  switch (format) {
    case "share":
      return c.json(
        { url: share, hidden, qr: qrText, ...(short ? { verificationUrl: short } : {}) },
        200,
        headers,
      );
    case "qr.svg":
      return c.body(await qrSvg(qrText), 200, { ...headers, "content-type": "image/svg+xml; charset=utf-8" });
    case "qr.png":
      return c.body(new Uint8Array(await qrPng(qrText)), 200, { ...headers, "content-type": "image/png" });
    case "pdf": {
      const lang = query.lang ?? "sv";
      const status = certificateStatus(record);
      const parentName = await parentEventName(deps.store, record);
      const pdf = await certificatePdf({
        document: doc as unknown as Record<string, unknown>,
        lang,
        qrPng: new Uint8Array(await qrPng(qrText, 400)),
        verifyUrl: qrText.length <= 120 ? qrText : deps.config.verifyUrl,
        ...(status ? { status } : {}),
        ...(parentName ? { parentName } : {}),
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
