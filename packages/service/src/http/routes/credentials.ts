import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError, ServiceError, ValidationError } from "../../errors";
import { type AttendeeInput, issuanceContext, prepareCredentials } from "../../issuance";
import type { CredentialRecord, Organisation } from "../../store/types";
import type { AppDeps, AppEnv } from "../context";
import {
  deliverFile,
  FILE_FORMATS,
  type FileQuery,
  fileRoute,
  shareOf,
  shareResponse,
  shareRoute,
} from "../delivery";
import { credentialPage, credentialResource, jobResource, receiptResource } from "../present";
import { problemResponses, validationHook, zodIssues } from "../problem";
import {
  AnchoringStatusSchema,
  ClaimVoucherRequestSchema,
  ClaimVoucherSchema,
  CredentialListSchema,
  CredentialResourceSchema,
  ErasedCredentialSchema,
  ErasureListSchema,
  ErasureReceiptSchema,
  IdParamSchema,
  JobSchema,
  PageQuerySchema,
  ReissuePreviewSchema,
  ReissueSchema,
  RevokeSchema,
  StatusFilterSchema,
  SubjectSchema,
} from "../schemas";
import { claimVoucher } from "../voucher";

const security = [{ bearerAuth: [] }];

/** `current` with the corrections: a value replaces, null removes, a claim not named stays. */
export function mergeSubject(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = value;
  }
  return result;
}

/** A credential's own claims (what a re-issue keeps unless corrected). */
function subjectOf(record: CredentialRecord): AttendeeInput["subject"] | null {
  const subject = (record.document as { credentialSubject?: Record<string, unknown> } | null)
    ?.credentialSubject;
  if (!subject) return null;
  const { type: _type, achievement, identifier, ...claims } = subject;
  // Parts attended are URLs of the achievement in the document and short ids in the API.
  const achievementId = (achievement as { id?: unknown } | undefined)?.id;
  if (typeof achievementId === "string" && Array.isArray(claims.partsAttended)) {
    const prefix = `${achievementId}#`;
    claims.partsAttended = claims.partsAttended.map((part: unknown) =>
      typeof part === "string" && part.startsWith(prefix)
        ? decodeURIComponent(part.slice(prefix.length))
        : part,
    );
  }
  // The first identifier is the one the builder derives from the claims and their salts: a re-issue derives
  // a new one, so only identifiers the organiser supplied are carried over.
  if (Array.isArray(identifier) && identifier.length > 1) claims.identifier = identifier.slice(1);
  return claims as AttendeeInput["subject"];
}

