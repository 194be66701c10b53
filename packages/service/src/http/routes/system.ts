import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ServiceError } from "../../errors";
import { databaseUnavailableReason } from "../../store/unavailable";
import { LEADER_LOCK_KEY } from "../../worker/leader";
import type { AppDeps, AppEnv } from "../context";
import { problemResponses } from "../problem";

/**
 * How long a transaction may hold the embedded database's session and the database still count as working
 * without answering a probe: a bulk of 10,000 holds it for seconds; one held for minutes is stuck.
 */
const BUSY_HEALTHY_MS = 120_000;

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    database: z.object({
      ok: z.boolean(),
      dialect: z.string(),
      busy: z.literal(true).optional().openapi({
        description:
          "The embedded database is running a transaction (a large issuance, for one): it works, and other statements wait for it",
      }),
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
      // The embedded database's one session taken by a transaction that began a moment ago (a bulk of thousands
      // holds it for seconds) is a database at work: asking it to answer too would only wait for the transaction,
      // and a probe that times out meanwhile would have the service restarted in the middle of the issuance.
      const since = deps.store.db.busySince?.() ?? null;
      const busy = since !== null && performance.now() - since < BUSY_HEALTHY_MS;
      const [databaseCause, blockNumber, leader] = await Promise.all([
        busy
          ? null
          : withTimeout(deps.store.db.query("SELECT 1"), 3000).then(
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
          ...(busy ? { busy: true as const } : {}),
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
