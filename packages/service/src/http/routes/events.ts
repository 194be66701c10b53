import { randomUUID } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { BulkResult } from "../../api";
import { IdempotencyMismatchError, NotFoundError, ValidationError } from "../../errors";
import { createEvent, updateEvent } from "../../events";
import { exportCsv } from "../../export";
import type { EventDetails } from "../../format";
import { issuanceContext, prepareCredentials, requestHash } from "../../issuance";
import { NO_DELIVERY } from "../../status";
import type { IssuanceOutcome } from "../../store/store";
import type { CredentialRecord, Organisation } from "../../store/types";
import type { BulkJobInput } from "../../worker/worker";
import type { AppDeps, AppEnv } from "../context";
import { ownEvent as ownEventOf } from "../owned";
import { credentialPage, credentialResource, eventResource, jobResource } from "../present";
import { problemResponses, validationHook, zodIssues } from "../problem";
import {
  AnchoringStatusSchema,
  AttendanceDetailsSchema,
  AttendeeSchema,
  BulkResultSchema,
  bulkSchema,
  CourseDetailsSchema,
  CreateEventSchema,
  CredentialListSchema,
  CredentialResourceSchema,
  EventListSchema,
  EventSchema,
  IdempotencyHeaderSchema,
  IdParamSchema,
  JobSchema,
  OptionalIdempotencyHeaderSchema,
  PageQuerySchema,
  StatusFilterSchema,
  UpdateEventSchema,
} from "../schemas";

const security = [{ bearerAuth: [] }];

