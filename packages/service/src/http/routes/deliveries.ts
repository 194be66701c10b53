import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { IdempotencyMismatchError, NotFoundError, ServiceError } from "../../errors";
import { requestHash } from "../../issuance";
import type { AppDeps, AppEnv } from "../context";
import { credentialResource } from "../present";
import { problemResponses, validationHook } from "../problem";
import { CredentialResourceSchema, IdempotencyHeaderSchema, IdParamSchema } from "../schemas";

const security = [{ bearerAuth: [] }];

/** The domain of the Message-IDs the service writes: its own host name. */
export function messageDomain(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || "intyg";
  } catch {
    return "intyg";
  }
}

/** E-mail delivery of credentials to their holders: send one again, or every unsent (or failed) one. */
export function deliveryRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/{id}/send",
      tags: ["Delivery"],
      summary: "E-mail the credential to its holder (again)",
      description:
        "Queues one e-mail with the holder's link and the PDF, in the attendee's language, sent once the credential is anchored. Requires an Idempotency-Key: a retry with the same key queues nothing more. Refused (409) when the credential has no e-mail address, was erased, revoked or superseded, or an e-mail of it is already waiting.",
      security,
      request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
      responses: {
        202: {
          description: "Queued",
          content: { "application/json": { schema: CredentialResourceSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { id } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const hash = requestHash({ route: "send", credentialId: id });
      const existing = await store.issuance.find(organisation.id, key);
      if (existing && existing.requestHash !== hash) throw new IdempotencyMismatchError();
      const view = await store.credentials.view(organisation.id, id);
      if (!view) throw new NotFoundError("credential");
      if (!existing) {
        const record = view.record;
        const email = (record.document as { credentialSubject?: { email?: unknown } } | null)
          ?.credentialSubject?.email;
        if (record.erasedAt) throw new ServiceError("delivery.erased");
        if (record.supersededBy || (record.revocationStatus && record.revocationStatus !== "failed")) {
          throw new ServiceError("delivery.replaced");
        }
        if (typeof email !== "string") {
          throw new ServiceError("delivery.no-email");
        }
        if (record.status === "failed" || record.status === "cancelled") {
          throw new ServiceError("delivery.not-anchored");
        }
        const outcome = await store.issuance.commit({
          organisationId: organisation.id,
          idempotencyKey: key,
          requestHash: hash,
          response: { status: 202, body: { id } },
          credentials: [],
          // In the same transaction: refused, nothing is recorded and the key may be used again.
          after: async (tx) => {
            const queued = await store.deliveries.queue(
              organisation.id,
              [id],
              messageDomain(config.publicUrl),
              tx,
            );
            if (queued.length === 0) throw new ServiceError("delivery.already-waiting");
          },
        });
        if (outcome.kind === "mismatch") throw new IdempotencyMismatchError();
        if (outcome.kind === "created") {
          deps.logger.info({ credential: id }, "delivery queued");
          deps.worker?.wake();
        } else c.header("Idempotent-Replayed", "true");
      } else c.header("Idempotent-Replayed", "true");
      const fresh = await store.credentials.view(organisation.id, id);
      return c.json(credentialResource(config, fresh!, deps.clock.now()), 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/events/{id}/deliveries",
      tags: ["Delivery"],
      summary: "E-mail the event's credentials: those never sent, those that failed, or all",
      description:
        "Queues one e-mail per credential in scope that has an e-mail address and is neither erased, revoked nor superseded, and is not already waiting for one. unsent: never e-mailed or failed; failed: failed only; all: every one (again).",
      security,
      request: {
        params: IdParamSchema,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z
                .strictObject({ scope: z.enum(["unsent", "failed", "all"]) })
                .openapi("DeliveryRequest"),
            },
          },
        },
      },
      responses: {
        200: {
          description: "How many e-mails were queued",
          content: {
            "application/json": {
              schema: z.object({ queued: z.number().int() }).openapi("DeliveriesQueued"),
            },
          },
        },
        ...problemResponses(400, 401, 404, 415, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const event = await store.events.get(organisation.id, c.req.valid("param").id);
      if (!event) throw new NotFoundError("event");
      const { scope } = c.req.valid("json");
      const ids = await store.deliveries.credentialsToSend(organisation.id, event.id, scope);
      const withEmail = await store.credentials.withEmail(ids);
      const queued = await store.deliveries.queue(
        organisation.id,
        withEmail,
        messageDomain(config.publicUrl),
      );
      if (queued.length > 0) {
        deps.logger.info({ event: event.id, count: queued.length, scope }, "deliveries queued");
        deps.worker?.wake();
      }
      return c.json({ queued: queued.length }, 200);
    },
  );

  return app;
}
