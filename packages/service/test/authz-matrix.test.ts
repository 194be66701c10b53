// The authorisation matrix: every route × every kind of caller → the status it must get. A denied cell changes
// nothing in the store; a cell of another organisation never changes the owner's rows, never shows them, and
// its 404 reads exactly like the 404 of an id that does not exist. A route the app serves that the table does
// not list fails the test.

import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";
import {
  documentedRoutes,
  expectCleanProblem,
  type FullApp,
  fullApp,
  multipart,
  type RouteKey,
  servedRoutes,
  storeFingerprint,
} from "./helpers/routes";

/** Who calls: the owner's admin and issuer keys, another organisation's keys, and no valid key at all. */
const PRINCIPALS = [
  "admin",
  "issuer",
  "otherAdmin",
  "otherIssuer",
  "none",
  "revoked",
  "unknown",
  "malformed",
] as const;
type Principal = (typeof PRINCIPALS)[number];

type Request = {
  method: string;
  path: string;
  body?: unknown;
  /** A body that is not JSON (a multipart upload): sent as is with its content type. */
  raw?: { type: string; body: Uint8Array<ArrayBuffer> };
  headers?: Record<string, string>;
};

type Fixtures = {
  orgA: string;
  orgB: string;
  keys: Record<Exclude<Principal, "none" | "malformed">, string>;
  /** Ids of the owner's rows that another organisation must never see. */
  ownerIds: string[];
  eventId: string;
  credentialId: string;
  holderToken: string;
  jobId: string;
  document: Record<string, unknown>;
  /** A fresh pending credential of the owner (for the cells that revoke, re-issue or erase). */
  freshCredential(): Promise<string>;
  /** A fresh credential of the owner, erased (for the cell that reads its receipt). */
  erasedCredential(): Promise<string>;
  /** The token of the holder's short verification link hiding `hide` (made on first use). */
  linkToken(hide: string[]): Promise<string>;
  /** A fresh API key of the owner (for the cells that revoke one). */
  freshKeyId(): Promise<string>;
};

type Expected = number | readonly number[];

type Cell = {
  /** Builds the request; called once per principal, before the store is fingerprinted. */
  request(f: Fixtures, who: Principal): Request | Promise<Request>;
  /** Organiser routes answer 401 to every caller without a valid key; public routes ignore the header. */
  auth: "key" | "public";
  /** The status of each principal with a valid key (public routes: of every principal). */
  expect: { own: Expected; issuer?: Expected; other: Expected; otherIssuer?: Expected };
};

const ok = (status: Expected) => ({ own: status, other: status });
/** A resource of the owner: another organisation gets a 404. */
const owned = (status: Expected): Cell["expect"] => ({ own: status, other: 404 });
/** Admin keys only (managing API keys): issuer keys get a 403, before anything is looked up. */
const adminOnly = (status: Expected, other: Expected): Cell["expect"] => ({
  own: status,
  issuer: 403,
  other,
  otherIssuer: 403,
});

/** No organisation has a key with this address. */
const UNKNOWN_KEY = "0x000000000000000000000000000000000000dEaD";
const ATTENDEE = { subject: { name: "Matris Personsson", email: "matris.personsson@example.se" } };
const HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
/** An attendee spreadsheet (CSV) for the import cells. */
const SHEET = `Namn;E-post\r\n${ATTENDEE.subject.name};${ATTENDEE.subject.email}\r\n`;

