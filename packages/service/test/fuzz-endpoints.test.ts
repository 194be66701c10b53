// Property-based fuzz of every route the service serves: adversarial path parameters, query strings (pagination
// cursors and limits among them), headers (content types that lie, huge values, bad Authorization) and bodies
// (random JSON, real bodies with mutated fields, non-JSON). For every request: never a 5xx; every error is a
// clean problem+json (no stack, no internals, no echo of the personal data or key sent); a rejected request
// and every GET leave the store exactly as it was. A route the app serves that the table does not list fails.

import { expect } from "chai";
import fc from "fast-check";
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

const NAME = "Fuzzia Personsdotter";
const EMAIL = "fuzzia.personsdotter@example.se";
/** Sent inside bad Authorization headers: must never come back. */
const KEY_MARK = "intyg_fuzzSecretKeyMaterial";
const HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

type Fixtures = {
  key: string;
  eventId: string;
  courseId: string;
  /** Anchored in a batch: read, delivered, vouchered; never revoked or erased. */
  credentialId: string;
  revokeId: string;
  reissueId: string;
  eraseId: string;
  jobId: string;
  apiKeyId: string;
  holderToken: string;
  /** A short verification link of the holder (hiding the e-mail), and another one to revoke. */
  linkToken: string;
  revokeLinkToken: string;
  document: Record<string, unknown>;
  registry: string;
};

type FuzzRoute = {
  /** The id that fills `:id` (routes with one). */
  id?: (f: Fixtures) => string;
  /** A real request body: the seed of the mutated bodies, and the body sent with fuzzed headers. */
  body?: (f: Fixtures) => unknown;
  /** The query parameters the route reads. */
  query?: readonly string[];
  /** A real multipart body (a spreadsheet upload) instead of JSON. */
  multipart?: (f: Fixtures) => Promise<{ type: string; body: Uint8Array<ArrayBuffer> }>;
  /** No API key: the holder links, the VC-API verify routes and the service's own pages. */
  public?: boolean;
  /** Headers the real request needs besides the key (the organiser sign-in: its own Origin). */
  headers?: Record<string, string>;
  /** The real request's status when it is not a 2xx (the organiser session without its cookie: 401). */
  status?: number;
};

const PAGE = ["cursor", "limit"] as const;
const STATUS_MODEL = ["state", "standing", "delivery", "q"] as const;
/** An attendee spreadsheet with a column to ignore by mapping. */
const SHEET = `Namn;E-post;Telefon\r\n${NAME};${EMAIL};070-1234567\r\n`;
const ATTENDEE = { subject: { name: NAME, email: EMAIL, birthDate: "1987-03-14" }, reference: "ref-1" };
const presentation = (f: Fixtures) => ({
  verifiablePresentation: {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    type: ["VerifiablePresentation"],
    verifiableCredential: [f.document],
  },
});

const UNKNOWN_KEY = "0x000000000000000000000000000000000000dEaD";

