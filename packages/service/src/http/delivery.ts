// Delivery of a signed credential, shared by the organiser routes and the public holder routes.

import { createRoute, z } from "@hono/zod-openapi";
import type { Credential } from "@intyg/credential";
import type { Lang } from "@intyg/credential/lang";
import type { Context } from "hono";
import type { Share } from "../api";
import type { ServiceConfig } from "../config";
import { type CertificateStatus, certificatePdf } from "../delivery/pdf";
import { fitsInQr, qrPng, qrSvg } from "../delivery/qr";
import { randomBase64url } from "../random";
import type { Store } from "../store/store";
import type { CredentialRecord } from "../store/types";
import { disclose, hiddenPaths, shareLink, signedDocument } from "./present";
import { problemResponses } from "./problem";
import { DeliveryQuerySchema, PdfQuerySchema, ShareSchema } from "./schemas";

export type DeliveryFormat = "share" | FileFormat;
export type FileFormat = "qr.svg" | "qr.png" | "pdf";
/** The query of a file format: the claims to hide and, for the PDF, its language. */
export type FileQuery = { hide?: string | undefined; lang?: "sv" | "en" | undefined };

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
  return certificateOf(deps, record, await deliverable(deps, record, undefined, "organiser"), lang);
}

/** The certificate PDF of the (disclosed) copy `delivered` of `record`. */
async function certificateOf(
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  { doc, qrText }: { doc: Credential; qrText: string },
  lang: "sv" | "en",
): Promise<Uint8Array> {
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

const NO_STORE = { "cache-control": "private, no-store" };

/** The share link of a credential record hiding `hide` (the `share` delivery), and the text its QR code carries. */
export async function shareOf(
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  hide: string | undefined,
  createdBy: "holder" | "organiser" = "organiser",
): Promise<Share> {
  const { hidden, share, short, qrText } = await deliverable(deps, record, hide, createdBy);
  return { url: share, hidden, qr: qrText, ...(short ? { verificationUrl: short } : {}) };
}

/** The share link as JSON, not to be cached. */
export function shareResponse(c: Context, share: Share) {
  return c.json(share, 200, NO_STORE);
}

/** Answers one file format (QR code, PDF) of a credential record. */
export async function deliverFile(
  c: Context,
  deps: { store: Store; config: ServiceConfig },
  record: CredentialRecord,
  format: FileFormat,
  query: FileQuery,
  createdBy: "holder" | "organiser" = "organiser",
): Promise<Response> {
  const delivered = await deliverable(deps, record, query.hide, createdBy);
  const { qrText } = delivered;
  switch (format) {
    case "qr.svg":
      return c.body(await qrSvg(qrText), 200, {
        ...NO_STORE,
        "content-type": "image/svg+xml; charset=utf-8",
      });
    case "qr.png":
      return c.body(new Uint8Array(await qrPng(qrText)), 200, { ...NO_STORE, "content-type": "image/png" });
    case "pdf": {
      const lang = query.lang ?? "sv";
      const pdf = await certificateOf(deps, record, delivered, lang);
      return c.body(new Uint8Array(pdf), 200, {
        ...NO_STORE,
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="intyg-${record.id}-${lang}.pdf"`,
      });
    }
  }
}

type DeliveryRouteOptions = { tags: string[]; security?: { bearerAuth: string[] }[] };

const problems = () => problemResponses(400, 401, 404, 409, 410, 429);

/** The OpenAPI route of the share link under `base` (`/credentials/{id}` or `/holder/{token}`). */
export function shareRoute<P extends z.ZodObject>(base: string, params: P, options: DeliveryRouteOptions) {
  return createRoute({
    method: "get",
    path: `${base}/share`,
    tags: options.tags,
    summary: "A share link (the verifier page with the credential in its fragment); ?hide= hides claims",
    ...(options.security ? { security: options.security } : {}),
    request: { params, query: DeliveryQuerySchema },
    responses: {
      200: { description: "The share link", content: { "application/json": { schema: ShareSchema } } },
      ...problems(),
    },
  });
}

const FILES = {
  "qr.svg": {
    type: "image/svg+xml",
    description: "QR code (SVG)",
    summary: "A QR code (SVG) of the share link",
  },
  "qr.png": { type: "image/png", description: "QR code (PNG)", summary: "A QR code (PNG) of the share link" },
  pdf: {
    type: "application/pdf",
    description: "PDF certificate with the QR code",
    summary: "A PDF certificate in Swedish or English, with the QR code",
  },
} as const;

/** The file formats of a credential: its QR code and its certificate. */
export const FILE_FORMATS = Object.keys(FILES) as FileFormat[];

/** The OpenAPI route of one file format under `base` (`/credentials/{id}` or `/holder/{token}`). */
export function fileRoute<P extends z.ZodObject>(
  base: string,
  format: FileFormat,
  params: P,
  options: DeliveryRouteOptions,
) {
  const file = FILES[format];
  return createRoute({
    method: "get",
    path: `${base}/${format}`,
    tags: options.tags,
    summary: file.summary,
    ...(options.security ? { security: options.security } : {}),
    request: { params, query: format === "pdf" ? PdfQuerySchema : DeliveryQuerySchema },
    responses: {
      200: {
        description: file.description,
        content: { [file.type]: { schema: z.string().openapi({ format: "binary" }) } },
      },
      ...problems(),
    },
  });
}
