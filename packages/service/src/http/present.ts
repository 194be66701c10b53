// How stored records appear in responses, and the delivery of a signed credential (share link, QR, PDF).

import {
  ClaimPathError,
  type Credential,
  discloseCredential,
  ShareLinkError,
  shareUrl,
} from "@intyg/credential";
import type { BulkResult, EventDetails } from "../api";
import type { ServiceConfig } from "../config";
import { ServiceError } from "../errors";
import { holderUrl } from "../issuance";
import { credentialStanding, credentialState } from "../status";
import type { CredentialCounts, CredentialView, ErasureReceipt } from "../store/store";
import type { CredentialRecord, EventRecord, JobRecord } from "../store/types";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function eventResource(
  event: EventRecord,
  extra: { children?: string[]; credentials?: Record<string, number>; counts?: CredentialCounts } = {},
) {
  return {
    id: event.id,
    kind: event.kind,
    parentId: event.parentId,
    status: event.status,
    chainEventId: event.chainEventId,
    metadataHash: event.metadataHash,
    txHash: event.txHash,
    // Stored as the request schemas validated them (AttendanceDetails or CourseDetails).
    details: event.details as EventDetails,
    ...extra,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}

export function credentialLinks(config: ServiceConfig, id: string) {
  const self = `${config.publicUrl}/v1/credentials/${id}`;
  return {
    self,
    share: `${self}/share`,
    qrSvg: `${self}/qr.svg`,
    qrPng: `${self}/qr.png`,
    pdf: `${self}/pdf`,
  };
}

/** The organiser's view of the holder: the name and e-mail claims and their own reference; null once erased. */
function attendeeView(record: CredentialRecord) {
  if (record.erasedAt || !record.document) return null;
  const subject =
    (record.document as { credentialSubject?: Record<string, unknown> }).credentialSubject ?? {};
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    name: text(subject.name),
    email: text(subject.email),
    reference: text(record.recipient?.reference),
  };
}

/** A credential as lists show it: the status model (state, standing, delivery), anchor and holder. */
export function credentialSummary(config: ServiceConfig, view: CredentialView, now: Date) {
  const { record, batch, delivery } = view;
  const revokedAt = iso(record.revokedAt);
  return {
    id: record.id,
    eventId: record.eventId,
    mode: record.mode,
    state: credentialState(record),
    standing: credentialStanding(record, Math.floor(now.getTime() / 1000)),
    status: record.status,
    commitment: record.commitment,
    holder: record.holderAddress,
    validUntil: record.validUntil ? new Date(record.validUntil * 1000).toISOString() : null,
    batch:
      record.batchId && record.leaf && record.proof
        ? {
            id: record.batchId,
            root: batch?.root ?? rootOf(record) ?? "",
            leaf: record.leaf,
            proof: record.proof,
          }
        : null,
    txHash: record.mode === "batch" ? (batch?.txHash ?? null) : record.txHash,
    anchoredAt: iso(record.anchoredAt),
    revocation:
      record.revocationReason && record.revocationStatus
        ? {
            reason: record.revocationReason,
            at: revokedAt ?? iso(record.revocationRequestedAt),
            status: record.revocationStatus,
            requestedAt: iso(record.revocationRequestedAt),
            revokedAt,
          }
        : null,
    supersedes: record.supersedes,
    supersededBy: record.supersededBy,
    erasedAt: iso(record.erasedAt),
    delivery,
    attendee: attendeeView(record),
    holderUrl: record.holderToken ? holderUrl(config.publicUrl, record.holderToken) : null,
    links: credentialLinks(config, record.id),
    createdAt: record.createdAt.toISOString(),
  };
}

/** A page of credential summaries, as the list routes answer. */
export function credentialPage(
  config: ServiceConfig,
  page: { items: CredentialView[]; nextCursor: string | null },
  now: Date,
) {
  return {
    items: page.items.map((view) => credentialSummary(config, view, now)),
    nextCursor: page.nextCursor,
  };
}

function rootOf(record: CredentialRecord): string | null {
  const anchor = (record.document as { anchor?: { batch?: { root?: string } } } | null)?.anchor;
  return anchor?.batch?.root ?? null;
}

/** An erasure receipt as the API shows it. */
export function receiptResource(receipt: ErasureReceipt) {
  return {
    id: receipt.id,
    credentialId: receipt.credentialId,
    reason: receipt.reason,
    erasedBy: receipt.erasedBy,
    erasedAt: receipt.erasedAt.toISOString(),
    destroyed: receipt.destroyed,
  };
}

export function credentialResource(config: ServiceConfig, view: CredentialView, now: Date) {
  return { ...credentialSummary(config, view, now), credential: view.record.document };
}

/**
 * A bulk job with its progress: how many of its attendees are anchored, failed or still pending, and their
 * e-mails. Before the job has run, every attendee is pending.
 */
export function jobResource(config: ServiceConfig, job: JobRecord, counts: CredentialCounts | null = null) {
  const input = job.input as { attendees?: unknown[] } | null;
  const result = job.result as { count?: number } | null;
  const total = result?.count ?? input?.attendees?.length ?? counts?.total ?? 0;
  const state = counts?.state ?? {};
  const delivery = counts?.delivery ?? {};
  const anchored = state.anchored ?? 0;
  const failed = state.failed ?? 0;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    // What the worker stored when the job succeeded.
    result: (job.result as BulkResult | null) ?? null,
    error: (job.error as Record<string, unknown> | null) ?? null,
    total,
    pending: job.status === "failed" ? 0 : counts?.total ? (state.pending ?? 0) : total,
    anchored,
    failed,
    delivery: {
      queued: (delivery.queued ?? 0) + (delivery.sending ?? 0),
      sent: delivery.sent ?? 0,
      failed: delivery.failed ?? 0,
    },
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    href: `${config.publicUrl}/v1/jobs/${job.id}`,
  };
}

/** The credential as the holder may show it: signed (it has its proof), not erased. */
export function signedDocument(record: CredentialRecord): Credential {
  if (record.erasedAt || !record.document) throw new ServiceError("credential.erased");
  const doc = record.document as { proof?: unknown };
  if (!doc.proof) {
    throw new ServiceError("credential.not-signed-yet", {}, { extensions: { retryAfter: 2 } });
  }
  return record.document as unknown as Credential;
}

/** Parses `?hide=/credentialSubject/email,/credentialSubject/birthDate`. */
export function hiddenPaths(hide: string | undefined): string[] {
  if (!hide) return [];
  return hide
    .split(",")
    .map((path) => path.trim())
    .filter(Boolean);
}

/** A copy hiding the chosen claims (selective disclosure); the proof still verifies. */
export function disclose(doc: Credential, hide: string[]): Credential {
  if (hide.length === 0) return doc;
  try {
    return discloseCredential(doc, { hide });
  } catch (error) {
    if (error instanceof ClaimPathError) {
      throw new ServiceError("credential.cannot-hide", {
        path: String(error.details.path ?? "that claim"),
        reason: error.message,
      });
    }
    throw error;
  }
}

export function shareLink(config: ServiceConfig, doc: Credential): string {
  try {
    return shareUrl(config.verifyUrl, doc);
  } catch (error) {
    if (error instanceof ShareLinkError)
      throw new ServiceError("credential.share-link-invalid", { reason: error.message });
    throw error;
  }
}