const ROUTES: Record<RouteKey, FuzzRoute> = {
  "GET /v1/organisation": {},
  "GET /v1/api-keys": {},
  "POST /v1/api-keys": { body: () => ({ name: "fuzz", role: "issuer" }) },
  "DELETE /v1/api-keys/:id": { id: (f) => f.apiKeyId },
  "GET /v1/organisation/keys": {},
  "POST /v1/organisation/keys": { body: () => ({ makeCurrent: false }) },
  "GET /v1/organisation/keys/audit": {},
  // No key of the organisation has this address: the real request is a 404.
  "POST /v1/organisation/keys/:address/current": { id: () => UNKNOWN_KEY, status: 404 },
  "POST /v1/organisation/keys/:address/retire": { id: () => UNKNOWN_KEY, status: 404 },
  "POST /v1/organisation/keys/:address/compromised": {
    id: () => UNKNOWN_KEY,
    body: () => ({ since: "2026-01-01T00:00:00Z", revoke: false }),
    status: 404,
  },
  "POST /v1/events": { body: () => ({ kind: "event", details: CONFERENCE }) },
  "GET /v1/events": { query: ["kind", "parentId", ...PAGE] },
  "GET /v1/events/:id": { id: (f) => f.eventId },
  "PATCH /v1/events/:id": { id: (f) => f.courseId, body: () => ({ details: { name: "Kurs", hours: 8 } }) },
  "POST /v1/events/:id/credentials": { id: (f) => f.eventId, body: () => ATTENDEE },
  "POST /v1/events/:id/credentials/bulk": {
    id: (f) => f.eventId,
    body: () => ({ attendees: [ATTENDEE], validUntil: "2030-01-01T00:00:00Z" }),
  },
  "GET /v1/events/:id/credentials": { id: (f) => f.eventId, query: ["status", ...STATUS_MODEL, ...PAGE] },
  "POST /v1/events/:id/imports/preview": {
    id: (f) => f.eventId,
    multipart: () => multipart({ file: { name: "a.csv", text: SHEET }, mapping: '{"Telefon":null}' }),
  },
  "POST /v1/events/:id/imports": {
    id: (f) => f.eventId,
    multipart: () => multipart({ file: { name: "a.csv", text: SHEET }, mapping: '{"Telefon":null}' }),
  },
  "GET /v1/events/:id/export.csv": { id: (f) => f.eventId, query: ["lang", "sep", ...STATUS_MODEL] },
  "POST /v1/events/:id/deliveries": { id: (f) => f.eventId, body: () => ({ scope: "failed" }) },
  "POST /v1/credentials/:id/send": { id: (f) => f.credentialId },
  "GET /v1/credentials": { query: ["eventId", "status", ...STATUS_MODEL, ...PAGE] },
  "GET /v1/credentials/:id": { id: (f) => f.credentialId },
  "POST /v1/credentials/:id/revoke": { id: (f) => f.revokeId, body: () => ({ reason: "issuedInError" }) },
  "POST /v1/credentials/:id/reissue": {
    id: (f) => f.reissueId,
    body: () => ({
      subject: { name: NAME, email: EMAIL },
      holder: HOLDER,
      validUntil: "2030-01-01T00:00:00Z",
    }),
  },
  "POST /v1/credentials/:id/erase": { id: (f) => f.eraseId },
  "GET /v1/credentials/:id/erasure": { id: (f) => f.eraseId },
  "GET /v1/erasures": { query: [...PAGE] },
  "GET /v1/organisation/retention": {},
  "PUT /v1/organisation/retention": { body: () => ({ days: 400 }) },
  "POST /v1/credentials/:id/claim-voucher": {
    id: (f) => f.credentialId,
    body: () => ({ holder: HOLDER, deadline: 4_000_000_000 }),
  },
  "GET /v1/credentials/:id/share": { id: (f) => f.credentialId, query: ["hide"] },
  "GET /v1/credentials/:id/qr.svg": { id: (f) => f.credentialId, query: ["hide"] },
  "GET /v1/credentials/:id/qr.png": { id: (f) => f.credentialId, query: ["hide"] },
  "GET /v1/credentials/:id/pdf": { id: (f) => f.credentialId, query: ["hide", "lang"] },
  "GET /v1/jobs/:id": { id: (f) => f.jobId },
  "GET /holder/:token": { public: true },
  "GET /holder/:token/share": { public: true, query: ["hide"] },
  "GET /holder/:token/qr.svg": { public: true, query: ["hide"] },
  "GET /holder/:token/qr.png": { public: true, query: ["hide"] },
  "GET /holder/:token/pdf": { public: true, query: ["hide", "lang"] },
  "GET /holder/:token/credential.json": { public: true },
  "GET /holder/:token/links": { public: true },
  "POST /holder/:token/links": { public: true, body: () => ({ hide: ["/credentialSubject/email"] }) },
  "POST /holder/:token/links/:link/revoke": { public: true },
  "POST /holder/:token/claim-voucher": {
    public: true,
    body: () => ({ holder: HOLDER, deadline: 4_000_000_000 }),
  },
  "GET /v/:token": { public: true },
  "GET /assets/holder.js": { public: true },
  "GET /assets/holder.css": { public: true },
  "POST /credentials/issue": {
    body: (f) => ({
      credential: {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        type: ["VerifiableCredential", "OpenBadgeCredential"],
        validUntil: "2030-01-01T00:00:00Z",
        credentialSubject: { name: NAME, email: EMAIL },
      },
      options: { eventId: f.eventId, holder: HOLDER, anchorWaitSeconds: 0 },
    }),
  },
  "POST /credentials/verify": { public: true, body: (f) => ({ verifiableCredential: f.document }) },
  "POST /presentations/verify": { public: true, body: presentation },
  "GET /healthz": { public: true },
  "GET /organisations": { public: true },
  "GET /organisations/:id": { public: true, id: () => "1" },
  "GET /ns/credentials/:version": { public: true },
  "GET /openapi.json": { public: true },
  "GET /docs": { public: true },
  "GET /verify": { public: true },
  "GET /verify/verify.js": { public: true },
  "GET /verify/verify-early.js": { public: true },
  "GET /verify/verify-qr.js": { public: true },
  "GET /verify/verify-qr-image.js": { public: true },
  "GET /verify/verify.css": { public: true },
  "GET /verify/config.json": { public: true },
  "POST /verify/rpc": {
    public: true,
    body: (f) => [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_getCode", params: [f.registry, "latest"] },
    ],
  },
  "GET /": { public: true },
  "GET /organiser": { public: true },
  "GET /organiser/organiser.js": { public: true },
  "GET /organiser/organiser.css": { public: true },
  "GET /organiser/session": { public: true, status: 401 },
  "POST /organiser/session": {
    public: true,
    body: (f) => ({ apiKey: f.key }),
    headers: { origin: "http://127.0.0.1:8787" },
  },
  "DELETE /organiser/session": { public: true },
};

