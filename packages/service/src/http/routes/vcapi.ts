// W3C CCG VC-API: POST /credentials/issue (organiser-authenticated), and the verify routes, which the verifier
// package answers through `deps.verifier` (501 until it is wired).

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { addressSchema, organisationUrn, parseEventUrn, subjectClaimsShape } from "@intyg/credential";
import { isAddressEqual } from "viem";
import { NotFoundError, ServiceError } from "../../errors";
import { issuerParams } from "../../format";
import { issuanceContext, prepareCredentials } from "../../issuance";
import type { AppDeps, AppEnv } from "../context";
import { type RateLimiter, rateLimitByApiKey, requireApiKey } from "../middleware";
import { problemResponses, validationHook } from "../problem";
import { honourRequest } from "../vcapi/request";

/** The longest an issue request waits for its credential to be anchored (a caller may ask for less). */
export const MAX_ANCHOR_WAIT_SECONDS = 30;
const DEFAULT_ANCHOR_WAIT_SECONDS = 15;

const IssueRequestSchema = z
  .strictObject({
    credential: z
      .object({
        "@context": z
          .union([z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(1)])
          .optional(),
        type: z.union([z.string(), z.array(z.string())]).optional(),
        issuer: z.union([z.string(), z.object({ id: z.string() }).passthrough()]).optional(),
        name: z.string().optional(),
        validFrom: z.string().optional().openapi({ description: "RFC 3339, any offset; issued in UTC" }),
        validUntil: z.string().optional().openapi({ description: "RFC 3339, any offset; issued in UTC" }),
        credentialSubject: z
          .strictObject({
            type: z
              .union([z.literal("AchievementSubject"), z.tuple([z.literal("AchievementSubject")])])
              .optional(),
            ...subjectClaimsShape,
            achievement: z
              .strictObject({
                id: z.string().openapi({ description: "urn:intyg:event:<chainId>:<registry>:<eventId>" }),
                type: z.union([z.literal("Achievement"), z.tuple([z.literal("Achievement")])]).optional(),
              })
              .optional()
              .openapi({
                description: "Names the event; its other properties are the event's, registered on chain",
              }),
          })
          .refine((subject) => Object.keys(subject).some((key) => key !== "type" && key !== "achievement"), {
            message: "The subject has no claims: give at least one (name, email, id…)",
          }),
      })
      .passthrough()
      .openapi({
        description:
          "A VC 2.0 credential to issue. Any other property (id, credentialStatus, credentialSchema, evidence, termsOfUse, refreshService, relatedResource…) is refused with 422 naming it, never dropped.",
      }),
    options: z
      .strictObject({
        eventId: z
          .uuid()
          .optional()
          .openapi({ description: "The service's event id (instead of credentialSubject.achievement.id)" }),
        holder: addressSchema.optional().openapi({ description: "A wallet that receives a soulbound token" }),
        anchorWaitSeconds: z
          .number()
          .int()
          .min(0)
          .max(MAX_ANCHOR_WAIT_SECONDS)
          .optional()
          .openapi({
            description: `How long to wait for anchoring before answering 202 (default ${DEFAULT_ANCHOR_WAIT_SECONDS}, at most ${MAX_ANCHOR_WAIT_SECONDS})`,
          }),
      })
      .optional(),
  })
  .openapi("VcApiIssueRequest");

const IssueResponseSchema = z
  .object({ verifiableCredential: z.record(z.string(), z.unknown()) })
  .openapi("VcApiIssueResponse");

const IssuePendingSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    statusUrl: z.string().openapi({ description: "GET it (organiser API) until the status is anchored" }),
  })
  .openapi("VcApiIssuePending");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const VerifyResponseSchema = z.record(z.string(), z.unknown()).openapi("VcApiVerifyResponse");