const MATRIX: Record<RouteKey, Cell> = {
  "GET /v1/organisation": {
    auth: "key",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/v1/organisation" }),
  },
  "GET /v1/api-keys": {
    auth: "key",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/v1/api-keys" }),
  },
  "POST /v1/api-keys": {
    auth: "key",
    // Another organisation's admin creates a key of its own organisation.
    expect: adminOnly(201, 201),
    request: () => ({ method: "POST", path: "/v1/api-keys", body: { name: "matris", role: "issuer" } }),
  },
  "DELETE /v1/api-keys/:id": {
    auth: "key",
    expect: adminOnly(200, 404),
    request: async (f) => ({ method: "DELETE", path: `/v1/api-keys/${await f.freshKeyId()}` }),
  },
  "GET /v1/organisation/keys": {
    auth: "key",
    expect: adminOnly(200, 200),
    request: () => ({ method: "GET", path: "/v1/organisation/keys" }),
  },
  "POST /v1/organisation/keys": {
    auth: "key",
    // Each admin creates a key of its own organisation (awaiting its admin's authorisation here).
    expect: adminOnly(201, 201),
    request: () => ({ method: "POST", path: "/v1/organisation/keys", body: { makeCurrent: false } }),
  },
  "GET /v1/organisation/keys/audit": {
    auth: "key",
    expect: adminOnly(200, 200),
    request: () => ({ method: "GET", path: "/v1/organisation/keys/audit" }),
  },
  "POST /v1/organisation/keys/:address/current": {
    auth: "key",
    expect: adminOnly(404, 404),
    request: () => ({ method: "POST", path: `/v1/organisation/keys/${UNKNOWN_KEY}/current` }),
  },
  "POST /v1/organisation/keys/:address/retire": {
    auth: "key",
    expect: adminOnly(404, 404),
    request: () => ({ method: "POST", path: `/v1/organisation/keys/${UNKNOWN_KEY}/retire` }),
  },
  "POST /v1/organisation/keys/:address/compromised": {
    auth: "key",
    expect: adminOnly(404, 404),
    request: () => ({
      method: "POST",
      path: `/v1/organisation/keys/${UNKNOWN_KEY}/compromised`,
      body: { since: "2026-01-01T00:00:00Z", revoke: false },
    }),
  },
  "POST /v1/events": {
    auth: "key",
    // A part of the owner's conference: another organisation cannot name it as the parent.
    expect: owned(201),
    request: (f) => ({
      method: "POST",
      path: "/v1/events",
      body: { kind: "event", parentId: f.eventId, details: { ...CONFERENCE, parts: undefined } },
    }),
  },
  "GET /v1/events": { auth: "key", expect: ok(200), request: () => ({ method: "GET", path: "/v1/events" }) },
  "GET /v1/events/:id": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/events/${f.eventId}` }),
  },
  "PATCH /v1/events/:id": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "PATCH", path: `/v1/events/${f.eventId}`, body: { details: CONFERENCE } }),
  },
  "POST /v1/events/:id/credentials": {
    auth: "key",
    expect: owned(201),
    request: (f) => ({ method: "POST", path: `/v1/events/${f.eventId}/credentials`, body: ATTENDEE }),
  },
  "POST /v1/events/:id/credentials/bulk": {
    auth: "key",
    expect: owned(201),
    request: (f) => ({
      method: "POST",
      path: `/v1/events/${f.eventId}/credentials/bulk`,
      body: { attendees: [ATTENDEE] },
      headers: { "idempotency-key": `matris-${randomBytes(6).toString("hex")}` },
    }),
  },
  "GET /v1/events/:id/credentials": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/events/${f.eventId}/credentials` }),
  },
  "POST /v1/events/:id/imports/preview": {
    auth: "key",
    expect: owned(200),
    request: async (f) => ({
      method: "POST",
      path: `/v1/events/${f.eventId}/imports/preview`,
      raw: await multipart({ file: { name: "deltagare.csv", text: SHEET } }),
    }),
  },
  "POST /v1/events/:id/imports": {
    auth: "key",
    expect: owned(202),
    request: async (f) => ({
      method: "POST",
      path: `/v1/events/${f.eventId}/imports`,
      raw: await multipart({ file: { name: "deltagare.csv", text: SHEET } }),
      headers: { "idempotency-key": `matris-${randomBytes(6).toString("hex")}` },
    }),
  },
  "GET /v1/events/:id/export.csv": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/events/${f.eventId}/export.csv` }),
  },
  "POST /v1/events/:id/deliveries": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({
      method: "POST",
      path: `/v1/events/${f.eventId}/deliveries`,
      body: { scope: "failed" },
    }),
  },
  "POST /v1/credentials/:id/send": {
    auth: "key",
    expect: owned(202),
    request: async (f) => ({
      method: "POST",
      path: `/v1/credentials/${await f.freshCredential()}/send`,
      headers: { "idempotency-key": `matris-${randomBytes(6).toString("hex")}` },
    }),
  },
  "GET /v1/credentials": {
    auth: "key",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/v1/credentials" }),
  },
  "GET /v1/credentials/:id": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/credentials/${f.credentialId}` }),
  },
  "POST /v1/credentials/:id/revoke": {
    auth: "key",
    expect: owned([200, 202]),
    request: async (f) => ({
      method: "POST",
      path: `/v1/credentials/${await f.freshCredential()}/revoke`,
      body: { reason: "issuedInError" },
    }),
  },
  "POST /v1/credentials/:id/reissue": {
    auth: "key",
    expect: owned(201),
    request: async (f) => ({
      method: "POST",
      path: `/v1/credentials/${await f.freshCredential()}/reissue`,
      body: { subject: { name: "Matris Rättad" } },
    }),
  },
  "POST /v1/credentials/:id/erase": {
    auth: "key",
    expect: owned(200),
    request: async (f) => ({ method: "POST", path: `/v1/credentials/${await f.freshCredential()}/erase` }),
  },
  "GET /v1/credentials/:id/erasure": {
    auth: "key",
    expect: owned(200),
    request: async (f) => ({ method: "GET", path: `/v1/credentials/${await f.erasedCredential()}/erasure` }),
  },
  "GET /v1/erasures": {
    auth: "key",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/v1/erasures" }),
  },
  "GET /v1/organisation/retention": {
    auth: "key",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/v1/organisation/retention" }),
  },
  "PUT /v1/organisation/retention": {
    auth: "key",
    // Another organisation's admin sets its own organisation's retention.
    expect: adminOnly(200, 200),
    request: () => ({ method: "PUT", path: "/v1/organisation/retention", body: { days: 400 } }),
  },
  "POST /v1/credentials/:id/claim-voucher": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({
      method: "POST",
      path: `/v1/credentials/${f.credentialId}/claim-voucher`,
      body: { holder: HOLDER },
    }),
  },
  "GET /v1/credentials/:id/share": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/credentials/${f.credentialId}/share` }),
  },
  "GET /v1/credentials/:id/qr.svg": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/credentials/${f.credentialId}/qr.svg` }),
  },
  "GET /v1/credentials/:id/qr.png": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/credentials/${f.credentialId}/qr.png` }),
  },
  "GET /v1/credentials/:id/pdf": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/credentials/${f.credentialId}/pdf?lang=en` }),
  },
  "GET /v1/jobs/:id": {
    auth: "key",
    expect: owned(200),
    request: (f) => ({ method: "GET", path: `/v1/jobs/${f.jobId}` }),
  },
  "POST /credentials/issue": {
    auth: "key",
    // The owner's event by its service id: another organisation's key cannot issue for it. (202: the worker
    // is not running, and the request does not wait for anchoring.)
    expect: owned(202),
    request: (f) => ({
      method: "POST",
      path: "/credentials/issue",
      body: {
        credential: { credentialSubject: ATTENDEE.subject },
        options: { eventId: f.eventId, anchorWaitSeconds: 0 },
      },
    }),
  },
  "GET /holder/:token": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}` }),
  },
  "GET /holder/:token/share": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/share` }),
  },
  "GET /holder/:token/qr.svg": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/qr.svg` }),
  },
  "GET /holder/:token/qr.png": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/qr.png` }),
  },
  "GET /holder/:token/pdf": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/pdf` }),
  },
  "GET /holder/:token/credential.json": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/credential.json` }),
  },
  "GET /holder/:token/links": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({ method: "GET", path: `/holder/${f.holderToken}/links` }),
  },
  "POST /holder/:token/links": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({
      method: "POST",
      path: `/holder/${f.holderToken}/links`,
      body: { hide: ["/credentialSubject/email"] },
    }),
  },
  "POST /holder/:token/links/:link/revoke": {
    auth: "public",
    expect: ok(204),
    request: async (f) => ({
      method: "POST",
      path: `/holder/${f.holderToken}/links/${await f.linkToken([])}/revoke`,
    }),
  },
  "POST /holder/:token/claim-voucher": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({
      method: "POST",
      path: `/holder/${f.holderToken}/claim-voucher`,
      body: { holder: HOLDER },
    }),
  },
  "GET /v/:token": {
    auth: "public",
    expect: ok(200),
    request: async (f) => ({
      method: "GET",
      path: `/v/${await f.linkToken(["/credentialSubject/email"])}`,
      headers: { accept: "application/json" },
    }),
  },
  "GET /assets/holder.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/assets/holder.js" }),
  },
  "GET /assets/holder.css": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/assets/holder.css" }),
  },
  "POST /credentials/verify": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({
      method: "POST",
      path: "/credentials/verify",
      body: { verifiableCredential: f.document },
    }),
  },
  "POST /presentations/verify": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({
      method: "POST",
      path: "/presentations/verify",
      body: {
        verifiablePresentation: {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          type: ["VerifiablePresentation"],
          verifiableCredential: [f.document],
        },
      },
    }),
  },
  "GET /healthz": { auth: "public", expect: ok(200), request: () => ({ method: "GET", path: "/healthz" }) },
  "GET /organisations": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/organisations" }),
  },
  "GET /organisations/:id": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/organisations/1" }),
  },
  "GET /ns/credentials/:version": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/ns/credentials/v1" }),
  },
  "GET /openapi.json": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/openapi.json" }),
  },
  "GET /docs": { auth: "public", expect: ok(200), request: () => ({ method: "GET", path: "/docs" }) },
  "GET /verify": { auth: "public", expect: ok(200), request: () => ({ method: "GET", path: "/verify" }) },
  "GET /verify/verify.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/verify.js" }),
  },
  "GET /verify/verify-early.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/verify-early.js" }),
  },
  "GET /verify/verify.css": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/verify.css" }),
  },
  "GET /verify/verify-qr.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/verify-qr.js" }),
  },
  "GET /verify/verify-qr-image.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/verify-qr-image.js" }),
  },
  "GET /verify/config.json": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/verify/config.json" }),
  },
  "GET /": { auth: "public", expect: ok(200), request: () => ({ method: "GET", path: "/" }) },
  "GET /organiser": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/organiser" }),
  },
  "GET /organiser/organiser.js": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/organiser/organiser.js" }),
  },
  "GET /organiser/organiser.css": {
    auth: "public",
    expect: ok(200),
    request: () => ({ method: "GET", path: "/organiser/organiser.css" }),
  },
  // The session routes read the cookie only: an Authorization header signs no one in.
  "GET /organiser/session": {
    auth: "public",
    expect: ok(401),
    request: () => ({ method: "GET", path: "/organiser/session" }),
  },
  "POST /organiser/session": {
    auth: "public",
    expect: ok(200),
    request: (f) => ({
      method: "POST",
      path: "/organiser/session",
      body: { apiKey: f.keys.admin },
      headers: { origin: "http://127.0.0.1:8787" },
    }),
  },
  "DELETE /organiser/session": {
    auth: "public",
    expect: ok(204),
    request: () => ({ method: "DELETE", path: "/organiser/session" }),
  },
  "POST /verify/rpc": {
    auth: "public",
    expect: ok(200),
    request: () => ({
      method: "POST",
      path: "/verify/rpc",
      body: { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
    }),
  },
};