const ENTRIES = Object.entries(ROUTES).map(([key, route]) => {
  const [method, pattern] = key.split(" ") as [string, string];
  return { key, method, pattern, route };
});
const WITH_BODY = ENTRIES.filter((e) => e.method !== "GET");

// -- generators -------------------------------------------------------------------------------------------------

const ADVERSARIAL_CONSTANTS = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "9".repeat(400),
  "NaN",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "..",
  "../",
  "../../../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f",
  "%",
  "%00",
  "%E0%A4%A",
  "%ZZ",
  "%%32%65",
  "%C0%AE%C0%AE",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udbff\ud800",
  "\u001b[2J",
  "\u0007\u007f",
  "' OR '1'='1",
  "'; DROP TABLE credentials; --",
  "1; SELECT pg_sleep(5)",
  "$1",
  "\\x00",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
  "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f ",
  "<script>alert(1)</script>",
  "Ω≈ç√∫˜µ≤≥÷",
  "😀".repeat(40),
  "\u202e\u200b\ufeff",
  "a".repeat(5000),
  "A".repeat(101),
];

/** Strings meant to break parsers, decoders and SQL. */
const adversarial: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ADVERSARIAL_CONSTANTS),
  fc.uuid(),
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double().map(String),
);

/** Header-safe (Latin-1, no control characters) versions. */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));
const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc.constantFrom("", " ", "a".repeat(70_000), "%00", "' OR 1=1 --", "null", "ÅÄÖ"),
);

const b64 = (value: string) => Buffer.from(value, "utf8").toString("base64url");
const instant = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -100, max: 100_000 }).map(String),
  fc.constantFrom(
    "Jan 1 2020",
    "2020-01-01 GMT+0300",
    "0000-01-01T00:00:00.000Z",
    "2020-02-30T00:00:00.000Z",
    "2020-01-01T00:00:00Z",
    "275760-09-13",
    "infinity",
    "epoch",
  ),
  fc.string({ maxLength: 30 }),
);
/**
 * Pagination cursors: the shapes the service emits (`<instant>|<uuid>` for events, a sequence number for
 * credentials) with values PostgreSQL may not take, random base64url, and plain junk.
 */
