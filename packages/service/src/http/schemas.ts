// Request and response schemas of the HTTP API (zod, with OpenAPI metadata). Credential content reuses the
// schemas of @intyg/credential, so the API accepts exactly what the format can carry. Every request object is
// strict: an unknown field is a 400.

import { z } from "@hono/zod-openapi";
import {
  ATTENDEE_FIELDS,
  addressSchema,
  CREDENTIAL_STANDINGS,
  CREDENTIAL_STATES,
  DELIVERY_STATUSES,
  dateOrDateTimeSchema,
  dateTimeSchema,
  eventPartSchema,
  skillSchema,
  subjectClaimsShape,
} from "@intyg/credential";
import { REVOCATION_REASONS } from "@intyg/registry";
import type { CredentialStatus, JobStatus } from "../store/types";

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => value.trim().length > 0, { message: "Must not be blank" });

export const UuidSchema = z.uuid().openapi({ example: "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f" });

export const IdParamSchema = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: "id", in: "path" }, example: "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f" }),
});

export const PageQuerySchema = {
  cursor: z.string().max(200).optional().openapi({ description: "From the previous page's nextCursor" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .openapi({ description: "Page size (default 50)" }),
};

// -- organisation and keys --------------------------------------------------------------------------------------

export const OrganisationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    chainOrganisationId: z.number().int(),
    profile: z.record(z.string(), z.unknown()),
    signer: z.string().openapi({ description: "The address of the service's signing key" }),
    chainId: z.number().int(),
    registry: z.string(),
    createdAt: z.string(),
  })
  .openapi("Organisation");

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "issuer"]),
    prefix: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreateApiKeySchema = z
  .strictObject({
    name: text(100),
    role: z.enum(["admin", "issuer"]).default("issuer"),
  })
  .openapi("CreateApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({ description: "The key itself: shown once, stored only as its SHA-256" }),
}).openapi("CreatedApiKey");

// -- the status model (the enums come from @intyg/credential, shared with the CLI) -----------------------------

export const CredentialStateSchema = z.enum(CREDENTIAL_STATES).openapi("CredentialState", {
  description:
    "What became of the document: pending (waiting to be anchored), anchored, failed (anchoring failed), cancelled (revoked or superseded before it was anchored), erased (its personal data deleted)",
});
export const CredentialStandingSchema = z.enum(CREDENTIAL_STANDINGS).openapi("CredentialStanding", {
  description:
    "Whether the credential counts: valid, revoked (see revocation), superseded (see supersededBy), expired; null while not known (not anchored yet)",
});
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES).openapi("DeliveryStatus", {
  description: "The latest e-mail of the credential: none (never asked for), queued, sending, sent, failed",
});

/** The anchoring step of a credential (internal; `state` and `standing` are the status model). */
export const AnchoringStatusSchema = z.enum([
  "pending",
  "sending",
  "anchored",
  "cancelled",
  "failed",
] as const satisfies readonly CredentialStatus[]);

export const DeliverySchema = z
  .object({
    status: DeliveryStatusSchema,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
  })
  .openapi("Delivery");

export const CountsSchema = z
  .object({
    total: z.number().int(),
    state: z.record(z.string(), z.number().int()),
    standing: z.record(z.string(), z.number().int()).openapi({ description: "`none`: not known yet" }),
    delivery: z.record(z.string(), z.number().int()),
  })
  .openapi("CredentialCounts");

export const StatusFilterSchema = {
  state: CredentialStateSchema.optional(),
  standing: CredentialStandingSchema.optional(),
  delivery: DeliveryStatusSchema.optional(),
  q: z.string().min(1).max(200).optional().openapi({
    description:
      "Search: the whole name, words of it or the first 3–12 characters of its words (every word of the search the beginning of a word of the name), the whole e-mail address or the reference (case-insensitive; compared by keyed hashes, so never the middle of a word)",
  }),
};

// -- events and courses -----------------------------------------------------------------------------------------

export const AttendanceDetailsSchema = z
  .strictObject({
    name: text(300),
    description: text(5000).optional(),
    criteria: text(5000).optional(),
    startDate: dateOrDateTimeSchema,
    endDate: dateOrDateTimeSchema,
    location: text(500).optional(),
    parts: z.array(eventPartSchema).min(1).max(200).optional(),
  })
  .openapi("AttendanceDetails");

