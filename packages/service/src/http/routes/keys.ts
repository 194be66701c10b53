import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ServiceError } from "../../errors";
import type { KeyLifecycleDeps } from "../../keys/lifecycle";
import { compromised, createSigningKey, makeCurrent, retire } from "../../keys/lifecycle";
import type { KeyAuditEntry, OrganisationKeyRecord } from "../../store/store";
import type { AppDeps, AppEnv } from "../context";
import { requireAdminKey } from "../middleware";
import { problemResponses, validationHook } from "../problem";

const security = [{ bearerAuth: [] }];

const KeySchema = z
  .object({
    address: z.string(),
    role: z.enum(["signing", "admin"]),
    custody: z.enum(["service", "external"]),
    status: z.enum(["created", "authorising", "active", "retired", "compromised"]),
    current: z.boolean(),
    validFrom: z.number().int().nullable(),
    validUntil: z.number().int().nullable().openapi({ description: "Unix seconds; null: no end" }),
    authorisationTxHash: z.string().nullable(),
    removalTxHash: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("OrganisationKey");

const PreparedSchema = z
  .object({
    to: z.string(),
    data: z.string(),
    value: z.literal("0"),
    safeBatch: z.record(z.string(), z.unknown()),
  })
  .openapi("PreparedAuthorisation", {
    description: "The authoriseKey transaction the organisation's admin account sends (also as a Safe batch)",
  });

const CreateKeySchema = z
  .strictObject({
    validFrom: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40 - 2)
      .optional(),
    validUntil: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40 - 2)
      .optional()
      .openapi({ description: "Unix seconds; omitted: no end" }),
    makeCurrent: z.boolean().default(true),
  })
  .openapi("CreateOrganisationKey");

const CompromiseSchema = z
  .strictObject({
    since: z.iso
      .datetime({ offset: true })
      .openapi({ description: "List (and revoke) what it signed since" }),
    revoke: z.boolean().default(false),
  })
  .openapi("KeyCompromise");

const AddressParam = z.object({
  address: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .openapi({
      param: { name: "address", in: "path" },
      example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    }),
});

function keyResource(key: OrganisationKeyRecord) {
  return {
    address: key.address,
    role: key.role,
    custody: key.custody,
    status: key.status,
    current: key.current,
    validFrom: key.validFrom,
    validUntil: key.validUntil,
    authorisationTxHash: key.authorisationTxHash,
    removalTxHash: key.removalTxHash,
    createdAt: key.createdAt.toISOString(),
  };
}

function auditResource(entry: KeyAuditEntry) {
  return {
    at: entry.at.toISOString(),
    key: entry.keyAddress,
    action: entry.action,
    actor: entry.actor,
    txHash: entry.txHash,
    details: entry.details,
  };
}