/** Events and courses, and issuance to their attendees. */
export function eventRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;

  const ownEvent = (organisation: Organisation, id: string) => ownEventOf(store, organisation, id);

  /** Replays a stored response for the same key and request, refuses the same key with another request. */
  async function replay(c: Context<AppEnv>, organisationId: string, key: string | undefined, hash: string) {
    if (!key) return null;
    const existing = await store.issuance.find(organisationId, key);
    if (!existing) return null;
    if (existing.requestHash !== hash) throw new IdempotencyMismatchError();
    c.header("Idempotent-Replayed", "true");
    return { status: existing.responseStatus, body: existing.responseBody };
  }

  /** `ready`: the issuance wrote batches signed at issuance, sent at once (nothing else is gathered into them). */
  function settle(c: Context<AppEnv>, outcome: IssuanceOutcome, ready = false) {
    if (outcome.kind === "mismatch") throw new IdempotencyMismatchError();
    if (outcome.kind === "replayed") c.header("Idempotent-Replayed", "true");
    else deps.worker?.wake(ready);
    return outcome;
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/events",
      tags: ["Events"],
      summary: "Create an event (attendance, optionally a part of a conference) or a course",
      description:
        "Stores the details and registers the event on chain (createEvent) with the hash of the achievement the credentials will carry.",
      security,
      request: { body: { required: true, content: { "application/json": { schema: CreateEventSchema } } } },
      responses: {
        201: { description: "Registered", content: { "application/json": { schema: EventSchema } } },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const event = await createEvent(deps, c.get("auth").organisation, {
        kind: body.kind,
        parentId: body.kind === "event" ? (body.parentId ?? null) : null,
        details: body.details as EventDetails,
      });
      c.header("Location", `${config.publicUrl}/v1/events/${event.id}`);
      return c.json(eventResource(event), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/events",
      tags: ["Events"],
      summary: "List events and courses, each with its credential counts",
      security,
      request: {
        query: z.object({
          kind: z.enum(["event", "course"]).optional(),
          parentId: z.uuid().optional(),
          ...PageQuerySchema,
        }),
      },
      responses: {
        200: {
          description: "A page of events",
          content: { "application/json": { schema: EventListSchema } },
        },
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const organisationId = c.get("auth").organisation.id;
      const page = await store.events.list(organisationId, query);
      // Each row of an organiser's list shows how many credentials the event has, by the one status model.
      const counts = await Promise.all(
        page.items.map((e) => store.credentials.counts(organisationId, { eventId: e.id })),
      );
      return c.json(
        {
          items: page.items.map((e, i) => eventResource(e, { counts: counts[i] })),
          nextCursor: page.nextCursor,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/events/{id}",
      tags: ["Events"],
      summary: "An event or course, with its parts and credential counts",
      security,
      request: { params: IdParamSchema },
      responses: {
        200: { description: "The event", content: { "application/json": { schema: EventSchema } } },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const event = await ownEvent(organisation, c.req.valid("param").id);
      const [children, byStatus, counts] = await Promise.all([
        store.events.children(event.id),
        store.credentials.countByStatus(organisation.id, event.id),
        store.credentials.counts(organisation.id, { eventId: event.id }),
      ]);
      return c.json(
        eventResource(event, { children: children.map((e) => e.id), credentials: byStatus, counts }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/events/{id}",
      tags: ["Events"],
      summary: "Replace the details of an event or course",
      description:
        "The new metadata hash goes on chain (updateEventMetadata). Credentials issued before keep the details they were issued with.",
      security,
      request: {
        params: IdParamSchema,
        body: { required: true, content: { "application/json": { schema: UpdateEventSchema } } },
      },
      responses: {
        200: { description: "Updated", content: { "application/json": { schema: EventSchema } } },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const event = await ownEvent(organisation, c.req.valid("param").id);
      const raw = c.req.valid("json").details;
      const parsed = (event.kind === "course" ? CourseDetailsSchema : AttendanceDetailsSchema).safeParse(raw);
      if (!parsed.success) {
        throw new ValidationError("event.details-invalid", zodIssues(parsed.error, "/details"), {
          kind: event.kind,
        });
      }
      const updated = await updateEvent(deps, organisation, event, parsed.data as EventDetails);
      return c.json(eventResource(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/events/{id}/credentials",
      tags: ["Issuance"],
      summary: "Issue one credential",
      description:
        "Builds the credential (salted Merkle commitment) and queues it for anchoring in the next batch. With `holder`, it is signed and anchored on its own (issueSigned) with a soulbound token to that wallet. An Idempotency-Key makes retries safe.",
      security,
      request: {
        params: IdParamSchema,
        headers: OptionalIdempotencyHeaderSchema,
        body: { required: true, content: { "application/json": { schema: AttendeeSchema } } },
      },
      responses: {
        201: {
          description: "Issued (pending anchoring)",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { id } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const body = c.req.valid("json");
      const hash = requestHash({ route: "issue-one", eventId: id, body });
      const event = await ownEvent(organisation, id);
      let issuedId: string;
      // A credential this request wrote is shown as written (pending, no batch or delivery yet); only a replay
      // reads it back, since by then it may be anchored, revoked or erased.
      let fresh: CredentialRecord | undefined;
      const replayed = await replay(c, organisation.id, key, hash);
      if (replayed) {
        issuedId = (replayed.body as { id: string }).id;
      } else {
        const { credentials, items } = await prepareCredentials(
          issuanceContext(deps, organisation, event),
          [body],
          {
            pathPrefix: "",
          },
        );
        const outcome = settle(
          c,
          await store.issuance.commit({
            organisationId: organisation.id,
            idempotencyKey: key ?? null,
            requestHash: hash,
            response: { status: 201, body: { id: items[0]!.id } },
            credentials,
            returnRecords: true,
          }),
        );
        issuedId = (outcome as { body: { id: string } }).body.id;
        if (outcome.kind === "created") fresh = outcome.records[0];
      }
      const view = fresh
        ? { record: fresh, batch: null, delivery: NO_DELIVERY }
        : await store.credentials.view(organisation.id, issuedId);
      if (!view) throw new NotFoundError("credential");
      c.header("Location", `${config.publicUrl}/v1/credentials/${issuedId}`);
      return c.json(credentialResource(config, view, deps.clock.now()), 201);
    },
  );

  const BulkSchema = bulkSchema(config.bulkMaxItems);

  app.openapi(
    createRoute({
      method: "post",
      path: "/events/{id}/credentials/bulk",
      tags: ["Issuance"],
      summary: `Issue credentials to up to ${config.bulkMaxItems} attendees`,
      description: `Requires an Idempotency-Key: a retry with the same key and body returns the same result and never issues twice; the same key with another body is refused (422). Up to ${config.bulkSyncLimit} attendees are issued at once (201); more become a job to poll (202).`,
      security,
      request: {
        params: IdParamSchema,
        headers: IdempotencyHeaderSchema,
        body: { required: true, content: { "application/json": { schema: BulkSchema } } },
      },
      responses: {
        201: {
          description: "Issued (pending anchoring)",
          content: { "application/json": { schema: BulkResultSchema } },
        },
        202: { description: "Accepted as a job", content: { "application/json": { schema: JobSchema } } },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { id } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const body = c.req.valid("json");
      const hash = requestHash({ route: "issue-bulk", eventId: id, body });
      const event = await ownEvent(organisation, id);

      const respond = async (status: number, stored: unknown) => {
        if (status === 202) {
          const job = await store.jobs.get(organisation.id, (stored as { id: string }).id);
          if (!job) throw new NotFoundError("job");
          c.header("Location", `${config.publicUrl}/v1/jobs/${job.id}`);
          return c.json(jobResource(config, job), 202);
        }
        // The answer this route stored with the request (replayed as it was).
        return c.json(stored as BulkResult, 201);
      };

      const replayed = await replay(c, organisation.id, key, hash);
      if (replayed) return respond(replayed.status, replayed.body);

      if (body.attendees.length > config.bulkSyncLimit) {
        const jobId = randomUUID();
        const input: BulkJobInput = {
          eventId: event.id,
          attendees: body.attendees,
          ...(body.validUntil ? { validUntil: body.validUntil } : {}),
          ...(body.send ? { send: true } : {}),
        };
        const outcome = settle(
          c,
          await store.issuance.commit({
            organisationId: organisation.id,
            idempotencyKey: key,
            requestHash: hash,
            response: { status: 202, body: { id: jobId } },
            credentials: [],
            job: { id: jobId, kind: "bulk-issue", input },
          }),
        );
        const settled = outcome as { status: number; body: unknown };
        return respond(settled.status, settled.body);
      }

      const { credentials, items } = await prepareCredentials(
        issuanceContext(deps, organisation, event),
        body.attendees,
        {
          validUntil: body.validUntil,
          send: body.send === true,
        },
      );
      const outcome = settle(
        c,
        await store.issuance.commit({
          organisationId: organisation.id,
          idempotencyKey: key,
          requestHash: hash,
          response: { status: 201, body: { count: items.length, credentials: items } },
          credentials,
        }),
        credentials.some((credential) => credential.batch !== undefined),
      );
      const settled = outcome as { status: number; body: unknown };
      return respond(settled.status, settled.body);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/events/{id}/credentials",
      tags: ["Issuance"],
      summary: "List the credentials of an event: filter by state, standing and delivery, search with q",
      security,
      request: {
        params: IdParamSchema,
        query: z.object({
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
        ...problemResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const event = await ownEvent(organisation, c.req.valid("param").id);
      const query = c.req.valid("query");
      const page = await store.credentials.list(organisation.id, { ...query, eventId: event.id });
      return c.json(credentialPage(config, page, deps.clock.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/events/{id}/export.csv",
      tags: ["Issuance"],
      summary: "Export the event's credentials as CSV for Excel: names, holder links and the status model",
      description:
        "UTF-8 with a byte order mark, `;` between fields (Swedish Excel; `sep=,` for English Excel), CRLF. One row per credential: name, e-mail, reference, state, standing, revocation reason, e-mail delivery, holder link, PDF link, anchoring time, transaction and id. Cells that a spreadsheet would run as formulas are prefixed with '.",
      security,
      request: {
        params: IdParamSchema,
        query: z.object({
          lang: z.enum(["sv", "en"]).default("sv").openapi({ description: "Language of headers and values" }),
          sep: z.enum([";", ","]).default(";").openapi({ description: "Field separator" }),
          ...StatusFilterSchema,
        }),
      },
      responses: {
        200: { description: "The CSV file", content: { "text/csv": { schema: z.string() } } },
        ...problemResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const event = await ownEvent(organisation, c.req.valid("param").id);
      const query = c.req.valid("query");
      const views = [];
      let cursor: string | null = null;
      do {
        const page = await store.credentials.list(organisation.id, {
          eventId: event.id,
          ...(query.state ? { state: query.state } : {}),
          ...(query.standing ? { standing: query.standing } : {}),
          ...(query.delivery ? { delivery: query.delivery } : {}),
          ...(query.q ? { q: query.q } : {}),
          cursor,
          limit: 500,
        });
        views.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const csv = exportCsv(views, {
        lang: query.lang,
        separator: query.sep,
        now: deps.clock.now(),
        publicUrl: config.publicUrl,
      });
      const name = `intyg-${event.id.slice(0, 8)}.csv`;
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      });
    },
  );

  return app;
}