const cursor = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(instant, fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })))
      .map(([at, id]) => b64(`${at}|${id}`)),
  },
  { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => b64(String(n))) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map(b64) },
  { weight: 1, arbitrary: adversarial },
);
const limit = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom("0", "-1", "501", "500", "1e3", "1.5", "0x10", "NaN", "Infinity", " 5", "", "1".repeat(30)),
  adversarial,
);
const hide = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        "/credentialSubject/email",
        "/credentialSubject/name",
        "/credentialSubject/birthDate",
        "/credentialSubject",
        "/",
        "",
        "/proof",
        "/credentialSubject/~2",
        "/credentialSubject/partsAttended/0",
      ),
      { maxLength: 4 },
    )
    .map((paths) => paths.join(",")),
  adversarial,
);
const queryValue = (name: string): fc.Arbitrary<string> => {
  switch (name) {
    case "cursor":
      return cursor;
    case "limit":
      return limit;
    case "hide":
      return hide;
    case "lang":
      return fc.oneof(fc.constantFrom("sv", "en", "SV", "de", ""), adversarial);
    case "kind":
      return fc.oneof(fc.constantFrom("event", "course"), adversarial);
    case "status":
      return fc.oneof(fc.constantFrom("pending", "anchored", "cancelled"), adversarial);
    default:
      return fc.oneof(fc.uuid(), adversarial);
  }
};

/** How a value goes into a URL: percent-encoded, or raw (so malformed escapes and `../` reach the router). */
function inUrl(value: string, raw: boolean): string {
  if (raw) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // a lone surrogate
  }
}

/** JSON values, including ones no one should send. */
const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  adversarial,
  fc.constantFrom(null, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[[[]]]]]),
  fc.constantFrom(JSON.parse('{"__proto__":{"admin":true}}') as unknown, {
    constructor: { prototype: { polluted: true } },
  }),
  fc.constant("x".repeat(20_000)),
);

type Mutation = {
  at: number;
  op: "delete" | "replace" | "add" | "wrap" | "null" | "stringify";
  value: unknown;
  key: string;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("delete", "replace", "replace", "add", "wrap", "null", "stringify"),
  value: junkJson,
  key: fc.oneof(fc.constantFrom("__proto__", "constructor", "id", "organisationId", "role", ""), fc.string()),
});

/** Every container in `value` (objects and arrays), root first. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []) {
  if (value && typeof value === "object") {
    out.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

/** A copy of `base` with the mutations applied at positions chosen by the generator. */
function mutate(base: unknown, mutations: Mutation[]): unknown {
  const root = { value: structuredClone(base) };
  for (const mutation of mutations) {
    // A copy: constants of the generator are shared between runs, and must never end up inside themselves.
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const all = containers(root);
    const target = all[m.at % all.length]!;
    const keys = Object.keys(target);
    const key = keys.length ? keys[m.at % keys.length]! : "value";
    const slot = target as Record<string, unknown>;
    switch (m.op) {
      case "delete":
        if (target !== root) delete slot[key];
        break;
      case "replace":
        slot[key] = m.value;
        break;
      case "add":
        if (Array.isArray(target)) target.push(m.value);
        else
          Object.defineProperty(slot, m.key, {
            value: m.value,
            enumerable: true,
            configurable: true,
            writable: true,
          });
        break;
      case "wrap":
        slot[key] = [slot[key]];
        break;
      case "null":
        slot[key] = null;
        break;
      case "stringify":
        slot[key] = JSON.stringify(slot[key]) ?? "undefined";
        break;
    }
  }
  return root.value;
}

/** Bodies that are not JSON, or not JSON this service should swallow. */
const nonJson = (real: string): fc.Arbitrary<string | Uint8Array<ArrayBuffer>> =>
  fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: "binary", maxLength: 100 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array(bytes)),
    fc.nat().map((n) => real.slice(0, n % Math.max(1, real.length))),
    fc.constantFrom(
      "",
      `\ufeff${real}`,
      `${real}${real}`,
      `${real}garbage`,
      real.replace(/"/g, "'"),
      "[".repeat(10_000) + "]".repeat(10_000),
      `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`,
      "NaN",
      "undefined",
      '{"__proto__":{"admin":true}}',
      "\u0000\u0000",
      `${"x".repeat(70 * 1024)}`,
    ),
  );

