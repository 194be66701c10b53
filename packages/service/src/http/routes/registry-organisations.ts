// A public, read-only view of the organisations in the registry, by their chain id: status, the profile hash in
// force (and whether it is the profile this service puts in the organisation's credentials), a pending profile
// change and the signing keys with their validity windows. What `intyg governance organisations` shows, through
// the API; read from the chain at one block, nothing from the chain is stored.

import { getConnInfo } from "@hono/node-server/conninfo";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { organisationProfileHash } from "@intyg/credential";
import {
  intygRegistryAbi,
  ORGANISATION_STATUS,
  type OrganisationState,
  readProfileHistory,
  readRegistryViews,
  type SigningKeyState,
} from "@intyg/registry";
import type { Address, Client, Hex } from "viem";
import { getBlock, getBlockNumber, getChainId, readContract } from "viem/actions";
import { readRegisteredOrganisation, registryClient } from "../../accreditation";
import { ServiceError } from "../../errors";
import type { OrganisationProfile } from "../../format";
import type { AppDeps, AppEnv } from "../context";
import { createRateLimiter } from "../middleware";
import { problemResponses, validationHook } from "../problem";

const HashSchema = z.string().regex(/^0x[0-9a-f]{64}$/i);
const AddressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const TimeSchema = z.string().openapi({ format: "date-time" });

const SigningKeySchema = z
  .object({
    address: AddressSchema,
    validFrom: TimeSchema.nullable().openapi({ description: "Null: valid since it was authorised" }),
    validUntil: TimeSchema.nullable().openapi({ description: "Null: no end date" }),
    suspended: z.boolean().openapi({ description: "Suspended with its organisation" }),
    validNow: z.boolean().openapi({ description: "Inside its window, not suspended, at the block read" }),
  })
  .openapi("RegistrySigningKey");

const ServiceProfileSchema = z
  .object({
    profile: z.object({
      name: z.string(),
      legalName: z.string(),
      organisationNumber: z.string(),
      url: z.string(),
    }),
    profileHash: HashSchema.openapi({ description: "The hash of the profile the service issues with" }),
    matches: z.boolean().openapi({
      description: "Whether it is the profile hash in force in the registry (else: none verify)",
    }),
  })
  .openapi("ServiceProfile");

const SummarySchema = z.object({
  organisationId: z.number().int(),
  status: z.enum(["active", "suspended"]),
  suspendedAt: TimeSchema.nullable(),
  admin: AddressSchema,
  eventCount: z.number().int(),
  profileHash: HashSchema.openapi({ description: "The profile hash in force" }),
  organisationNumberHash: HashSchema,
  pendingProfileHash: HashSchema.nullable().openapi({
    description: "A profile change its admin proposed and governance has yet to approve",
  }),
  served: z.boolean().openapi({ description: "Whether this service issues for the organisation" }),
});

const RegistryOrganisationSchema = SummarySchema.extend({
  chainId: z.number().int(),
  registry: AddressSchema,
  blockNumber: z.string().openapi({ description: "The block everything was read at" }),
  profiles: z
    .array(z.object({ profileHash: HashSchema, since: TimeSchema }))
    .openapi({ description: "Every profile it has had, oldest first, with the time each came into force" }),
  service: ServiceProfileSchema.nullable().openapi({
    description: "The profile this service has for it; null when the service does not issue for it",
  }),
  keys: z.array(SigningKeySchema),
}).openapi("RegistryOrganisation");

const RegistryOrganisationListSchema = z
  .object({
    chainId: z.number().int(),
    registry: AddressSchema,
    blockNumber: z.string(),
    organisations: z.array(SummarySchema.openapi("RegistryOrganisationSummary")),
  })
  .openapi("RegistryOrganisationList");

const ChainIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/)
    .refine((value) => Number(value) <= 0xffffffff)
    .openapi({
      param: { name: "id", in: "path", description: "The organisation's id in the registry" },
      example: "1",
    }),
});

/** The registry writes an open end as 0 or as the largest uint40. */
const OPEN_END = 2 ** 40 - 1;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function keyView(address: Address, key: SigningKeyState, organisationId: number, at: number) {
  const open = key.validUntil === 0 || key.validUntil >= OPEN_END;
  return {
    address,
    validFrom: key.validFrom === 0 ? null : iso(key.validFrom),
    validUntil: open ? null : iso(key.validUntil),
    suspended: key.suspended,
    validNow:
      key.organisationId === organisationId &&
      !key.suspended &&
      key.validFrom <= at &&
      (open || at < key.validUntil),
  };
}

function summary(
  organisationId: number,
  state: OrganisationState,
  pending: Hex | undefined,
  served: boolean,
) {
  return {
    organisationId,
    status: state.status === ORGANISATION_STATUS.suspended ? ("suspended" as const) : ("active" as const),
    suspendedAt: state.suspendedAt ? iso(state.suspendedAt) : null,
    admin: state.admin,
    eventCount: state.eventCount,
    profileHash: state.profileHash,
    organisationNumberHash: state.organisationNumberHash,
    pendingProfileHash: pending ?? null,
    served,
  };
}

/** A chain read that failed is the node's fault (503), never the caller's. */
async function fromChain<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new ServiceError("chain.unreachable", {}, { cause: error });
  }
}