/** The organisation's own keys and their lifecycle (admin API keys only); every step is audited. */
export function keyRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const lifecycle = (): KeyLifecycleDeps => {
    if (!deps.keys?.keyring) throw new ServiceError("key.no-signing-key");
    return { store: deps.store, chain: deps.chain, clock: deps.clock, logger: deps.logger, keys: deps.keys };
  };
  const actor = (c: { get(key: "auth"): { apiKey: { id: string } } }) => `api-key:${c.get("auth").apiKey.id}`;

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisation/keys",
      tags: ["Organisation keys"],
      summary: "The organisation's signing and admin keys, their status and windows (never the keys)",
      security,
      middleware: [requireAdminKey] as const,
      responses: {
        200: {
          description: "The keys, newest first",
          content: { "application/json": { schema: z.object({ items: z.array(KeySchema) }) } },
        },
        ...problemResponses(401, 403, 429),
      },
    }),
    async (c) => {
      const keys = await deps.store.organisationKeys.list(c.get("auth").organisation.id);
      return c.json({ items: keys.map(keyResource) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/organisation/keys",
      tags: ["Organisation keys"],
      summary: "Create a signing key, authorise it on chain and (by default) make it current",
      description:
        "The key is generated and kept encrypted by the service. When the service holds the organisation's admin key it authorises the new key on chain (with the key's consent) at once; otherwise the answer carries the authoriseKey transaction for the admin account to send, after which POST …/current takes the key up.",
      security,
      middleware: [requireAdminKey] as const,
      request: { body: { required: false, content: { "application/json": { schema: CreateKeySchema } } } },
      responses: {
        201: {
          description: "The new key",
          content: {
            "application/json": {
              schema: z.object({ key: KeySchema, authorisation: PreparedSchema.nullable() }),
            },
          },
        },
        ...problemResponses(400, 401, 403, 409, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json") ?? { makeCurrent: true };
      const created = await createSigningKey(lifecycle(), c.get("auth").organisation, {
        actor: actor(c),
        ...(body.validFrom !== undefined ? { validFrom: body.validFrom } : {}),
        ...(body.validUntil !== undefined ? { validUntil: body.validUntil } : {}),
        makeCurrent: body.makeCurrent !== false,
      });
      deps.logger.info({ key: created.key.address, status: created.key.status }, "signing key created");
      return c.json({ key: keyResource(created.key), authorisation: created.authorisation }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/organisation/keys/{address}/current",
      tags: ["Organisation keys"],
      summary: "Make an authorised key the one that signs from now on",
      security,
      middleware: [requireAdminKey] as const,
      request: { params: AddressParam },
      responses: {
        200: { description: "The key", content: { "application/json": { schema: KeySchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 429, 503),
      },
    }),
    async (c) => {
      const key = await makeCurrent(
        lifecycle(),
        c.get("auth").organisation,
        c.req.valid("param").address,
        actor(c),
      );
      deps.logger.info({ key: key.address }, "signing key made current");
      return c.json(keyResource(key), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/organisation/keys/{address}/retire",
      tags: ["Organisation keys"],
      summary: "Retire a key that is no longer current: its window ends now; what it signed stays valid",
      security,
      middleware: [requireAdminKey] as const,
      request: { params: AddressParam },
      responses: {
        200: { description: "The retired key", content: { "application/json": { schema: KeySchema } } },
        ...problemResponses(400, 401, 403, 404, 409, 429, 503),
      },
    }),
    async (c) => {
      const key = await retire(
        lifecycle(),
        c.get("auth").organisation,
        c.req.valid("param").address,
        actor(c),
      );
      deps.logger.info({ key: key.address }, "signing key retired");
      return c.json(keyResource(key), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/organisation/keys/{address}/compromised",
      tags: ["Organisation keys"],
      summary:
        "A compromised key: removed on chain at once; what it signed since a moment listed, optionally revoked",
      security,
      middleware: [requireAdminKey] as const,
      request: {
        params: AddressParam,
        body: { required: true, content: { "application/json": { schema: CompromiseSchema } } },
      },
      responses: {
        200: {
          description:
            "The key, the credentials it signed since then and how many revocations were requested",
          content: {
            "application/json": {
              schema: z.object({
                key: KeySchema,
                credentials: z.array(z.string()),
                revocationsRequested: z.number().int(),
              }),
            },
          },
        },
        ...problemResponses(400, 401, 403, 404, 409, 415, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await compromised(
        lifecycle(),
        c.get("auth").organisation,
        c.req.valid("param").address,
        {
          actor: actor(c),
          since: new Date(body.since),
          revoke: body.revoke,
        },
      );
      deps.worker?.wake();
      deps.logger.warn(
        {
          key: result.key.address,
          credentials: result.credentials.length,
          revoked: result.revocationsRequested,
        },
        "signing key marked compromised",
      );
      return c.json({ ...result, key: keyResource(result.key) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisation/keys/audit",
      tags: ["Organisation keys"],
      summary: "Every step taken with the organisation's keys: who, when, which key, which transaction",
      security,
      middleware: [requireAdminKey] as const,
      responses: {
        200: {
          description: "Newest first",
          content: {
            "application/json": {
              schema: z.object({
                items: z.array(
                  z.object({
                    at: z.string(),
                    key: z.string(),
                    action: z.string(),
                    actor: z.string(),
                    txHash: z.string().nullable(),
                    details: z.record(z.string(), z.unknown()).nullable(),
                  }),
                ),
              }),
            },
          },
        },
        ...problemResponses(401, 403, 429),
      },
    }),
    async (c) => {
      const entries = await deps.store.organisationKeys.auditLog(c.get("auth").organisation.id);
      return c.json({ items: entries.map(auditResource) }, 200);
    },
  );

  return app;
}
