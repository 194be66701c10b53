import { expect } from "chai";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`authentication and authorisation (${kind})`, () => {
    let h: AppHarness;
    let otherKey: string;
    let eventId: string;
    let credentialId: string;

    before(async () => {
      h = await createAppHarness(kind, { config: { rateLimit: { requests: 1000, windowMs: 60_000 } } });
      const other = await h.store.organisations.create({
        name: "Region Örebro län",
        chainOrganisationId: h.deployment.organisationId,
        profile: {
          name: "Region Örebro län",
          legalName: "Region Örebro län",
          organisationNumber: "232100-0164",
          url: "https://regionorebrolan.se",
        },
      });
      otherKey = (await h.store.apiKeys.create(other.id, "other")).secret;
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
      credentialId = (
        await expectJson<{ id: string }>(
          await h.call("POST", `/v1/events/${eventId}/credentials`, {
            body: { subject: { name: "Per Åberg" } },
          }),
          201,
        )
      ).id;
    });
    after(async () => {
      await h?.close();
    });

    it("401 without an Authorization header, with a WWW-Authenticate challenge", async () => {
      const response = await h.call("GET", "/v1/events", { auth: null });
      expect(response.headers.get("www-authenticate")).to.match(/^Bearer/);
      await expectProblem(response, 401, "unauthorized");
    });

    it("401 for a malformed header and for an unknown key", async () => {
      await expectProblem(
        await h.call("GET", "/v1/events", { auth: null, headers: { authorization: "Basic dXNlcjpwYXNz" } }),
        401,
      );
      await expectProblem(
        await h.call("GET", "/v1/events", { auth: "intyg_not-a-real-key-0000000000000000000000000" }),
        401,
      );
      await expectProblem(await h.call("POST", "/credentials/issue", { auth: null, body: {} }), 401);
    });

    it("401 for a revoked key; the other keys keep working", async () => {
      const created = await expectJson<{ id: string; secret: string }>(
        await h.call("POST", "/v1/api-keys", { body: { name: "temporary", role: "issuer" } }),
        201,
      );
      expect((await h.call("GET", "/v1/events", { auth: created.secret })).status).to.equal(200);
      await expectJson(await h.call("DELETE", `/v1/api-keys/${created.id}`), 200);
      const problem = await expectProblem(await h.call("GET", "/v1/events", { auth: created.secret }), 401);
      expect(problem.detail).to.match(/revoked/);
      expect((await h.call("GET", "/v1/events")).status).to.equal(200);
    });

    it("stores API keys only as SHA-256 hashes and lists them without the secret", async () => {
      const rows = await h.store.db.query<{ key_hash: string }>("SELECT key_hash FROM api_keys");
      for (const row of rows) {
        expect(row.key_hash).to.match(/^[0-9a-f]{64}$/);
        expect(row.key_hash).not.to.contain(h.apiKey);
      }
      const dump = JSON.stringify(await h.store.db.query("SELECT * FROM api_keys"));
      expect(dump).not.to.contain(h.apiKey);
      const listed = await expectJson<{ items: Record<string, unknown>[] }>(
        await h.call("GET", "/v1/api-keys"),
        200,
      );
      expect(JSON.stringify(listed)).not.to.contain(h.apiKey);
      expect(listed.items.every((k) => !("secret" in k))).to.equal(true);
    });

    it("403 when an issuer key tries to manage API keys", async () => {
      const issuer = await expectJson<{ secret: string }>(
        await h.call("POST", "/v1/api-keys", { body: { name: "issuer", role: "issuer" } }),
        201,
      );
      await expectProblem(
        await h.call("POST", "/v1/api-keys", { auth: issuer.secret, body: { name: "x" } }),
        403,
        "forbidden",
      );
      expect((await h.call("GET", "/v1/events", { auth: issuer.secret })).status).to.equal(200);
    });

    it("404 for another organisation's events, credentials, jobs and keys; nothing changes", async () => {
      const as = { auth: otherKey };
      await expectProblem(await h.call("GET", `/v1/events/${eventId}`, as), 404, "not-found");
      await expectProblem(
        await h.call("PATCH", `/v1/events/${eventId}`, { ...as, body: { details: CONFERENCE } }),
        404,
      );
      await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          ...as,
          body: { subject: { name: "X" } },
        }),
        404,
      );
      await expectProblem(await h.call("GET", `/v1/credentials/${credentialId}`, as), 404);
      await expectProblem(
        await h.call("POST", `/v1/credentials/${credentialId}/revoke`, { ...as, body: { reason: "fraud" } }),
        404,
      );
      await expectProblem(await h.call("POST", `/v1/credentials/${credentialId}/erase`, as), 404);
      await expectProblem(await h.call("GET", `/v1/credentials/${credentialId}/pdf`, as), 404);
      await expectProblem(
        await h.call("POST", "/v1/events", {
          ...as,
          body: { kind: "event", parentId: eventId, details: CONFERENCE },
        }),
        404,
      );
      const keys = await expectJson<{ items: { id: string }[] }>(await h.call("GET", "/v1/api-keys"), 200);
      await expectProblem(await h.call("DELETE", `/v1/api-keys/${keys.items[0]!.id}`, as), 404);
      const list = await expectJson<{ items: unknown[] }>(await h.call("GET", "/v1/events", as), 200);
      expect(list.items).to.have.length(0);
      const credentials = await expectJson<{ items: unknown[] }>(
        await h.call("GET", "/v1/credentials", as),
        200,
      );
      expect(credentials.items).to.have.length(0);
      // The owner still sees everything unchanged.
      const mine = await expectJson<{ revocation: unknown; erasedAt: unknown }>(
        await h.call("GET", `/v1/credentials/${credentialId}`),
        200,
      );
      expect(mine.revocation).to.equal(null);
      expect(mine.erasedAt).to.equal(null);
    });
  });
}

describe("rate limiting per API key", () => {
  let h: AppHarness;
  before(async () => {
    h = await createAppHarness("pglite", { config: { rateLimit: { requests: 5, windowMs: 60_000 } } });
  });
  after(async () => {
    await h?.close();
  });

  it("answers 429 problem+json with Retry-After once a key spends its window, per key", async () => {
    for (let i = 0; i < 5; i++) {
      const ok = await h.call("GET", "/v1/events");
      expect(ok.status).to.equal(200);
      expect(ok.headers.get("ratelimit-remaining")).to.equal(String(4 - i));
    }
    const limited = await h.call("GET", "/v1/events");
    expect(limited.headers.get("retry-after")).to.match(/^\d+$/);
    await expectProblem(limited, 429, "rate-limited");
    const other = (await h.store.apiKeys.create(h.organisation.id, "second")).secret;
    expect((await h.call("GET", "/v1/events", { auth: other })).status).to.equal(200);
  });
});