function expected(cell: Cell, who: Principal): readonly number[] {
  const list = (e: Expected) => (typeof e === "number" ? [e] : e);
  if (
    cell.auth === "key" &&
    (who === "none" || who === "revoked" || who === "unknown" || who === "malformed")
  ) {
    return [401];
  }
  if (cell.auth === "public") return list(cell.expect.own);
  switch (who) {
    case "admin":
      return list(cell.expect.own);
    case "issuer":
      return list(cell.expect.issuer ?? cell.expect.own);
    case "otherAdmin":
      return list(cell.expect.other);
    default:
      return list(cell.expect.otherIssuer ?? cell.expect.other);
  }
}

describe("authorisation matrix: every route × every caller (pglite)", () => {
  let h: AppHarness;
  let full: FullApp;
  let f: Fixtures;

  function headersOf(who: Principal): Record<string, string> {
    if (who === "none") return {};
    if (who === "malformed") return { authorization: "Basic bWF0cmlzOnBhc3N3b3Jk" };
    return { authorization: `Bearer ${f.keys[who]}` };
  }

  function send(req: Request, who: Principal): Promise<Response> {
    const headers: Record<string, string> = { ...headersOf(who), ...req.headers };
    if (req.raw) {
      headers["content-type"] = req.raw.type;
      return full.send(req.method, req.path, { headers, body: req.raw.body });
    }
    if (req.body !== undefined) headers["content-type"] = "application/json";
    return full.send(req.method, req.path, {
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
  }

  before(async function () {
    this.timeout(60_000);
    h = await createAppHarness("pglite", {
      autoStartWorker: false,
      config: {
        rateLimit: { requests: 100_000, windowMs: 60_000 },
        organisationLimits: {
          requests: 100_000,
          windowMs: 60_000,
          credentials: 1_000_000,
          credentialWindowMs: 3_600_000,
        },
        bulkSyncLimit: 1,
      },
    });
    full = await fullApp(h);
    const orgB = await h.store.organisations.create({
      name: "Region Örebro län",
      chainOrganisationId: h.deployment.organisationId,
      profile: {
        name: "Region Örebro län",
        legalName: "Region Örebro län",
        organisationNumber: "232100-0164",
        url: "https://regionorebrolan.se",
      },
    });
    const orgA = h.organisation.id;
    const issuer = await h.store.apiKeys.create(orgA, "issuer", "issuer");
    const revoked = await h.store.apiKeys.create(orgA, "revoked", "admin");
    await h.store.apiKeys.revoke(orgA, revoked.apiKey.id);
    const keys = {
      admin: h.apiKey,
      issuer: issuer.secret,
      otherAdmin: (await h.store.apiKeys.create(orgB.id, "b-admin", "admin")).secret,
      otherIssuer: (await h.store.apiKeys.create(orgB.id, "b-issuer", "issuer")).secret,
      revoked: revoked.secret,
      unknown: `intyg_${randomBytes(32).toString("base64url")}`,
    };
    const admin = { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" };
    const post = async (p: string, body: unknown, status: number, headers: Record<string, string> = {}) =>
      expectJson<Record<string, unknown>>(
        await full.send("POST", p, { headers: { ...admin, ...headers }, body: JSON.stringify(body) }),
        status,
      );
    const eventId = (await post("/v1/events", { kind: "event", details: CONFERENCE }, 201)).id as string;
    const issued = await post(`/v1/events/${eventId}/credentials`, ATTENDEE, 201);
    const job = await post(
      `/v1/events/${eventId}/credentials/bulk`,
      { attendees: [ATTENDEE, ATTENDEE] },
      202,
      {
        "idempotency-key": "matris-job",
      },
    );
    await h.worker.runOnce();
    const credential = await expectJson<{ status: string; credential: Record<string, unknown> }>(
      await full.send("GET", `/v1/credentials/${issued.id}`, { headers: admin }),
      200,
    );
    expect(credential.status).to.equal("anchored");
    f = {
      orgA,
      orgB: orgB.id,
      keys,
      ownerIds: [orgA, eventId, issued.id as string, job.id as string, issuer.apiKey.id],
      eventId,
      credentialId: issued.id as string,
      holderToken: new URL(issued.holderUrl as string).pathname.split("/").pop()!,
      jobId: job.id as string,
      document: credential.credential,
      async freshCredential() {
        return (await post(`/v1/events/${eventId}/credentials`, ATTENDEE, 201)).id as string;
      },
      async erasedCredential() {
        const id = (await post(`/v1/events/${eventId}/credentials`, ATTENDEE, 201)).id as string;
        await post(`/v1/credentials/${id}/erase`, {}, 200);
        return id;
      },
      async linkToken(hide: string[]) {
        const link = await expectJson<{ token: string }>(
          await full.send("POST", `/holder/${this.holderToken}/links`, {
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ hide }),
          }),
          200,
        );
        return link.token;
      },
      async freshKeyId() {
        return (await h.store.apiKeys.create(orgA, "to-revoke", "issuer")).apiKey.id;
      },
    };
  });
  after(async () => {
    await h?.close();
  });

  it("lists every route the app serves and every route its OpenAPI document names", async () => {
    const listed = Object.keys(MATRIX).sort();
    expect(listed, "routes served but missing from the matrix, or listed but gone").to.deep.equal(
      servedRoutes(full.app),
    );
    const doc = await expectJson<{ paths: Record<string, Record<string, unknown>> }>(
      await full.send("GET", "/openapi.json"),
      200,
    );
    const documented = documentedRoutes(doc);
    expect(documented.filter((key) => !listed.includes(key))).to.deep.equal([]);
  });

  for (const [route, cell] of Object.entries(MATRIX)) {
    it(`${route}: ${PRINCIPALS.map((who) => `${who} ${expected(cell, who).join("|")}`).join(", ")}`, async () => {
      const unknownId = "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f";
      const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
      for (const who of PRINCIPALS) {
        const req = await cell.request(f, who);
        const label = `${who} ${req.method} ${req.path}`;
        const before = await storeFingerprint(h.store);
        const ownerBefore = await storeFingerprint(h.store, f.orgA);
        const otherBefore = await storeFingerprint(h.store, f.orgB);
        const response = await send(req, who);
        const text = await response.clone().text();
        expect(expected(cell, who), `${label} → ${response.status}: ${text.slice(0, 300)}`).to.include(
          response.status,
        );
        const actingOther = who === "otherAdmin" || who === "otherIssuer";
        if (response.status >= 400) {
          // Denied: nothing at all changed, and the problem shows no key and no personal data.
          const secrets = [...Object.values(f.keys), ATTENDEE.subject.name, ATTENDEE.subject.email];
          const problem = await expectCleanProblem(response, label, secrets);
          if (response.status === 401) {
            expect(response.headers.get("www-authenticate"), label).to.match(/^Bearer/);
          }
          expect(await storeFingerprint(h.store), `${label} wrote to the store`).to.deep.equal(before);
          // Keys are named by address, which no organisation's request carries another's of: nothing to swap.
          if (response.status === 404 && actingOther && !label.includes("/organisation/keys/")) {
            // No telling a resource of another organisation from one that does not exist.
            const serialised = JSON.stringify(req);
            const ghost = JSON.parse(serialised.replace(UUID, unknownId)) as Request;
            if (req.raw) ghost.raw = req.raw;
            expect(JSON.stringify(ghost), label).not.to.equal(serialised);
            const missing = await send(ghost, who);
            const absent = (await missing.json()) as Record<string, unknown>;
            expect(missing.status, label).to.equal(404);
            expect({ type: problem.type, title: problem.title, detail: problem.detail }, label).to.deep.equal(
              {
                type: absent.type,
                title: absent.title,
                detail: absent.detail,
              },
            );
          }
        } else if (actingOther) {
          // Allowed for another organisation (its own lists, its own keys): the owner's rows are untouched and
          // none of them shows.
          expect(await storeFingerprint(h.store, f.orgA), `${label} touched the owner's rows`).to.deep.equal(
            ownerBefore,
          );
          if (cell.auth === "key") {
            for (const id of f.ownerIds) expect(text.includes(id), `${label} shows ${id}`).to.equal(false);
          }
        } else if (who === "admin" || who === "issuer") {
          expect(
            await storeFingerprint(h.store, f.orgB),
            `${label} touched the other organisation`,
          ).to.deep.equal(otherBefore);
        }
        if (cell.auth === "public" || req.method === "GET") {
          // Reads and public routes never write, whoever calls.
          expect(await storeFingerprint(h.store), `${label} wrote to the store`).to.deep.equal(before);
        }
      }
    });
  }
});
