// Shared by the endpoint fuzz and the authorisation matrix: the routes the app serves, the whole app as
// startService wires it (real verifier, verifier page), a fingerprint of the store, and the checks every error
// response must pass.

import { servedHolderPage, servedVerifyPage, webBuilt } from "@intyg/web";
import { buildWeb } from "@intyg/web/build";
import { expect } from "chai";
import { createApp } from "../../src/http/app";
import type { Store } from "../../src/store/store";
import { createVerification } from "../../src/verification";
import type { AppHarness } from "./harness";

/** A route as Hono names it: `GET /v1/events/:id`. */
export type RouteKey = `${"GET" | "POST" | "PATCH" | "PUT" | "DELETE"} /${string}`;

/** Every method and path the app answers (its middleware, method ALL, left out), sorted. */
export function servedRoutes(app: { routes: readonly { method: string; path: string }[] }): string[] {
  return [
    ...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`)),
  ].sort();
}

/** Every operation of an OpenAPI document, as route keys (`{id}` → `:id`), sorted. */
export function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  const keys: string[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      keys.push(`${method.toUpperCase()} ${p.replace(/\{([A-Za-z]+)\}/g, ":$1")}`);
    }
  }
  return keys.sort();
}

export type Send = (
  method: string,
  path: string,
  init?: { headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> },
) => Promise<Response>;

export type FullApp = { app: ReturnType<typeof createApp>; send: Send };

/** The harness's deps as the full app: with the real VC-API verifier and the verifier page at /verify. */
export async function fullApp(h: AppHarness): Promise<FullApp> {
  if (!webBuilt()) await buildWeb();
  const verifyPage = servedVerifyPage({
    rpcUrl: h.config.publicRpcUrl,
    registry: h.chain.registry,
    chainId: h.chain.chainId,
  });
  const app = createApp({
    store: h.store,
    signer: h.signer,
    keys: h.keys,
    chain: h.chain,
    clock: h.clock,
    logger: h.logger,
    config: h.config,
    worker: h.worker,
    verifier: createVerification({
      rpcUrl: h.deployment.rpcUrl,
      registry: h.chain.registry,
      chainId: h.chain.chainId,
    }),
    verifyPage: () => verifyPage,
    holderPage: servedHolderPage({ registry: h.chain.registry, chainId: h.chain.chainId }),
  });
  const send: Send = async (method, p, init = {}) =>
    app.request(p, {
      method,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  return { app, send };
}

const TABLES = [
  "organisations",
  "api_keys",
  "events",
  "batches",
  "credentials",
  "idempotency_keys",
  "jobs",
  "deliveries",
] as const;

/** A multipart/form-data body (as a browser sends a file upload): its content type and its bytes. */
export async function multipart(
  fields: Record<string, string | { name: string; text: string }>,
): Promise<{ type: string; body: Uint8Array<ArrayBuffer> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") form.set(key, value);
    else form.set(key, new Blob([value.text], { type: "text/csv" }), value.name);
  }
  const response = new Response(form);
  return {
    type: response.headers.get("content-type")!,
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/**
 * Row count and a hash of every row of every table (optionally only one organisation's rows): two equal
 * fingerprints mean nothing was written, updated or deleted in between — but for the one write a read may make:
 * the time a holder first fetched their copy (`credentials.holder_fetched_at`, for the retention rule; which
 * routes set it is checked in erasure.test.ts).
 */
export async function storeFingerprint(
  store: Store,
  organisationId?: string,
): Promise<Record<string, string>> {
  const parts = TABLES.map((table) => {
    const row = table === "credentials" ? "(to_jsonb(x) - 'holder_fetched_at')" : "x";
    const where = organisationId
      ? `WHERE ${table === "organisations" ? "id" : "organisation_id"} = $1::uuid`
      : "";
    return `SELECT '${table}' AS t, count(*)::int AS n,
                   coalesce(md5(string_agg(${row}::text, '|' ORDER BY ${row}::text)), '-') AS h
              FROM ${table} x ${where}`;
  });
  const rows = await store.db.query<{ t: string; n: number; h: string }>(
    parts.join(" UNION ALL "),
    organisationId ? [organisationId] : [],
  );
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** What a response must never show: a stack trace, source paths, or internals of the runtime. */
const INTERNALS =
  /\n\s+at |\bat \S+ \((?:file:|node:|\/)|node_modules|\.[cm]?[jt]s:\d+:\d+|ZodError|PGlite|syntax error at/;
/\n\s+at |\bat [\w.$<>]+ \(|\.ts:\d+|node_modules|file:\/\/|\/src\/|ZodError|PGlite|syntax error at/;

/**
 * Checks an error response: problem+json whose status matches, no stack trace or internals, and none of
 * `secrets` (personal data or keys sent in the request) echoed back. Returns the problem.
 */
export async function expectCleanProblem(
  response: Response,
  label: string,
  secrets: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const text = await response.clone().text();
  expect(response.status, `${label}: ${text.slice(0, 500)}`).to.be.within(400, 499);
  expect(response.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${label}: the problem is not JSON: ${text.slice(0, 200)}`);
  }
  expect(problem.status, label).to.equal(response.status);
  expect(problem.type, label).to.match(/^https:\/\/intyg\.se\/problems\/[a-z-]+$/);
  expect(problem.title, label).to.be.a("string");
  expect(problem.detail, label).to.be.a("string");
  expect(problem, label).not.to.have.property("stack");
  // The request path comes back as `instance` (and in a 404's detail): it is the caller's own input.
  const own = typeof problem.instance === "string" && problem.instance ? problem.instance : null;
  const rest = own ? text.split(JSON.stringify(own).slice(1, -1)).join("") : text;
  expect(INTERNALS.test(rest), `${label}: internals in ${text.slice(0, 500)}`).to.equal(false);
  for (const secret of secrets) {
    expect(
      rest.includes(secret),
      `${label}: echoes ${JSON.stringify(secret)} in ${text.slice(0, 500)}`,
    ).to.equal(false);
  }
  return problem;
}
