import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ServiceError } from "../../errors";
import type { AppDeps, AppEnv } from "../context";
import { problemResponses } from "../problem";

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    database: z.object({ ok: z.boolean(), dialect: z.string() }),
    chain: z.object({
      ok: z.boolean(),
      chainId: z.number(),
      registry: z.string(),
      blockNumber: z.string().nullable(),
    }),
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
      const [database, blockNumber] = await Promise.all([
        withTimeout(deps.store.ping(), 3000).catch(() => false),
        withTimeout(deps.chain.blockNumber(), 3000).catch(() => null),
      ]);
      const checks = {
        database: { ok: database, dialect: deps.store.db.dialect },
        chain: {
          ok: blockNumber !== null,
          chainId: deps.chain.chainId,
          registry: deps.chain.registry,
          blockNumber: blockNumber === null ? null : blockNumber.toString(),
        },
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
