// The verifier page of @intyg/web at /verify, its script and style sheet, and the chain it reads. The page takes
// its node, registry and chain id only from what this service writes into it (meta tags, config.json), and is
// served with a Content-Security-Policy that allows no inline script and network reads only from this origin
// and the configured public node. Its script imports the modules only some readers need (QR codes) from here
// too. Each file is sent gzipped to a browser that accepts it.

import { OpenAPIHono } from "@hono/zod-openapi";
import { type ServedVerifyPage, VERIFY_LAZY_MODULES } from "@intyg/web";
import { ServiceError } from "../../errors";
import { sendText } from "../compressed";
import type { AppDeps, AppEnv } from "../context";

/** The built page as this service serves it (`servedVerifyPage` of @intyg/web). */
export type VerifyPage = ServedVerifyPage;

/** The holder page as this service serves it: HTML, script and style under /assets/, and its policy. */
export type HolderPage = ServedVerifyPage;

export function verifyPageRoutes(deps: AppDeps) {
  const { config } = deps;
  const app = new OpenAPIHono<AppEnv>();
  const page = () => {
    if (!deps.verifyPage) throw new ServiceError("not-implemented.verify-page");
    return deps.verifyPage();
  };
  app.get("/verify", (c) => {
    const { html, csp } = page();
    c.header("cache-control", "no-cache");
    c.header("content-security-policy", csp);
    // Share links carry the credential in the fragment, which browsers never send; keep it out of Referer too.
    c.header("referrer-policy", "no-referrer");
    return sendText(c, html, "text/html; charset=utf-8");
  });
  app.get("/verify/verify.js", (c) => {
    c.header("cache-control", "no-cache");
    return sendText(c, page().script, "text/javascript; charset=utf-8");
  });
  // The modules the page's script imports on first use (reading and drawing QR codes), next to it: the same
  // origin, so the policy's `script-src 'self'` covers them.
  for (const name of VERIFY_LAZY_MODULES) {
    app.get(`/verify/${name}`, (c) => {
      const module = page().modules?.[name];
      if (module === undefined) throw new ServiceError("not-implemented.verify-page");
      c.header("cache-control", "no-cache");
      return sendText(c, module, "text/javascript; charset=utf-8");
    });
  }
  app.get("/verify/verify-early.js", (c) => {
    const early = page().early;
    if (early === undefined) throw new ServiceError("not-implemented.verify-page");
    c.header("cache-control", "no-cache");
    return sendText(c, early, "text/javascript; charset=utf-8");
  });
  app.get("/verify/verify.css", (c) => {
    c.header("cache-control", "no-cache");
    return sendText(c, page().style, "text/css; charset=utf-8");
  });
  app.get("/verify/config.json", (c) =>
    c.json({ rpcUrl: config.publicRpcUrl, registry: deps.chain.registry, chainId: deps.chain.chainId }),
  );
  return app;
}
