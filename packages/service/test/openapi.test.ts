import { expect } from "chai";
import { type AppHarness, createAppHarness, expectJson, expectProblem } from "./helpers/harness";

type OpenApi = {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: unknown[]; operationId?: string }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

describe("OpenAPI 3.1 document and reference page", () => {
  let h: AppHarness;
  let doc: OpenApi;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    const response = await h.call("GET", "/openapi.json", { auth: null });
    expect(response.status).to.equal(200);
    doc = (await response.json()) as OpenApi;
  });
  after(async () => {
    await h?.close();
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).to.equal("3.1.0");
    const { Validator } = await import("@seriousme/openapi-schema-validator");
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it("documents every route the app serves (and nothing it does not)", () => {
    const served = new Set<string>();
    for (const route of h.app.routes) {
      if (route.method === "ALL") continue;
      if (
        [
          "/openapi.json",
          "/docs",
          "/",
          "/verify",
          "/verify/config.json",
          "/verify/verify.js",
          "/verify/verify-early.js",
          "/verify/verify.css",
          "/verify/verify-qr.js",
          "/verify/verify-qr-image.js",
          "/assets/holder.js",
          "/assets/holder.css",
          "/organiser",
          "/organiser/organiser.js",
          "/organiser/organiser.css",
        ].includes(route.path)
      )
        continue;
      served.add(`${route.method.toLowerCase()} ${route.path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method} ${path}`);
    }
    expect([...documented].sort()).to.deep.equal([...served].sort());
    for (const must of [
      "post /v1/events",
      "get /v1/events/{id}",
      "patch /v1/events/{id}",
      "post /v1/events/{id}/credentials",
      "post /v1/events/{id}/credentials/bulk",
      "get /v1/credentials/{id}",
      "post /v1/credentials/{id}/revoke",
      "post /v1/credentials/{id}/reissue",
      "post /v1/credentials/{id}/erase",
      "get /v1/credentials/{id}/pdf",
      "get /v1/credentials/{id}/qr.svg",
      "get /v1/credentials/{id}/qr.png",
      "post /v1/credentials/{id}/claim-voucher",
      "get /v1/jobs/{id}",
      "get /holder/{token}",
      "post /credentials/issue",
      "post /credentials/verify",
      "post /presentations/verify",
      "get /healthz",
    ]) {
      expect(documented.has(must), must).to.equal(true);
    }
  });

  it("marks organiser operations with the bearer scheme and documents problem responses", () => {
    expect(doc.components.securitySchemes.bearerAuth).to.deep.include({ type: "http", scheme: "bearer" });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (path.startsWith("/v1/") || path === "/credentials/issue") {
          expect(op.security, `${method} ${path}`).to.deep.equal([{ bearerAuth: [] }]);
          expect(op.responses, `${method} ${path}`).to.have.property("401");
        }
        const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
        expect(errors.length, `${method} ${path} documents its errors`).to.be.greaterThan(0);
        for (const [, response] of errors) {
          expect(response).to.have.nested.property("content.application/problem+json");
        }
      }
    }
    expect(doc.components.schemas).to.have.property("Problem");
  });

  it("answers /verify with 501 when no verifier page is installed, and tells the page its chain", async () => {
    await expectProblem(await h.call("GET", "/verify", { auth: null }), 501, "not-implemented");
    const config = await expectJson<{ rpcUrl: string; registry: string; chainId: number }>(
      await h.call("GET", "/verify/config.json", { auth: null }),
      200,
    );
    // The service's read-only proxy, never the private node's URL.
    expect(config).to.deep.equal({
      rpcUrl: `${h.config.publicUrl}/verify/rpc`,
      registry: h.deployment.registry,
      chainId: h.deployment.chainId,
    });
  });

  it("serves a self-contained reference page listing every operation", async () => {
    const response = await h.call("GET", "/docs", { auth: null });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/html/);
    const html = await response.text();
    expect(html).not.to.match(/<script/i);
    expect(html).not.to.match(/https?:\/\/(cdn|unpkg|jsdelivr)/);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        expect(html).to.contain(
          `<span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code>`,
        );
      }
    }
  });
});