/** The organisations of the registry, public: GET /organisations and GET /organisations/{id}. */
export function registryOrganisationRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { config } = deps;
  const registry = config.registry;
  let client: Client | undefined;
  const node = () =>
    (client ??= registryClient({ rpcUrl: config.rpcUrl, registry, timeoutMs: config.rpc.timeoutMs }));
  // Anyone may ask and each answer costs the node several reads: the verifier page's per-client budget for
  // the chain (INTYG_RPC_PROXY_RATE_LIMIT), counted apart from it.
  const limiter = createRateLimiter(deps.store, config.rpcProxy.rateLimit);
  app.use("/organisations/*", async (c, next) => {
    let client = "local"; // app.request() in tests: no socket
    try {
      client = getConnInfo(c).remote.address ?? "unknown";
    } catch {}
    const result = await limiter.take(`organisations:${client}`);
    if (!result.allowed)
      throw new ServiceError(
        "registry.rate-limited",
        {},
        { extensions: { retryAfter: result.resetSeconds } },
      );
    await next();
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisations",
      tags: ["Registry"],
      summary: "Every organisation in the registry, with its status and profile hash",
      responses: {
        200: {
          description: "The organisations, read at one block",
          content: { "application/json": { schema: RegistryOrganisationListSchema } },
        },
        ...problemResponses(429, 503),
      },
    }),
    async (c) => {
      const { blockNumber, chainId, read } = await fromChain(async () => {
        const client = node();
        const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
        const at = { address: registry, blockNumber } as const;
        const [chainId, count] = await Promise.all([
          getChainId(client),
          readContract(client, { ...at, abi: intygRegistryAbi, functionName: "organisationCount" }),
        ]);
        const ids = Array.from({ length: count }, (_, i) => i + 1);
        const read: { organisationId: number; state: OrganisationState; pending: Hex | undefined }[] = [];
        // One multicall per 200 organisations (state and pending change of each).
        for (let start = 0; start < ids.length; start += 200) {
          const chunk = ids.slice(start, start + 200);
          const [states, pendings] = await Promise.all([
            readRegistryViews(client, {
              ...at,
              views: chunk.map((organisationId) => ({ kind: "organisation" as const, organisationId })),
            }),
            Promise.all(
              chunk.map((organisationId) =>
                readContract(client, {
                  ...at,
                  abi: intygRegistryAbi,
                  functionName: "pendingOrganisationProfile",
                  args: [organisationId],
                }),
              ),
            ),
          ]);
          chunk.forEach((organisationId, i) => {
            const state = states[i]!;
            if (state.status === "failure") throw state.error;
            const pending = pendings[i]!;
            read.push({
              organisationId,
              state: state.value,
              pending: /^0x0{64}$/.test(pending) ? undefined : pending,
            });
          });
        }
        return { blockNumber, chainId, read };
      });
      const served = await Promise.all(
        read.map(({ organisationId }) => deps.store.organisations.findByChainId(organisationId)),
      );
      const organisations = read.map((o, i) =>
        summary(o.organisationId, o.state, o.pending, served[i] !== null),
      );
      c.header("cache-control", "no-store");
      return c.json({ chainId, registry, blockNumber: blockNumber.toString(), organisations }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/organisations/{id}",
      tags: ["Registry"],
      summary:
        "One organisation in the registry by its chain id: status, profile, pending change, signing keys",
      request: { params: ChainIdParamSchema },
      responses: {
        200: {
          description: "The organisation, read at one block",
          content: { "application/json": { schema: RegistryOrganisationSchema } },
        },
        ...problemResponses(400, 404, 429, 503),
      },
    }),
    async (c) => {
      const organisationId = Number(c.req.valid("param").id);
      const read = await fromChain(async () => {
        const client = node();
        const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
        const at = { address: registry, blockNumber } as const;
        const found = await readRegisteredOrganisation(client, registry, organisationId, blockNumber);
        if (!found) return null;
        const [chainId, block, profiles, keys] = await Promise.all([
          getChainId(client),
          getBlock(client, { blockNumber }),
          readProfileHistory(client, { ...at, organisationId }),
          readContract(client, {
            ...at,
            abi: intygRegistryAbi,
            functionName: "organisationKeys",
            args: [organisationId],
          }),
        ]);
        const keyStates = keys.length
          ? await readRegistryViews(client, {
              ...at,
              views: keys.map((key) => ({ kind: "signingKey" as const, key })),
            })
          : [];
        const now = Number(block.timestamp);
        const keyViews = keys.map((key, i) => {
          const state = keyStates[i]!;
          if (state.status === "failure") throw state.error;
          return keyView(key, state.value, organisationId, now);
        });
        return { found, blockNumber, chainId, profiles, keys: keyViews };
      });
      if (!read) throw new ServiceError("not-found.organisation", { id: organisationId });
      const { found, blockNumber, chainId, profiles, keys } = read;
      const stored = await deps.store.organisations.findByChainId(organisationId);
      let service = null;
      if (stored) {
        const profile = stored.profile as OrganisationProfile;
        const profileHash = organisationProfileHash(profile, organisationId);
        const { name, legalName, organisationNumber, url } = profile;
        service = {
          profile: { name, legalName, organisationNumber, url },
          profileHash,
          matches: profileHash.toLowerCase() === found.profileHash.toLowerCase(),
        };
      }
      c.header("cache-control", "no-store");
      return c.json(
        {
          ...summary(organisationId, found, found.pendingProfileHash, stored !== null),
          chainId,
          registry,
          blockNumber: blockNumber.toString(),
          profiles: profiles.map((p) => ({ profileHash: p.profileHash, since: iso(p.since) })),
          service,
          keys,
        },
        200,
      );
    },
  );

  return app;
}
