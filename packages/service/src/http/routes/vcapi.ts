// W3C CCG VC-API: POST /credentials/issue (organiser-authenticated), and the verify routes, which the verifier
// package will answer through `deps.verifier` (501 until it is wired).

import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { addressSchema, dateTimeSchema, parseEventUrn, subjectClaimsShape } from "@intyg/credential";
import { isAddressEqual } from "viem";
import { BadRequestError, NotFoundError, NotImplementedError, UnprocessableError } from "../../errors";
import { prepareCredentials } from "../../issuance";
import type { AppDeps, AppEnv } from "../context";
import { type RateLimiter, rateLimitByApiKey, requireApiKey } from "../middleware";
import { problemResponses, validationHook } from "../problem";

const IssueRequestSchema = z
  .strictObject({
    credential: z.strictObject({
      "@context": z.array(z.string()).optional(),
      type: z.array(z.string()).optional(),
      issuer: z.union([z.string(), z.object({ id: z.string() }).passthrough()]).optional(),
      validFrom: dateTimeSchema.optional(),
      validUntil: dateTimeSchema.optional(),
      credentialSubject: z.strictObject({
        ...subjectClaimsShape,
        achievement: z
          .object({
            id: z.string().openapi({ description: "urn:intyg:event:<chainId>:<registry>:<eventId>" }),
          })
          .passthrough()
          .optional(),
      }),
    }),
    options: z
      .strictObject({
        eventId: z
          .uuid()
          .optional()
          .openapi({ description: "The service's event id (instead of the achievement URN)" }),
        holder: addressSchema.optional().openapi({ description: "A wallet that receives a soulbound token" }),
      })
      .optional(),
  })
  .openapi("VcApiIssueRequest");

const IssueResponseSchema = z
  .object({ verifiableCredential: z.record(z.string(), z.unknown()) })
  .openapi("VcApiIssueResponse");

const VerifyResponseSchema = z.record(z.string(), z.unknown()).openapi("VcApiVerifyResponse");

export function vcApiRoutes(deps: AppDeps, limiter: RateLimiter) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;
  app.use("/credentials/issue", requireApiKey(store), rateLimitByApiKey(limiter));

  app.openapi(
    createRoute({
      method: "post",
      path: "/credentials/issue",
      tags: ["VC-API"],
      summary: "Issue a credential (VC-API)",
      description:
        "Takes the subject's claims and the event (options.eventId or credentialSubject.achievement.id) and returns the signed credential at once; it is anchored on chain on its own (issueSigned) shortly after.",
      security: [{ bearerAuth: [] }],
      request: { body: { required: true, content: { "application/json": { schema: IssueRequestSchema } } } },
      responses: {
        201: {
          description: "The signed credential",
          content: { "application/json": { schema: IssueResponseSchema } },
        },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const { credential, options } = c.req.valid("json");
      let event = options?.eventId ? await store.events.get(organisation.id, options.eventId) : null;
      const urn = credential.credentialSubject.achievement?.id;
      if (!event && urn) {
        const parts = parseEventUrn(urn);
        if (!parts) throw new BadRequestError("credentialSubject.achievement.id is not an Intyg event URN");
        if (parts.chainId !== deps.chain.chainId || !isAddressEqual(parts.registry, deps.chain.registry)) {
          throw new UnprocessableError("The event belongs to another chain or registry");
        }
        event = await store.events.getByChainId(organisation.id, parts.eventId);
      }
      if (!options?.eventId && !urn)
        throw new BadRequestError("Name the event: options.eventId or credentialSubject.achievement.id");
      if (!event) throw new NotFoundError("event");
      const { achievement: _achievement, ...subject } = credential.credentialSubject;
      const { credentials, items } = await prepareCredentials(
        {
          anchorage: { chainId: deps.chain.chainId, registry: deps.chain.registry },
          organisation,
          event,
          signer: deps.signer,
          clock: deps.clock,
          requestTtlSeconds: config.worker.requestTtlSeconds,
          publicUrl: config.publicUrl,
        },
        [
          {
            subject,
            ...(options?.holder ? { holder: options.holder } : {}),
            ...(credential.validUntil ? { validUntil: credential.validUntil } : {}),
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
      c.header("Location", `${config.publicUrl}/v1/credentials/${items[0]!.id}`);
      return c.json({ verifiableCredential: credentials[0]!.document }, 201);
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
    if (!deps.verifier)
      throw new NotImplementedError("Credential verification is not wired into this service yet");
    const body = c.req.valid("json");
    const report = await deps.verifier.verifyCredential(body as never);
    return c.json(report as Record<string, unknown>, 200);
  });

  app.openapi(verifyRoute("/presentations/verify", "Verify a presentation (VC-API)"), async (c) => {
    if (!deps.verifier)
      throw new NotImplementedError("Presentation verification is not wired into this service yet");
    const body = c.req.valid("json");
    const report = await deps.verifier.verifyPresentation(body as never);
    return c.json(report as Record<string, unknown>, 200);
  });

  return app;
}
