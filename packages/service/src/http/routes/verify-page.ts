// GET /verify: the verifier page (packages/web), with this service's chain and registry filled in. The page
// reads the chain from the browser; nothing about the credential is sent to the service.

import { verifyPageHtml } from "@intyg/web";
import { Hono } from "hono";
import { ProblemError } from "../../errors";
import type { AppDeps, AppEnv } from "../context";

export function verifyPageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let cached: string | undefined;
  app.get("/verify", (c) => {
    try {
      cached ??= verifyPageHtml({
        rpcUrl: deps.config.publicRpcUrl ?? deps.config.rpcUrl,
        registry: deps.chain.registry,
      });
    } catch {
      throw new ProblemError(503, "unavailable", "The verifier page has not been built yet");
    }
    c.header("Cache-Control", "no-cache");
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src *; img-src data:; media-src 'self' blob:",
    );
    return c.html(cached);
  });
  return app;
}
