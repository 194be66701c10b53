// POST /verify/rpc: the read-only JSON-RPC proxy the verifier page uses by default, so that the private node's
// URL (which may carry a provider's key) is never published. Only the verifier's reads of this service's
// registry pass (./rpc-policy); batches, bodies and requests per client are bounded; the node's URL appears in
// no answer and no log line.

import { getConnInfo } from "@hono/node-server/conninfo";
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { ServiceError } from "../../errors";
import type { AppDeps, AppEnv } from "../context";
import { createRateLimiter } from "../middleware";
import { problemResponses, validationHook } from "../problem";
import {
  applyRpcPolicy,
  deploylessMulticallCode,
  type JsonRpcRequest,
  type JsonRpcResponse,
  PROXIED_METHODS,
  RPC_ERRORS,
  rpcError,
} from "../rpc-policy";

/** The most bytes of one answer of the node (log queries can be large). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The node's URL without user:password, which go into an Authorization header instead (fetch refuses them). */
function upstreamOf(rpcUrl: string): { url: string; headers: Record<string, string> } {
  const url = new URL(rpcUrl);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return { url: url.toString(), headers };
}

/** The client's address, for the rate limit (behind a reverse proxy, every client shares the proxy's). */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "local"; // app.request() in tests: no socket
  }
}

async function readLimited(response: Response, limit: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function verifyRpcRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { config, logger } = deps;
  const log = logger.child({ component: "rpc-proxy" });
  const proxy = config.rpcProxy;
  const limiter = createRateLimiter(deps.store, proxy.rateLimit);
  const upstream = upstreamOf(config.rpcUrl);

  /** Forwards calls the policy allowed, as one batch; the node's errors pass through, its URL never does. */
  async function forward(calls: JsonRpcRequest[]): Promise<unknown[]> {
    let response: Response;
    const send = () =>
      fetch(upstream.url, {
        method: "POST",
        headers: upstream.headers,
        // One call as itself: not every node takes batches.
        body: JSON.stringify(calls.length === 1 ? calls[0] : calls),
        signal: AbortSignal.timeout(config.rpc.timeoutMs),
        redirect: "error",
      });
    try {
      // Only reads are forwarded, so a connection the node dropped (a reset keep-alive socket) is tried once more.
      response = await send().catch((error: unknown) => {
        if ((error as Error)?.name === "TimeoutError") throw error;
        return send();
      });
    } catch (error) {
      // Not the error's message: it may name the node.
      log.warn({ error: (error as Error)?.name ?? "error" }, "the node could not be reached");
      throw new ServiceError("chain.unreachable");
    }
    let text: string | null;
    try {
      text = await readLimited(response, MAX_RESPONSE_BYTES);
    } catch (error) {
      log.warn({ error: (error as Error)?.name ?? "error" }, "the node's answer could not be read");
      throw new ServiceError("chain.no-answer");
    }
    let body: unknown;
    try {
      body = text === null ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (calls.length === 1 && body !== null && typeof body === "object" && !Array.isArray(body))
      body = [body];
    if (!response.ok || !Array.isArray(body)) {
      log.warn(
        { status: response.status, tooLarge: text === null },
        "the node answered the proxy with something else than a JSON-RPC batch",
      );
      if (text === null)
        return calls.map((call) =>
          rpcError(
            call.id,
            RPC_ERRORS.limitExceeded,
            "The answer is too large: ask for fewer blocks or logs",
          ),
        );
      throw new ServiceError("chain.no-answer");
    }
    return body;
  }

  app.use(
    "/verify/rpc",
    cors({ origin: "*", allowMethods: ["POST"], allowHeaders: ["content-type"], maxAge: 600 }),
  );

  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/verify/rpc",
    tags: ["Verification"],
    summary: "Read-only JSON-RPC proxy to the chain, for the verifier page",
    description: `Forwards ${PROXIED_METHODS.join(", ")} — eth_getCode, eth_call and eth_getLogs only against the registry (eth_call also as a deployless multicall of the registry) — singly or in batches of at most ${proxy.maxBatch}. Anything else, every write among it, is answered with a JSON-RPC error and never reaches the node. Limited to ${proxy.rateLimit.requests} requests per ${proxy.rateLimit.windowMs} ms per client address.`,
    request: {
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]),
          },
        },
      },
    },
    responses: {
      200: {
        description: "JSON-RPC response(s); a refused call is a JSON-RPC error",
        content: {
          "application/json": {
            schema: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]),
          },
        },
      },
      ...problemResponses(413, 429, 503),
    },
  });

  app.post("/verify/rpc", async (c) => {
    const result = await limiter.take(`rpc:${clientOf(c)}`);
    if (!result.allowed) {
      throw new ServiceError(
        "chain.rpc-rate-limited",
        {},
        { extensions: { retryAfter: result.resetSeconds } },
      );
    }
    // Read whole (the app's body limit bounds it first): the hostile-text check has read the stream already.
    const text = await c.req.text();
    if (Buffer.byteLength(text) > proxy.maxBodyBytes) {
      throw new ServiceError("request.too-large", { limit: proxy.maxBodyBytes });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json(rpcError(null, RPC_ERRORS.parse, "The body is not JSON"));
    }
    const batch = Array.isArray(body);
    const requests = batch ? (body as unknown[]) : [body];
    if (batch && requests.length === 0)
      return c.json(rpcError(null, RPC_ERRORS.invalidRequest, "An empty batch"));
    if (requests.length > proxy.maxBatch) {
      return c.json(rpcError(null, RPC_ERRORS.limitExceeded, `At most ${proxy.maxBatch} calls in one batch`));
    }
    const policy = { registry: deps.chain.registry, multicallCode: await deploylessMulticallCode() };
    const refused: JsonRpcResponse[] = [];
    const allowed: JsonRpcRequest[] = [];
    for (const request of requests) {
      const decided = applyRpcPolicy(request, policy);
      if ("forward" in decided) allowed.push(decided.forward);
      else refused.push(decided.refuse);
    }
    if (refused.length > 0) {
      log.debug({ refused: refused.length, allowed: allowed.length }, "the proxy refused calls");
    }
    const answers = allowed.length > 0 ? await forward(allowed) : [];
    const responses = [...answers, ...refused];
    c.header("cache-control", "no-store");
    return c.json(batch ? responses : (responses[0] ?? rpcError(null, RPC_ERRORS.internal, "No answer")));
  });

  return app;
}
