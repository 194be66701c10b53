// The types of the HTTP API, read off its zod schemas: what clients (the CLI, the organiser app) send and get
// back. Type-only (`@intyg/service/api`): importing it loads none of the service's code.

import type { z } from "@hono/zod-openapi";
import type {
  ApiKeySchema,
  AttendeeSchema,
  BulkResultSchema,
  bulkSchema,
  ClaimVoucherSchema,
  CountsSchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  CreateEventSchema,
  CredentialListSchema,
  CredentialResourceSchema,
  DeliverySchema,
  ErasureListSchema,
  ErasureReceiptSchema,
  EventDetailsSchema,
  EventListSchema,
  EventSchema,
  ImportPreviewSchema,
  IssuedItemSchema,
  JobSchema,
  OrganisationSchema,
  ReissuePreviewSchema,
  ReissueSchema,
  RetentionSchema,
  RevokeSchema,
  SetRetentionSchema,
  ShareSchema,
  SubjectPatchSchema,
  UpdateEventSchema,
} from "./http/schemas";

// -- answers ------------------------------------------------------------------------------------------------

export type Organisation = z.output<typeof OrganisationSchema>;
export type ApiKey = z.output<typeof ApiKeySchema>;
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;
export type CredentialCounts = z.output<typeof CountsSchema>;
export type EventDetails = z.output<typeof EventDetailsSchema>;
export type Event = z.output<typeof EventSchema>;
export type EventList = z.output<typeof EventListSchema>;
export type Delivery = z.output<typeof DeliverySchema>;
export type IssuedItem = z.output<typeof IssuedItemSchema>;
export type BulkResult = z.output<typeof BulkResultSchema>;
export type Job = z.output<typeof JobSchema>;
export type Credential = z.output<typeof CredentialResourceSchema>;
/** A credential as lists show it: without its document. */
export type CredentialSummary = z.output<typeof CredentialListSchema>["items"][number];
export type CredentialList = z.output<typeof CredentialListSchema>;
export type ReissuePreview = z.output<typeof ReissuePreviewSchema>;
export type ImportPreview = z.output<typeof ImportPreviewSchema>;
export type ClaimVoucher = z.output<typeof ClaimVoucherSchema>;
export type Share = z.output<typeof ShareSchema>;
export type ErasureReceipt = z.output<typeof ErasureReceiptSchema>;
export type ErasureList = z.output<typeof ErasureListSchema>;
export type Retention = z.output<typeof RetentionSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };

// -- requests -----------------------------------------------------------------------------------------------

export type CreateApiKeyRequest = z.input<typeof CreateApiKeySchema>;
export type CreateEventRequest = z.input<typeof CreateEventSchema>;
export type UpdateEventRequest = z.input<typeof UpdateEventSchema>;
export type AttendeeRequest = z.input<typeof AttendeeSchema>;
export type BulkIssueRequest = z.input<ReturnType<typeof bulkSchema>>;
export type RevokeRequest = z.input<typeof RevokeSchema>;
export type ReissueRequest = z.input<typeof ReissueSchema>;
export type SubjectPatch = z.input<typeof SubjectPatchSchema>;
export type SetRetentionRequest = z.input<typeof SetRetentionSchema>;

export type {
  CredentialStanding,
  CredentialState,
  DeliveryStatus,
} from "@intyg/credential";