export const CourseDetailsSchema = z
  .strictObject({
    name: text(300),
    description: text(5000).optional(),
    criteria: text(5000).optional(),
    hours: z.number().positive().max(100_000).optional(),
    credits: z.number().positive().max(10_000).optional(),
    learningOutcomes: z.array(text(2000)).min(1).max(200).optional(),
    skills: z.array(skillSchema).min(1).max(200).optional(),
    assessment: text(2000).optional(),
  })
  .openapi("CourseDetails");

export const CreateEventSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("event"),
      parentId: z.uuid().optional().openapi({ description: "The conference this event is a part of" }),
      details: AttendanceDetailsSchema,
    }),
    z.strictObject({ kind: z.literal("course"), details: CourseDetailsSchema }),
  ])
  .openapi("CreateEvent");

export const UpdateEventSchema = z
  .strictObject({ details: z.union([AttendanceDetailsSchema, CourseDetailsSchema]) })
  .openapi("UpdateEvent");

/** The details as answered: those the event or course was created (or last updated) with, of either kind. */
export const EventDetailsSchema = z
  .object({ ...AttendanceDetailsSchema.shape, ...CourseDetailsSchema.shape })
  .partial()
  .required({ name: true })
  .openapi("EventDetails");

export const EventSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["event", "course"]),
    parentId: z.string().nullable(),
    status: z.enum(["registering", "registered", "failed"]),
    chainEventId: z.string().nullable(),
    metadataHash: z.string(),
    txHash: z.string().nullable(),
    details: EventDetailsSchema,
    children: z.array(z.string()).optional(),
    credentials: z
      .record(z.string(), z.number())
      .optional()
      .openapi({ description: "Counts by the internal anchoring step; see counts" }),
    counts: CountsSchema.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Event");

export const EventListSchema = z
  .object({ items: z.array(EventSchema), nextCursor: z.string().nullable() })
  .openapi("EventList");

// -- credentials ------------------------------------------------------------------------------------------------

export const SubjectSchema = z.strictObject(subjectClaimsShape).openapi("Subject", {
  description: "The attendee's claims; each may later be hidden by the holder (selective disclosure)",
});

export const AttendeeSchema = z
  .strictObject({
    subject: SubjectSchema,
    holder: addressSchema
      .optional()
      .openapi({ description: "A wallet: the credential is issued on its own with a soulbound token to it" }),
    validUntil: dateTimeSchema.optional().openapi({ description: "When the credential expires (UTC)" }),
    reference: text(200)
      .optional()
      .openapi({ description: "Your own reference, echoed back; not in the credential" }),
    lang: z
      .enum(["sv", "en"])
      .optional()
      .openapi({ description: "The language of the attendee's e-mail (default sv); not in the credential" }),
  })
  .openapi("Attendee");

export function bulkSchema(maxItems: number) {
  return z
    .strictObject({
      attendees: z.array(AttendeeSchema).min(1).max(maxItems),
      validUntil: dateTimeSchema.optional().openapi({ description: "Default expiry for every attendee" }),
      send: z.boolean().optional().openapi({
        description: "E-mail each attendee (with an e-mail claim) their credential once anchored",
      }),
    })
    .openapi("BulkIssue");
}

export const IssuedItemSchema = z
  .object({
    index: z.number().int(),
    id: z.string(),
    reference: z.string().optional(),
    mode: z.enum(["batch", "single"]),
    status: z.literal("pending"),
    holderUrl: z.string(),
  })
  .openapi("IssuedItem");

export const BulkResultSchema = z
  .object({ count: z.number().int(), credentials: z.array(IssuedItemSchema) })
  .openapi("BulkResult");

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"] as const satisfies readonly JobStatus[]),
    result: BulkResultSchema.nullable(),
    error: z.record(z.string(), z.unknown()).nullable(),
    total: z.number().int().openapi({ description: "Attendees in this job" }),
    pending: z.number().int().openapi({ description: "Not yet anchored (nor failed, cancelled or erased)" }),
    anchored: z.number().int(),
    failed: z.number().int(),
    delivery: z
      .object({ queued: z.number().int(), sent: z.number().int(), failed: z.number().int() })
      .openapi({ description: "E-mails of this job's credentials (queued includes those being sent)" }),
    createdAt: z.string(),
    updatedAt: z.string(),
    href: z.string(),
  })
  .openapi("Job");