export function vcApiRoutes(deps: AppDeps, limiter: RateLimiter, organisationLimiter?: RateLimiter) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;
  app.use("/credentials/issue", requireApiKey(store), rateLimitByApiKey(limiter, organisationLimiter));

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/issue",
      tags: ["VC-API"],
      summary: "Issue a credential (VC-API)",
      description:
        "Takes a VC 2.0 credential (`credential`) and `options`. The event is `credentialSubject.achievement.id` (its Intyg URN) or `options.eventId`. Every requested property is honoured or refused with 422 naming it; date-times may carry any offset and are issued in UTC. Answers 201 with the credential once it is anchored (so it verifies), waiting up to `options.anchorWaitSeconds`; otherwise 202 with the credential's status URL.",
      security: [{ bearerAuth: [] }],
      request: { body: { required: true, content: { "application/json": { schema: IssueRequestSchema } } } },
      responses: {
        201: {
          description: "The signed and anchored credential",
          content: { "application/json": { schema: IssueResponseSchema } },
        },
        202: {
          description: "Signed, not yet anchored within the wait: poll the status URL",
          content: { "application/json": { schema: IssuePendingSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { credential, options } = c.req.valid("json");
      let event = options?.eventId ? await store.events.get(organisation.id, options.eventId) : null;
      const urn = credential.credentialSubject.achievement?.id;
      if (!event && urn) {
        const parts = parseEventUrn(urn);
        if (!parts) throw new ServiceError("vcapi.not-event-urn");
        if (parts.chainId !== deps.chain.chainId || !isAddressEqual(parts.registry, deps.chain.registry)) {
          throw new ServiceError("vcapi.other-registry");
        }
        event = await store.events.getByChainId(organisation.id, parts.eventId);
      }
      if (!options?.eventId && !urn) throw new ServiceError("vcapi.event-missing");
      if (!event) throw new NotFoundError("event");
      const honoured = honourRequest(credential as Record<string, unknown>, {
        issuerId: organisationUrn(deps.chain.chainId, deps.chain.registry, organisation.chainOrganisationId),
        issuer: { type: ["Profile"], ...issuerParams(organisation) },
        name: String((event.details as { name?: unknown }).name ?? ""),
        now: deps.clock.now(),
      });
      const { achievement: _achievement, type: _type, ...subject } = credential.credentialSubject;
      const { credentials, items } = await prepareCredentials(
        issuanceContext(deps, organisation, event),
        [
          {
            subject,
            ...(options?.holder ? { holder: options.holder } : {}),
            ...(honoured.validUntil ? { validUntil: honoured.validUntil } : {}),
            ...(honoured.validFrom ? { validFrom: honoured.validFrom } : {}),
            ...(honoured.description ? { description: honoured.description } : {}),
          },
        ],
        { pathPrefix: "", forceSingle: true },
      );
      await store.issuance.commit({
        organisationId: organisation.id,
        requestHash: "",
        response: { status: 201, body: {} },
        credentials,
      });
      deps.worker?.wake();
      const id = items[0]!.id;
      const statusUrl = `${config.publicUrl}/v1/credentials/${id}`;
      c.header("Location", statusUrl);
      // Answer with the credential only once it verifies: anchored on chain.
      const deadline = Date.now() + 1000 * (options?.anchorWaitSeconds ?? DEFAULT_ANCHOR_WAIT_SECONDS);
      let record = await store.credentials.get(organisation.id, id);
      while (record?.status !== "anchored" && record?.status !== "failed" && Date.now() < deadline) {
        await sleep(100);
        record = await store.credentials.get(organisation.id, id);
      }
      if (record?.status === "anchored" && record.document) {
        return c.json({ verifiableCredential: record.document as Record<string, unknown> }, 201);
      }
      if (record?.status === "failed") {
        throw new ServiceError("vcapi.not-anchored", {}, { extensions: { statusUrl } });
      }
      return c.json({ id, status: record?.status ?? "pending", statusUrl }, 202);
    },
  );

  const verifyRoute = (path: "/credentials/verify" | "/presentations/verify", summary: string) =>
    createRoute({
      method: "post",
      path,
      tags: ["VC-API"],
      summary,
      request: {
        body: {
          required: true,
          content: {
            "application/json": { schema: z.record(z.string(), z.unknown()).openapi("VcApiVerifyRequest") },
          },
        },
      },
      responses: {
        200: {
          description: "The verification report",
          content: { "application/json": { schema: VerifyResponseSchema } },
        },
        ...problemResponses(400, 413, 415, 501),
      },
    });

  app.openapi(verifyRoute("/credentials/verify", "Verify a credential (VC-API)"), async (c) => {
    if (!deps.verifier) throw new ServiceError("not-implemented.vcapi-verify-credential");
    const body = c.req.valid("json");
    const report = await deps.verifier.verifyCredential(body);
    return c.json(report, 200);
  });

  app.openapi(verifyRoute("/presentations/verify", "Verify a presentation (VC-API)"), async (c) => {
    if (!deps.verifier) throw new ServiceError("not-implemented.vcapi-verify-presentation");
    const body = c.req.valid("json");
    const report = await deps.verifier.verifyPresentation(body);
    return c.json(report, 200);
  });

  return app;
}
