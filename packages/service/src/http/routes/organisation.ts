import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../errors";
import { organisationSigner } from "../../keys/directory";
import { DEFAULT_RETENTION_DAYS, DEFAULT_UNCLAIMED_RETENTION_DAYS, type Retention } from "../../store/store";
import type { ApiKey } from "../../store/types";
import type { AppDeps, AppEnv } from "../context";
import { requireAdminKey } from "../middleware";
import { problemResponses, validationHook } from "../problem";
import {
  ApiKeySchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  IdParamSchema,
  OrganisationSchema,
  RetentionSchema,
  SetRetentionSchema,
} from "../schemas";

const security = [{ bearerAuth: [] }];

function keyResource(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}

/** The caller's organisation and its API keys. */
export function organisationRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisation",
      tags: ["Organisation"],
      summary: "The organisation of the API key",
      security,
      responses: {
        200: {
          description: "The organisation",
          content: { "application/json": { schema: OrganisationSchema } },
        },
        ...problemResponses(401, 429),
      },
    }),
    async (c) => {
      const { organisation } = c.get("auth");
      // The key that signs for it now: its own current key, else the service's (when authorised for it).
      const signing = await organisationSigner(deps, organisation).catch(() => null);
      return c.json(
        {
          id: organisation.id,
          name: organisation.name,
          chainOrganisationId: organisation.chainOrganisationId,
          profile: organisation.profile,
          signer: signing?.signer.address ?? deps.signer.address,
          chainId: deps.chain.chainId,
          registry: deps.chain.registry,
          createdAt: organisation.createdAt.toISOString(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api-keys",
      tags: ["Organisation"],
      summary: "List the organisation's API keys (never the keys themselves)",
      security,
      responses: {
        200: {
          description: "The keys",
          content: { "application/json": { schema: z.object({ items: z.array(ApiKeySchema) }) } },
        },
        ...problemResponses(401, 429),
      },
    }),
    async (c) => {
      const keys = await deps.store.apiKeys.list(c.get("auth").organisation.id);
      return c.json({ items: keys.map(keyResource) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api-keys",
      tags: ["Organisation"],
      summary: "Create an API key (admin keys only); the key is shown once",
      security,
      middleware: [requireAdminKey] as const,
      request: { body: { required: true, content: { "application/json": { schema: CreateApiKeySchema } } } },
      responses: {
        201: { description: "The new key", content: { "application/json": { schema: CreatedApiKeySchema } } },
        ...problemResponses(400, 401, 403, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { apiKey, secret } = await deps.store.apiKeys.create(
        c.get("auth").organisation.id,
        body.name,
        body.role,
      );
      deps.logger.info({ apiKey: apiKey.id, role: apiKey.role }, "API key created");
      return c.json({ ...keyResource(apiKey), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api-keys/{id}",
      tags: ["Organisation"],
      summary: "Revoke an API key (admin keys only)",
      security,
      middleware: [requireAdminKey] as const,
      request: { params: IdParamSchema },
      responses: {
        200: { description: "The revoked key", content: { "application/json": { schema: ApiKeySchema } } },
        ...problemResponses(401, 403, 404, 429),
      },
    }),
    async (c) => {
      const revoked = await deps.store.apiKeys.revoke(c.get("auth").organisation.id, c.req.valid("param").id);
      if (!revoked) throw new NotFoundError("api-key");
      deps.logger.info({ apiKey: revoked.id }, "API key revoked");
      return c.json(keyResource(revoked), 200);
    },
  );

  const retentionResource = (retention: Retention) => ({
    days: retention.days,
    default: retention.defaults.days,
    unclaimedDays: retention.unclaimedDays,
    unclaimedDefault: retention.defaults.unclaimedDays,
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisation/retention",
      tags: ["Organisation"],
      summary: "How long personal data is kept after an event ends",
      description: `The worker erases a credential's personal data (with a receipt, reason retention) \`days\` after its event ends once the holder has fetched their copy, and \`unclaimedDays\` after it when nobody has; the credential on chain and the holder's own copy stay valid. Defaults ${DEFAULT_RETENTION_DAYS} and ${DEFAULT_UNCLAIMED_RETENTION_DAYS} days.`,
      security,
      responses: {
        200: { description: "The retention", content: { "application/json": { schema: RetentionSchema } } },
        ...problemResponses(401, 429),
      },
    }),
    async (c) =>
      c.json(retentionResource(await deps.store.privacy.retention(c.get("auth").organisation.id)), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/organisation/retention",
      tags: ["Organisation"],
      summary: "Set how long personal data is kept after an event ends (admin keys only)",
      description:
        "A field left out keeps its value; null returns it to the default. `unclaimedDays` below `days` is refused (400).",
      security,
      middleware: [requireAdminKey] as const,
      request: { body: { required: true, content: { "application/json": { schema: SetRetentionSchema } } } },
      responses: {
        200: { description: "The retention", content: { "application/json": { schema: RetentionSchema } } },
        ...problemResponses(400, 401, 403, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const retention = await deps.store.privacy.setRetention(c.get("auth").organisation.id, {
        ...(body.days !== undefined ? { days: body.days } : {}),
        ...(body.unclaimedDays !== undefined ? { unclaimedDays: body.unclaimedDays } : {}),
      });
      deps.logger.info({ days: retention.days, unclaimedDays: retention.unclaimedDays }, "retention set");
      return c.json(retentionResource(retention), 200);
    },
  );

  return app;
}