export const ImportPreviewSchema = z
  .object({
    format: z.enum(["csv", "xlsx"]),
    columns: z.array(z.object({ header: z.string(), field: z.enum(ATTENDEE_FIELDS).nullable() })).openapi({
      description: "Every column with the field it is read as (suggested or chosen; null: ignored)",
    }),
    fields: z.array(z.enum(ATTENDEE_FIELDS)).openapi({ description: "The fields a column can be read as" }),
    rows: z.number().int().openapi({ description: "Data rows in the file" }),
    valid: z.number().int().openapi({ description: "Rows without errors, excluded rows left out" }),
    excluded: z.array(z.number().int()),
    preview: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "The first 10 attendees as they would be issued, each with its line" }),
    errors: z.array(z.object({ line: z.number().int(), column: z.string().nullable(), reason: z.string() })),
    notes: z.array(z.string()),
  })
  .openapi("ImportPreview");

export const REASON_NAMES = Object.keys(REVOCATION_REASONS) as [
  keyof typeof REVOCATION_REASONS,
  ...(keyof typeof REVOCATION_REASONS)[],
];

export const RevokeSchema = z
  .strictObject({ reason: z.enum(REASON_NAMES).openapi({ description: "Recorded on chain as its code" }) })
  .openapi("Revoke");

/** Corrections to a subject: a claim given replaces the current one, `null` removes it, one not named stays. */
export const SubjectPatchSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(subjectClaimsShape).map(([key, schema]) => [key, schema.nullable()]),
    ) as {
      [K in keyof typeof subjectClaimsShape]: z.ZodNullable<(typeof subjectClaimsShape)[K]>;
    },
  )
  .openapi("SubjectPatch", {
    description:
      "Corrected claims merged into the current ones: a value replaces, null removes, absent keeps",
  });

export const ReissueSchema = z
  .strictObject({
    subject: SubjectPatchSchema.optional().openapi({
      description: "Corrections merged into the current claims (null removes a claim); none: the same claims",
    }),
    reason: text(500)
      .optional()
      .openapi({ description: "Why it was corrected, kept with the new credential for the organiser" }),
    preview: z
      .boolean()
      .optional()
      .openapi({ description: "Answer { current, result } and change nothing (no supersession)" }),
    holder: addressSchema.optional(),
    validUntil: dateTimeSchema.optional(),
  })
  .openapi("Reissue");

export const ReissuePreviewSchema = z
  .object({
    current: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The current claims (null once erased)" }),
    result: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The claims the new credential would carry" }),
  })
  .openapi("ReissuePreview");

export const ClaimVoucherRequestSchema = z
  .strictObject({
    holder: addressSchema,
    deadline: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: "Unix seconds; default in 7 days" }),
  })
  .openapi("ClaimVoucherRequest");

export const ClaimVoucherSchema = z
  .object({
    registry: z.string(),
    chainId: z.number().int(),
    request: z.object({ root: z.string(), leaf: z.string(), holder: z.string(), deadline: z.string() }),
    proof: z.array(z.string()),
    signer: z.string(),
    signature: z.string(),
  })
  .openapi("ClaimVoucher", {
    description: "Call claimToken(request, proof, signer, signature) on the registry to receive the token",
  });

export const CredentialResourceSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    mode: z.enum(["batch", "single"]),
    state: CredentialStateSchema,
    standing: CredentialStandingSchema.nullable(),
    status: AnchoringStatusSchema.openapi({
      description: "The anchoring step (internal); `state` and `standing` are the status model",
    }),
    commitment: z.string(),
    holder: z.string().nullable(),
    validUntil: z.string().nullable(),
    batch: z
      .object({ id: z.string(), root: z.string(), leaf: z.string(), proof: z.array(z.string()) })
      .nullable(),
    txHash: z.string().nullable(),
    anchoredAt: z.string().nullable(),
    revocation: z
      .object({
        reason: z.string(),
        at: z.string().nullable().openapi({ description: "When it was revoked (or asked to be)" }),
        status: z.enum(["requested", "confirmed", "failed"]),
        requestedAt: z.string().nullable(),
        revokedAt: z.string().nullable(),
      })
      .nullable(),
    supersedes: z.string().nullable(),
    supersededBy: z.string().nullable(),
    erasedAt: z.string().nullable(),
    delivery: DeliverySchema,
    attendee: z
      .object({ name: z.string().nullable(), email: z.string().nullable(), reference: z.string().nullable() })
      .nullable()
      .openapi({ description: "The organiser's view of the holder; null once erased" }),
    holderUrl: z.string().nullable().openapi({ description: "The holder's page; null once erased" }),
    links: z.record(z.string(), z.string()),
    credential: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The credential document" }),
    createdAt: z.string(),
  })
  .openapi("Credential");

