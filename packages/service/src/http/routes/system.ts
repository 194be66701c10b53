import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ServiceError } from "../../errors";
import { databaseUnavailableReason } from "../../store/unavailable";
import { LEADER_LOCK_KEY } from "../../worker/leader";
import type { AppDeps, AppEnv } from "../context";
import { problemResponses } from "../problem";

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    database: z.object({
      ok: z.boolean(),
      dialect: z.string(),
      cause: z
        .string()
        .optional()
        .openapi({ description: "Why the database did not answer (an error code)" }),
    }),
    chain: z.object({
      ok: z.boolean(),
      chainId: z.number(),
      registry: z.string(),
      blockNumber: z.string().nullable(),
    }),
    worker: z
      .object({
        role: z.enum(["leader", "follower", "none"]).openapi({
          description: "This replica's anchoring worker: leading, waiting to lead, or not running here",
        }),
        replica: z
          .string()
          .nullable()
          .openapi({ description: "This replica's name in the database and logs" }),
        leader: z
          .string()
          .nullable()
          .openapi({ description: "The replica that holds the anchoring lock now (null: none, or unknown)" }),
      })
      .openapi({ description: "Anchoring leadership: one replica anchors at a time" }),
  })
  .openapi("Health");

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);
}

/** Health: the database answers and the chain node answers. */
export function systemRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      tags: ["System"],
      summary: "Health: database and chain reachability",
      responses: {
        200: { description: "Healthy", content: { "application/json": { schema: HealthSchema } } },
        ...problemResponses(503),
      },
    }),
    async (c) => {
      const leadership = deps.worker?.leadership;
      const [databaseCause, blockNumber, leader] = await Promise.all([
        withTimeout(deps.store.db.query("SELECT 1"), 3000).then(
          () => null,
          (error: unknown) =>
            databaseUnavailableReason(error) ??
            ((error as Error).message === "timeout" ? "timeout" : "error"),
        ),
        withTimeout(deps.chain.blockNumber(), 3000).catch(() => null),
        withTimeout(leadership ? leadership.current() : deps.store.db.leaderOf(LEADER_LOCK_KEY), 3000).catch(
          () => null,
        ),
      ]);
      const database = databaseCause === null;
      const state = leadership?.state();
      const checks = {
        database: {
          ok: database,
          dialect: deps.store.db.dialect,
          ...(databaseCause === null ? {} : { cause: databaseCause }),
        },
        chain: {
          ok: blockNumber !== null,
          chainId: deps.chain.chainId,
          registry: deps.chain.registry,
          blockNumber: blockNumber === null ? null : blockNumber.toString(),
        },
        worker: { role: state?.role ?? ("none" as const), replica: state?.replica ?? null, leader },
      };
      c.header("cache-control", "no-store");
      if (!database || blockNumber === null) {
        throw new ServiceError(
          "system.unhealthy",
          { database: database ? "up" : "down", chain: blockNumber === null ? "down" : "up" },
          { extensions: checks },
        );
      }
      return c.json({ status: "ok" as const, ...checks }, 200);
    },
  );

  return app;
}