// -- the test -----------------------------------------------------------------------------------------------------

describe("fuzz of every endpoint (property-based, pglite)", () => {
  let h: AppHarness;
  let full: FullApp;
  let f: Fixtures;
  let fingerprint: Record<string, string>;
  let requests = 0;
  const statuses = new Map<number, number>();

  function pathOf(pattern: string, route: FuzzRoute, params: { id?: string; token?: string } = {}): string {
    return pattern
      .replace(":id", params.id ?? route.id?.(f) ?? "")
      .replace(":address", params.id ?? route.id?.(f) ?? "")
      .replace(":link", f.revokeLinkToken)
      .replace(":version", params.id ?? "v1")
      .replace(":token", params.token ?? (pattern.startsWith("/v/") ? f.linkToken : f.holderToken));
  }

  /**
   * Sends one request and checks the properties every answer must have. Returns the response for more checks.
   */
  async function check(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer> } = {},
    secrets: readonly string[] = [NAME, EMAIL, KEY_MARK, f.key],
  ): Promise<Response> {
    requests += 1;
    const label = `${method} ${path.slice(0, 200)}`;
    const response = await full.send(method, path, init);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = await response.clone().text();
    expect(response.status, `${label} → ${response.status}: ${text.slice(0, 300)}`).to.be.below(500);
    const before = fingerprint;
    fingerprint = await storeFingerprint(h.store);
    if (response.status >= 400) {
      await expectCleanProblem(response, label, secrets);
      expect(fingerprint, `${label} (rejected, ${response.status}) wrote to the store`).to.deep.equal(before);
    } else if (method === "GET") {
      expect(fingerprint, `${label} (a read) wrote to the store`).to.deep.equal(before);
    }
    return response;
  }

  const auth = () => ({ authorization: `Bearer ${f.key}` });
  const jsonHeaders = (extra: Record<string, string> = {}) => ({
    ...auth(),
    "content-type": "application/json",
    "idempotency-key": `fuzz-${requests}`,
    ...extra,
  });

  before(async function () {
    this.timeout(60_000);
    h = await createAppHarness("pglite", {
      autoStartWorker: false,
      config: {
        rateLimit: { requests: 1_000_000, windowMs: 60_000 },
        organisationLimits: {
          requests: 1_000_000,
          windowMs: 60_000,
          credentials: 1_000_000,
          credentialWindowMs: 3_600_000,
        },
        bodyLimitBytes: 64 * 1024,
        bulkSyncLimit: 2,
        bulkMaxItems: 20,
      },
    });
    full = await fullApp(h);
    const headers = { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" };
    const post = async (p: string, body: unknown, status = 201, extra: Record<string, string> = {}) =>
      expectJson<Record<string, unknown>>(
        await full.send("POST", p, { headers: { ...headers, ...extra }, body: JSON.stringify(body) }),
        status,
      );
    const eventId = (await post("/v1/events", { kind: "event", details: CONFERENCE })).id as string;
    const courseId = (await post("/v1/events", { kind: "course", details: { name: "Kurs", hours: 4 } }))
      .id as string;
    const issue = async () => post(`/v1/events/${eventId}/credentials`, ATTENDEE);
    const main = await issue();
    const [revoke, reissue, erase] = [await issue(), await issue(), await issue()];
    const job = await post(
      `/v1/events/${eventId}/credentials/bulk`,
      { attendees: [ATTENDEE, ATTENDEE, ATTENDEE] },
      202,
      {
        "idempotency-key": "fuzz-job",
      },
    );
    await h.worker.runOnce();
    const credential = await expectJson<{ status: string; credential: Record<string, unknown> }>(
      await full.send("GET", `/v1/credentials/${main.id}`, { headers }),
      200,
    );
    expect(credential.status).to.equal("anchored");
    f = {
      key: h.apiKey,
      eventId,
      courseId,
      credentialId: main.id as string,
      revokeId: revoke.id as string,
      reissueId: reissue.id as string,
      eraseId: erase.id as string,
      jobId: job.id as string,
      apiKeyId: (await h.store.apiKeys.create(h.organisation.id, "fuzz-target", "issuer")).apiKey.id,
      holderToken: new URL(main.holderUrl as string).pathname.split("/").pop()!,
      linkToken: "",
      revokeLinkToken: "",
      document: credential.credential,
      registry: h.chain.registry,
    };
    const link = async (hide: string[]) =>
      (
        await expectJson<{ token: string }>(
          await full.send("POST", `/holder/${f.holderToken}/links`, {
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ hide }),
          }),
          200,
        )
      ).token;
    f.linkToken = await link(["/credentialSubject/email"]);
    f.revokeLinkToken = await link([]);
    fingerprint = await storeFingerprint(h.store);
  });
  after(async function () {
    this.timeout(30_000);
    await h?.close();
  });

  it("covers every route the app serves and every route its OpenAPI document names", async () => {
    const listed = Object.keys(ROUTES).sort();
    expect(listed, "routes served but not fuzzed, or fuzzed but gone").to.deep.equal(servedRoutes(full.app));
    const doc = await expectJson<{ paths: Record<string, Record<string, unknown>> }>(
      await full.send("GET", "/openapi.json"),
      200,
    );
    expect(documentedRoutes(doc).filter((key) => !listed.includes(key))).to.deep.equal([]);
  });

  it("every route answers its real request (the fuzz starts from working requests)", async () => {
    for (const { method, pattern, route } of ENTRIES) {
      if (route.multipart) {
        const { type, body } = await route.multipart(f);
        const response = await check(method, pathOf(pattern, route), {
          headers: { ...jsonHeaders(), "content-type": type },
          body,
        });
        expect(response.status, `${method} ${pattern}: ${await response.clone().text()}`).to.be.within(
          200,
          299,
        );
        continue;
      }
      const body = route.body ? JSON.stringify(route.body(f)) : undefined;
      const response = await check(method, pathOf(pattern, route), {
        headers: {
          ...(route.public ? (body ? { "content-type": "application/json" } : {}) : jsonHeaders()),
          ...route.headers,
        },
        ...(body !== undefined && method !== "GET" ? { body } : {}),
      });
      const label = `${method} ${pattern}: ${await response.clone().text()}`;
      if (route.status) expect(response.status, label).to.equal(route.status);
      else expect(response.status, label).to.be.within(200, 299);
    }
  });

  it("adversarial path parameters (huge, unicode, ../, broken percent-encoding, SQL, out of range)", async () => {
    for (const { method, pattern, route } of ENTRIES.filter((e) => e.pattern.includes("/:"))) {
      await fc.assert(
        fc.asyncProperty(adversarial, fc.boolean(), async (value, raw) => {
          const param = inUrl(value, raw);
          const path = pathOf(pattern, route, { id: param, token: param });
          const body = route.body ? JSON.stringify(route.body(f)) : undefined;
          await check(method, path, {
            headers: jsonHeaders(),
            ...(body !== undefined ? { body } : {}),
          });
        }),
        { numRuns: 14 },
      );
    }
  });

  it("adversarial query strings on every route, and unchecked pagination cursors and limits", async () => {
    for (const { method, pattern, route } of ENTRIES) {
      const known = route.query ?? [];
      const pair = fc.oneof(
        ...(known.length
          ? [fc.constantFrom(...known).chain((k) => queryValue(k).map((v) => [k, v] as const))]
          : []),
        fc.tuple(adversarial, adversarial),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(pair, fc.boolean()), { maxLength: 4 }), async (pairs) => {
          const qs = pairs.map(([[k, v], raw]) => `${inUrl(k, raw)}=${inUrl(v, raw)}`).join("&");
          const body = route.body ? JSON.stringify(route.body(f)) : undefined;
          await check(method, `${pathOf(pattern, route)}?${qs}`, {
            headers: jsonHeaders(),
            ...(body !== undefined ? { body } : {}),
          });
        }),
        { numRuns: known.length ? 12 : 4 },
      );
    }
    const lists = ENTRIES.filter((e) => e.route.query?.includes("cursor"));
    await fc.assert(
      fc.asyncProperty(cursor, fc.option(limit), async (c, l) => {
        const qs = `cursor=${inUrl(c, false)}${l === null ? "" : `&limit=${inUrl(l, false)}`}`;
        for (const e of lists) await check("GET", `${pathOf(e.pattern, e.route)}?${qs}`, { headers: auth() });
      }),
      {
        numRuns: 100,
        // Found by this property: instants Date.parse takes and PostgreSQL refuses (each was a 500).
        examples: [
          [b64("0|00000000-0000-1000-8000-000000000000"), null],
          [b64("2020-01-01 GMT+0300|00000000-0000-1000-8000-000000000000"), "10"],
          [b64("+010000-01-01T00:00:00.000Z|00000000-0000-1000-8000-000000000000"), null],
          [b64("0000-01-01T00:00:00.000Z|00000000-0000-1000-8000-000000000000"), null],
        ],
      },
    );
  });

  it("real pagination still walks every item once, for any page size", async () => {
    for (const list of ["/v1/events", "/v1/credentials", `/v1/events/${f.eventId}/credentials`]) {
      const all = await expectJson<{ items: { id: string }[] }>(
        await check("GET", `${list}?limit=500`, { headers: auth() }),
        200,
      );
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), async (size) => {
          const seen: string[] = [];
          let next: string | null = null;
          do {
            const qs: string = `limit=${size}${next ? `&cursor=${next}` : ""}`;
            const page = await expectJson<{ items: { id: string }[]; nextCursor: string | null }>(
              await check("GET", `${list}?${qs}`, { headers: auth() }),
              200,
            );
            seen.push(...page.items.map((i) => i.id));
            next = page.nextCursor;
          } while (next);
          expect(seen).to.deep.equal(all.items.map((i) => i.id));
        }),
        { numRuns: 3 },
      );
    }
  });

  it("lying content types, huge and malformed headers, bad Authorization", async () => {
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constant("valid"),
      headerValue.map((v) => `Bearer ${v}`),
      headerValue,
      fc.constantFrom(
        `Bearer ${KEY_MARK}`,
        `bearer ${KEY_MARK}==`,
        `Bearer ${KEY_MARK} extra`,
        `Bearer  ${KEY_MARK}\t`,
        `Basic ${Buffer.from(`${KEY_MARK}:x`).toString("base64")}`,
        `Bearer ${KEY_MARK}${"A".repeat(70_000)}`,
        "Bearer",
        "Bearer ",
        `Bearer ${KEY_MARK}, Bearer ${KEY_MARK}`,
      ),
    );
    const contentType = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=latin1",
        "APPLICATION/JSON",
        "application/problem+json",
        "application/ld+json",
        "application/jsonx",
        "text/plain",
        "text/json",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=----x",
        "multipart/form-data",
        "application/octet-stream",
        ";",
        "",
      ),
      headerValue,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENTRIES),
        authorization,
        contentType,
        fc.option(headerValue),
        fc.dictionary(
          fc.constantFrom(
            "accept",
            "accept-language",
            "x-request-id",
            "x-forwarded-for",
            "origin",
            "cookie",
            "x-junk",
          ),
          headerValue,
        ),
        async ({ method, pattern, route }, authHeader, type, idempotencyKey, extra) => {
          const headers: Record<string, string> = { ...extra };
          if (authHeader !== undefined)
            headers.authorization = authHeader === "valid" ? `Bearer ${f.key}` : authHeader;
          if (type !== undefined) headers["content-type"] = type;
          if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
          const body = route.body && method !== "GET" ? JSON.stringify(route.body(f)) : undefined;
          await check(method, pathOf(pattern, route), { headers, ...(body !== undefined ? { body } : {}) });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("random JSON bodies on every route that takes a body", async () => {
    for (const { method, pattern, route } of WITH_BODY) {
      await fc.assert(
        fc.asyncProperty(junkJson, async (body) => {
          await check(method, pathOf(pattern, route), {
            headers: jsonHeaders(),
            body: JSON.stringify(body) ?? "null",
          });
        }),
        { numRuns: 15 },
      );
    }
  });

  it("real bodies with mutated fields", async () => {
    for (const { method, pattern, route } of WITH_BODY.filter((e) => e.route.body)) {
      const real = route.body!(f);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const body = JSON.stringify(mutate(real, mutations)) ?? "null";
          await check(method, pathOf(pattern, route), { headers: jsonHeaders(), body });
        }),
        { numRuns: 30 },
      );
    }
  });

  it("NUL, lone surrogates and control characters in any string of a real body: 400 naming it, nothing stored", async () => {
    const hostile = fc.constantFrom(
      "\u0000",
      "\ud800",
      "\udc00",
      "\udbff",
      "\u001b",
      "\u0001",
      "\u007f",
      "\u000b",
    );
    /** JSON pointers of every string (and every key) in `value`. */
    const strings = (value: unknown, at = "", out: string[] = []): string[] => {
      if (typeof value === "string") out.push(at);
      else if (value && typeof value === "object")
        for (const [k, v] of Object.entries(value))
          strings(v, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
      return out;
    };
    const setAt = (root: unknown, pointer: string, fn: (s: string) => string) => {
      const parts = pointer
        .split("/")
        .slice(1)
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
      let node = root as Record<string, unknown>;
      for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
      const last = parts[parts.length - 1]!;
      node[last] = fn(node[last] as string);
    };
    for (const { method, pattern, route } of WITH_BODY.filter((e) => e.route.body)) {
      const real = route.body!(f);
      const paths = strings(real);
      if (paths.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), hostile, fc.nat(), async (pointer, char, at) => {
          const body = structuredClone(real);
          setAt(body, pointer, (s) => s.slice(0, at % (s.length + 1)) + char + s.slice(at % (s.length + 1)));
          const response = await check(method, pathOf(pattern, route), {
            headers: route.public ? { "content-type": "application/json" } : jsonHeaders(),
            body: JSON.stringify(body),
          });
          const label = `${method} ${pattern} ${pointer} U+${char.charCodeAt(0).toString(16)}`;
          expect(response.status, label).to.equal(400);
          const problem = (await response.json()) as { errors: { path: string }[] };
          expect(
            problem.errors.map((e) => e.path),
            label,
          ).to.include(pointer);
        }),
        { numRuns: 20 },
      );
    }
  });

  it("bodies that are not JSON (text, binary, truncated, deeply nested, oversized)", async () => {
    for (const { method, pattern, route } of WITH_BODY) {
      const real = JSON.stringify(route.body?.(f) ?? { a: NAME });
      await fc.assert(
        fc.asyncProperty(nonJson(real), async (body) => {
          await check(method, pathOf(pattern, route), { headers: jsonHeaders(), body });
        }),
        { numRuns: 15 },
      );
    }
    // Over the body limit, whatever the route: 413, and nothing stored.
    const big = JSON.stringify({ attendees: Array.from({ length: 2000 }, () => ATTENDEE) });
    const response = await check("POST", `/v1/events/${f.eventId}/credentials/bulk`, {
      headers: jsonHeaders(),
      body: big,
    });
    expect(response.status).to.equal(413);
  });

  it("methods a route does not serve, on every path", async () => {
    for (const { method, pattern, route } of ENTRIES) {
      for (const other of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
        if (other === method || ENTRIES.some((e) => e.pattern === pattern && e.method === other)) continue;
        await check(other, pathOf(pattern, route), {
          headers: jsonHeaders(),
          ...(other !== "GET" ? { body: "{}" } : {}),
        });
      }
    }
  });

  after(() => {
    const by = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    console.log(`      (${requests} requests; ${by.join(", ")})`);
  });
});