export const CredentialListSchema = z
  .object({
    items: z.array(CredentialResourceSchema.omit({ credential: true })),
    nextCursor: z.string().nullable(),
  })
  .openapi("CredentialList");

export const ShareSchema = z
  .object({
    url: z.string(),
    hidden: z.array(z.string()),
    qr: z.string().openapi({ description: "What the QR code carries: the share link, or the short link" }),
    verificationUrl: z.string().optional().openapi({ description: "The short verification link, when used" }),
  })
  .openapi("ShareLink");

export const DeliveryQuerySchema = z.object({
  hide: z
    .string()
    .max(2000)
    .optional()
    .openapi({ description: "Comma-separated claim paths to hide, e.g. /credentialSubject/email" }),
});

export const PdfQuerySchema = DeliveryQuerySchema.extend({ lang: z.enum(["sv", "en"]).default("sv") });

export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/)
    .openapi({ param: { name: "idempotency-key", in: "header" }, description: "Unique per bulk request" }),
});

export const OptionalIdempotencyHeaderSchema = z.object({
  "idempotency-key": IdempotencyHeaderSchema.shape["idempotency-key"].optional(),
});

export const ErasureReceiptSchema = z
  .object({
    id: z.string().openapi({ description: "The receipt's id" }),
    credentialId: z.string(),
    reason: z.enum(["request", "retention"]).openapi({
      description: "request: erased on request (GDPR art. 17); retention: erased by the retention rule",
    }),
    erasedBy: z.string().openapi({ description: "api-key:<id> of the key that asked, or retention" }),
    erasedAt: z.string().openapi({ description: "When (ISO 8601)" }),
    destroyed: z.array(z.string()).openapi({
      description:
        "What was destroyed: data-key (the credential's encryption key: every stored copy of its personal data, backups included, is unreadable from then on), personal-data (the encrypted document and recipient data), holder-link, search-index, verification-links, bulk-response-entry, job-result-entry",
    }),
  })
  .openapi("ErasureReceipt", {
    description:
      "Proof of an erasure for the data subject: ids, time and what was destroyed; no personal data",
  });

export const ErasedCredentialSchema = CredentialResourceSchema.extend({
  erasure: ErasureReceiptSchema,
}).openapi("ErasedCredential");

export const ErasureListSchema = z
  .object({ items: z.array(ErasureReceiptSchema), nextCursor: z.string().nullable() })
  .openapi("ErasureList");

const RetentionDaysSchema = z.number().int().min(1).max(3650);

export const RetentionSchema = z
  .object({
    days: RetentionDaysSchema.openapi({
      description:
        "Personal data of a credential whose holder has fetched their copy (the credential file, the PDF, a share link or a wallet claim voucher through their holder link) is erased this many days after the event ends (its end date, else its start date)",
    }),
    default: z.boolean().openapi({ description: "Whether `days` is the service's default" }),
    unclaimedDays: RetentionDaysSchema.openapi({
      description:
        "Personal data of a credential nobody has fetched yet is erased this many days after the event ends, so erasure does not take away the holder's only chance to fetch their copy; never fewer than `days` (equal to it: no extension)",
    }),
    unclaimedDefault: z.boolean().openapi({
      description: "Whether `unclaimedDays` is the service's default (which follows a longer `days`)",
    }),
  })
  .openapi("Retention");

export const SetRetentionSchema = z
  .object({
    days: RetentionDaysSchema.nullable().optional().openapi({
      description:
        "Days after the event ends for a fetched credential; null returns to the default; absent: unchanged",
    }),
    unclaimedDays: RetentionDaysSchema.nullable().optional().openapi({
      description:
        "Days after the event ends for a credential nobody has fetched, at least `days`; null returns to the default; absent: unchanged",
    }),
  })
  .strict()
  .refine((body) => body.days !== undefined || body.unclaimedDays !== undefined, {
    message: "Give days, unclaimedDays or both",
    path: ["days"],
  })
  .openapi("SetRetention");
