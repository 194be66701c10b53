import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { ServiceError } from "../errors";
import type { AppDeps, AppEnv } from "./context";
import { docsHtml } from "./docs";
import { accessLog, createRateLimiter, rateLimitByApiKey, requireApiKey } from "./middleware";
import { wantsHtml } from "./negotiate";
import { errorHandler, notFoundHandler, validationHook } from "./problem";
import { withCredentialQuota } from "./quota";
import { contextRoutes } from "./routes/contexts";
import { credentialRoutes } from "./routes/credentials";
import { deliveryRoutes } from "./routes/deliveries";
import { eventRoutes } from "./routes/events";
import { holderRoutes } from "./routes/holder";
import { importRoutes } from "./routes/imports";
import { keyRoutes } from "./routes/keys";
import { organisationRoutes } from "./routes/organisation";
import { LANDING_CSP, landingLanguage, landingPage, organiserRoutes } from "./routes/organiser";
import { registryOrganisationRoutes } from "./routes/registry-organisations";
import { systemRoutes } from "./routes/system";
import { vcApiRoutes } from "./routes/vcapi";
import { verificationLinkRoutes } from "./routes/verification-links";
import { verifyPageRoutes } from "./routes/verify-page";
import { verifyRpcRoutes } from "./routes/verify-rpc";
import { refuseHostileText } from "./text";

export type App = ReturnType<typeof createApp>;

/**
 * The issuer service's HTTP app: the organiser API under /v1 (Bearer API key), the public holder links, the
 * VC-API, health, the OpenAPI 3.1 document and its reference page.
 */
export function createApp(appDeps: AppDeps) {
  const { config, logger } = appDeps;
  // Every issuance through the API is charged to its organisation's credential quota.
  const deps: AppDeps = {
    ...appDeps,
    store: withCredentialQuota(appDeps.store, appDeps.config.organisationLimits),
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limiter = createRateLimiter(deps.store, config.rateLimit);
  const organisationLimiter = createRateLimiter(deps.store, config.organisationLimits);

  app.use(requestId({ headerName: "X-Request-Id" }));
  // QR codes and PDFs may be embedded by other sites (an organiser's page), hence no CORP.
  app.use(secureHeaders({ crossOriginResourcePolicy: false }));
  app.use(accessLog(logger.child({ component: "http" })));
  app.use(
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw new ServiceError("request.too-large", { limit: config.bodyLimitBytes });
      },
    }),
  );
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);

  // Bearer, or the organiser app's session cookie (writes with it need its CSRF token).
  app.use("/v1/*", requireApiKey(deps.store, deps), rateLimitByApiKey(limiter, organisationLimiter));
  // After authentication (401 first), before every route: NUL, lone surrogates and control characters.
  app.use(refuseHostileText());
  app.route("/v1", organisationRoutes(deps));
  app.route("/v1", keyRoutes(deps));
  app.route("/v1", eventRoutes(deps));
  app.route("/v1", credentialRoutes(deps));
  app.route("/v1", importRoutes(deps));
  app.route("/v1", deliveryRoutes(deps));
  app.route("/", holderRoutes(deps));
  app.route("/", verificationLinkRoutes(deps));
  app.route("/", vcApiRoutes(deps, limiter, organisationLimiter));
  app.route("/", systemRoutes(deps));
  // Public: the registry's organisations (status, profile, keys), read from the chain.
  app.route("/", registryOrganisationRoutes(deps));
  app.route("/", contextRoutes(deps));
  app.route("/", verifyRpcRoutes(deps));
  app.route("/", organiserRoutes(deps));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An organisation's API key",
  });
  const openApiConfig = {
    openapi: "3.1.0",
    info: {
      title: "Intyg issuer service",
      version: "0.1.0",
      description:
        "Issues verifiable attendance and training credentials anchored on an EVM chain: events and courses, bulk issuance, batch anchoring, revocation, re-issue, erasure, delivery (JSON, share link, QR, PDF) and the VC-API.",
    },
    servers: [{ url: config.publicUrl }],
  };
  app.doc31("/openapi.json", openApiConfig);
  app.get("/docs", (c) => c.html(docsHtml(app.getOpenAPI31Document(openApiConfig) as never)));
  // The verifier page (from @intyg/web) and the chain it should read, for share links and QR codes.
  app.route("/", verifyPageRoutes(deps));
  // A person gets a choice between checking a credential and the organiser app; a program keeps JSON.
  app.get("/", (c) => {
    if (wantsHtml(c)) {
      c.header("content-security-policy", LANDING_CSP);
      c.header("vary", "accept, accept-language");
      return c.html(landingPage(landingLanguage(c)));
    }
    return c.json({
      service: "intyg",
      docs: `${config.publicUrl}/docs`,
      openapi: `${config.publicUrl}/openapi.json`,
    });
  });
  return app;
}