/** Credentials: status, revocation, re-issue, erasure, delivery and claim vouchers; bulk jobs. */
export function credentialRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;

  async function own(organisation: Organisation, id: string): Promise<CredentialRecord> {
    const record = await store.credentials.get(organisation.id, id);
    if (!record) throw new NotFoundError("credential");
    return record;
  }

  async function resource(record: CredentialRecord) {
    const view = await store.credentials.view(record.organisationId, record.id);
    if (!view) throw new NotFoundError("credential");
    return credentialResource(config, view, deps.clock.now());
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/credentials",
      tags: ["Credentials"],
      summary: "List credentials",
      security,
      request: {
        query: z.object({
          eventId: z.uuid().optional(),
          status: AnchoringStatusSchema.optional(),
          ...StatusFilterSchema,
          ...PageQuerySchema,
        }),
      },
      responses: {
        200: {
          description: "A page of credentials",
          content: { "application/json": { schema: CredentialListSchema } },
        },
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const page = await store.credentials.list(c.get("auth").organisation.id, c.req.valid("query"));
      return c.json(credentialPage(config, page, deps.clock.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/credentials/{id}",
      tags: ["Credentials"],
      summary: "A credential: its status (pending → anchored), anchor, revocation and document",
      security,
      request: { params: IdParamSchema },
      responses: {
        200: {
          description: "The credential",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const record = await own(c.get("auth").organisation, c.req.valid("param").id);
      return c.json(await resource(record), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/{id}/revoke",
      tags: ["Credentials"],
      summary: "Revoke a credential with a reason",
      description:
        "A batch member is revoked on chain with revokeLeaf(root, leaf, code), a single credential with revoke(commitment, code). A credential not yet sent to the chain is cancelled at once (200); otherwise the revocation is queued (202) and confirmed by the worker.",
      security,
      request: {
        params: IdParamSchema,
        body: { required: true, content: { "application/json": { schema: RevokeSchema } } },
      },
      responses: {
        200: {
          description: "Revoked",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        202: {
          description: "Revocation queued",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 415, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      const result = await store.credentials.requestRevocation(organisation.id, id, reason);
      if (!result) throw new NotFoundError("credential");
      const { credential, changed } = result;
      if (!changed && credential.revocationReason !== reason) {
        throw new ServiceError("credential.already-revoked", { reason: String(credential.revocationReason) });
      }
      if (changed) {
        deps.logger.info({ credential: id, reason }, "revocation requested");
        deps.worker?.wake();
      }
      return c.json(await resource(credential), credential.revocationStatus === "requested" ? 202 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/{id}/reissue",
      tags: ["Credentials"],
      summary: "Re-issue a corrected credential that supersedes this one",
      description:
        "Merges the corrections into the current claims (a claim given replaces, null removes, a claim not named is kept) and issues a new credential (on its own, so that its commitment is anchored directly); once both are anchored, supersede(root, leaf, replacement) is recorded on chain. With preview: true it answers { current, result } and changes nothing.",
      security,
      request: {
        params: IdParamSchema,
        body: { required: true, content: { "application/json": { schema: ReissueSchema } } },
      },
      responses: {
        200: {
          description: "Preview: the current claims and the result (nothing changed)",
          content: { "application/json": { schema: ReissuePreviewSchema } },
        },
        201: {
          description: "The new credential",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 415, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const old = await own(organisation, c.req.valid("param").id);
      const body = c.req.valid("json");
      if (old.supersededBy) throw new ServiceError("credential.already-superseded");
      if (old.revocationStatus) throw new ServiceError("credential.revoked-not-superseded");
      const current = subjectOf(old);
      if (!current && !body.subject) throw new ServiceError("credential.erased-give-subject");
      const subject = mergeSubject(current ?? {}, body.subject ?? {});
      const checked = SubjectSchema.safeParse(subject);
      if (!checked.success) {
        throw new ValidationError(
          "credential.corrected-claims-invalid",
          zodIssues(checked.error, "/subject"),
        );
      }
      if (body.preview) return c.json({ current, result: subject }, 200);
      const event = await store.events.getById(old.eventId);
      if (!event) throw new NotFoundError("event");
      const validUntil =
        body.validUntil ??
        (old.validUntil
          ? new Date(old.validUntil * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")
          : undefined);
      const holder = body.holder ?? old.holderAddress ?? undefined;
      const { credentials, items } = await prepareCredentials(
        issuanceContext(deps, organisation, event),
        [{ subject: checked.data, ...(holder ? { holder } : {}), ...(validUntil ? { validUntil } : {}) }],
        { pathPrefix: "", forceSingle: true, supersedes: old.id },
      );
      // What is not in the credential stays too: the organiser's reference and the e-mail language.
      const recipient = { ...(old.recipient ?? {}), ...(body.reason ? { reissueReason: body.reason } : {}) };
      credentials[0]!.recipient = Object.keys(recipient).length > 0 ? recipient : null;
      const newId = items[0]!.id;
      await store.issuance.commit({
        organisationId: organisation.id,
        requestHash: "",
        response: { status: 201, body: {} },
        credentials,
        after: async (tx) => {
          if (!(await store.credentials.linkSupersession(tx, old.id, newId))) {
            throw new ServiceError("credential.changed-meanwhile");
          }
        },
      });
      deps.logger.info({ credential: old.id, replacement: newId }, "credential re-issued");
      deps.worker?.wake();
      const record = await own(organisation, newId);
      c.header("Location", `${config.publicUrl}/v1/credentials/${newId}`);
      return c.json(await resource(record), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/{id}/erase",
      tags: ["Credentials"],
      summary: "Erase the personal data of a credential (GDPR art. 17), with a receipt",
      description:
        "Destroys the credential's encryption key, so that every stored copy of its personal data (the database, its logs and its backups) is unreadable from then on, and deletes the encrypted document, the recipient data, the holder link and its search hashes. The commitment, leaf, Merkle proof and revocation state (hashes and ids) stay, so the credential can still be revoked, other credentials verify as before, and the holder's own copy still verifies. A credential not yet anchored is cancelled. The answer carries the erasure receipt (no personal data), which stays retrievable; erasing again returns the first receipt.",
      security,
      request: { params: IdParamSchema },
      responses: {
        200: { description: "Erased", content: { "application/json": { schema: ErasedCredentialSchema } } },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const { organisation, apiKey } = c.get("auth");
      const id = c.req.valid("param").id;
      const erased = await store.credentials.erase(organisation.id, id, {
        reason: "request",
        erasedBy: `api-key:${apiKey.id}`,
      });
      if (!erased) throw new NotFoundError("credential");
      // Every erasure records a receipt (the first one is kept), so there is one now.
      const receipt = (await store.credentials.erasureReceipt(organisation.id, id))!;
      deps.logger.info({ credential: erased.id, receipt: receipt.id }, "personal data erased");
      return c.json({ ...(await resource(erased)), erasure: receiptResource(receipt) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/credentials/{id}/erasure",
      tags: ["Credentials"],
      summary: "The receipt of a credential's erasure",
      security,
      request: { params: IdParamSchema },
      responses: {
        200: {
          description: "The receipt",
          content: { "application/json": { schema: ErasureReceiptSchema } },
        },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const receipt = await store.credentials.erasureReceipt(
        c.get("auth").organisation.id,
        c.req.valid("param").id,
      );
      if (!receipt) throw new NotFoundError("erasure");
      return c.json(receiptResource(receipt), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/erasures",
      tags: ["Credentials"],
      summary: "The audit log of erasures: every receipt of the organisation, oldest first",
      security,
      request: { query: z.object(PageQuerySchema) },
      responses: {
        200: {
          description: "A page of receipts",
          content: { "application/json": { schema: ErasureListSchema } },
        },
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await store.credentials.erasures(c.get("auth").organisation.id, {
        cursor: query.cursor ?? null,
        ...(query.limit ? { limit: query.limit } : {}),
      });
      return c.json({ items: page.items.map(receiptResource), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/{id}/claim-voucher",
      tags: ["Credentials"],
      summary: "A signed voucher (EIP-712 ClaimRequest) for the holder's wallet to claim the soulbound token",
      security,
      request: {
        params: IdParamSchema,
        body: { required: true, content: { "application/json": { schema: ClaimVoucherRequestSchema } } },
      },
      responses: {
        200: { description: "The voucher", content: { "application/json": { schema: ClaimVoucherSchema } } },
        ...problemResponses(400, 401, 404, 409, 415, 429),
      },
    }),
    async (c) => {
      const record = await own(c.get("auth").organisation, c.req.valid("param").id);
      const body = c.req.valid("json");
      return c.json(await claimVoucher(deps, record, body.holder, body.deadline), 200);
    },
  );

  const deliveryOptions = { tags: ["Delivery"], security };
  app.openapi(shareRoute("/credentials/{id}", IdParamSchema, deliveryOptions), async (c) => {
    const record = await own(c.get("auth").organisation, c.req.valid("param").id);
    return shareResponse(c, await shareOf(deps, record, c.req.valid("query").hide));
  });
  for (const format of FILE_FORMATS) {
    app.openapi(fileRoute("/credentials/{id}", format, IdParamSchema, deliveryOptions), async (c) => {
      const record = await own(c.get("auth").organisation, c.req.valid("param").id);
      const query: FileQuery = c.req.valid("query");
      return deliverFile(c, deps, record, format, query);
    });
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{id}",
      tags: ["Issuance"],
      summary: "A bulk issuance job and its progress (this job's credentials only)",
      security,
      request: { params: IdParamSchema },
      responses: {
        200: { description: "The job", content: { "application/json": { schema: JobSchema } } },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const organisationId = c.get("auth").organisation.id;
      const job = await store.jobs.get(organisationId, c.req.valid("param").id);
      if (!job) throw new NotFoundError("job");
      const counts = await store.credentials.counts(organisationId, { jobId: job.id });
      return c.json(jobResource(config, job, counts), 200);
    },
  );

  return app;
}
