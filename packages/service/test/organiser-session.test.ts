// The organiser app's session: signing in with an API key sets an HttpOnly, SameSite=Strict cookie (Secure over
// HTTPS) whose id the database keeps only hashed; a write with the cookie needs the session's CSRF token and this
// origin; sign-out, expiry and a revoked key end the session; sign-in is rate-limited and refused from another
// site; Bearer requests are unchanged; the key appears in no log, no response and no URL. On PGlite and
// PostgreSQL.

import { Writable } from "node:stream";
import { expect } from "chai";
import type { Clock } from "../src/clock";
import { createLogger } from "../src/logger";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

const BASE = "http://127.0.0.1:8787";

/** A clock the test moves forward. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

function recordingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination: sink }), lines };
}

type Signed = { cookie: string; csrf: string; setCookie: string; body: Record<string, unknown> };

for (const kind of STORE_KINDS) {
  describe(`organiser session and CSRF (${kind})`, function () {
    this.timeout(120_000);
    let h: AppHarness;
    const clock = movableClock();
    const log = recordingLogger();

    const request = (
      method: string,
      path: string,
      init: { headers?: Record<string, string>; body?: unknown; base?: string } = {},
    ) =>
      h.app.request(`${init.base ?? BASE}${path}`, {
        method,
        headers: {
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });

    async function signIn(key = h.apiKey, base = BASE): Promise<Signed> {
      const response = await request("POST", "/organiser/session", {
        base,
        body: { apiKey: key },
        headers: { origin: base },
      });
      const setCookie = response.headers.get("set-cookie") ?? "";
      const body = await expectJson<Record<string, unknown>>(response, 200);
      const cookie = /intyg_organiser=([^;]+)/.exec(setCookie)![1]!;
      return { cookie: `intyg_organiser=${cookie}`, csrf: body.csrfToken as string, setCookie, body };
    }

    const newEvent = { kind: "event", details: { ...CONFERENCE, name: "Sessionsdagen" } };

    before(async () => {
      h = await createAppHarness(kind, { clock, logger: log.logger, autoStartWorker: false });
    });
    after(async () => {
      await h?.close();
    });

    it("sign-in sets an HttpOnly, SameSite=Strict cookie for the whole site (Secure only over HTTPS); only a hash of its id is stored", async () => {
      const signed = await signIn();
      expect(signed.setCookie).to.match(/HttpOnly/i);
      expect(signed.setCookie).to.match(/SameSite=Strict/i);
      expect(signed.setCookie).to.match(/Path=\//);
      expect(signed.setCookie).to.match(/Expires=/);
      expect(signed.setCookie).to.not.match(/Secure/i);
      expect(JSON.stringify(signed.body)).to.not.contain(h.apiKey);
      expect(signed.body.organisation).to.include({ name: h.organisation.name });
      const id = signed.cookie.split("=")[1]!;
      const rows = await h.store.db.query<Record<string, unknown>>("SELECT * FROM organiser_sessions");
      expect(JSON.stringify(rows)).to.not.contain(id);
      expect(JSON.stringify(rows)).to.not.contain(h.apiKey);

      const https = await signIn(h.apiKey, "https://intyg.example.se");
      expect(https.setCookie).to.match(/;\s*Secure/i);
    });

    it("the session reads with the cookie; a write needs the CSRF token and this origin (403 otherwise, nothing written)", async () => {
      const s = await signIn();
      expect((await request("GET", "/v1/events", { headers: { cookie: s.cookie } })).status).to.equal(200);
      const who = await expectJson<{ csrfToken: string }>(
        await request("GET", "/organiser/session", { headers: { cookie: s.cookie } }),
        200,
      );
      expect(who.csrfToken).to.equal(s.csrf);
      const count = async () =>
        Number((await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events"))[0]!.n);
      const before = await count();
      const refused: Record<string, string>[] = [
        { cookie: s.cookie, origin: BASE }, // no token
        { cookie: s.cookie, origin: BASE, "x-csrf-token": "x".repeat(43) }, // a wrong token
        { cookie: s.cookie, origin: "https://evil.example", "x-csrf-token": s.csrf }, // another site
        { cookie: s.cookie, "sec-fetch-site": "cross-site", "x-csrf-token": s.csrf }, // no Origin, cross-site
        { cookie: s.cookie, "x-csrf-token": s.csrf }, // neither Origin nor Sec-Fetch-Site
      ];
      for (const headers of refused) {
        const problem = await expectProblem(
          await request("POST", "/v1/events", { headers, body: newEvent }),
          403,
        );
        expect(JSON.stringify(problem)).to.not.contain(s.csrf);
      }
      expect(await count()).to.equal(before);
      await expectJson(
        await request("POST", "/v1/events", {
          headers: { cookie: s.cookie, origin: BASE, "x-csrf-token": s.csrf },
          body: newEvent,
        }),
        201,
      );
      await expectJson(
        await request("POST", "/v1/events", {
          headers: { cookie: s.cookie, "sec-fetch-site": "same-origin", "x-csrf-token": s.csrf },
          body: newEvent,
        }),
        201,
      );
      expect(await count()).to.equal(before + 2);
    });

    it("Bearer requests are unchanged: no CSRF token or Origin needed, and a cookie beside them is not consulted", async () => {
      await expectJson(await h.call("POST", "/v1/events", { body: newEvent }), 201);
      await expectJson(
        await h.call("POST", "/v1/events", {
          body: newEvent,
          headers: {
            cookie: "intyg_organiser=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            origin: "https://evil.example",
          },
        }),
        201,
      );
      await expectProblem(await h.call("GET", "/v1/events", { auth: "intyg_wrong" }), 401);
      await expectProblem(await h.call("GET", "/v1/events", { auth: null }), 401);
    });

    it("sign-out ends the session (its cookie no longer works) and needs the CSRF token", async () => {
      const s = await signIn();
      await expectProblem(
        await request("DELETE", "/organiser/session", { headers: { cookie: s.cookie, origin: BASE } }),
        403,
      );
      expect((await request("GET", "/v1/events", { headers: { cookie: s.cookie } })).status).to.equal(200);
      const out = await request("DELETE", "/organiser/session", {
        headers: { cookie: s.cookie, origin: BASE, "x-csrf-token": s.csrf },
      });
      expect(out.status).to.equal(204);
      expect(out.headers.get("set-cookie")).to.match(
        /intyg_organiser=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i,
      );
      await expectProblem(await request("GET", "/v1/events", { headers: { cookie: s.cookie } }), 401);
      await expectProblem(await request("GET", "/organiser/session", { headers: { cookie: s.cookie } }), 401);
    });

    it("a session expires after 8 hours, and ends when its API key is revoked", async () => {
      const s = await signIn();
      clock.advance(8 * 60 * 60 * 1000 - 60_000);
      expect((await request("GET", "/v1/events", { headers: { cookie: s.cookie } })).status).to.equal(200);
      clock.advance(120_000);
      await expectProblem(await request("GET", "/v1/events", { headers: { cookie: s.cookie } }), 401);

      const { secret, apiKey } = await h.store.apiKeys.create(h.organisation.id, "revoked soon", "issuer");
      const t = await signIn(secret);
      expect((await request("GET", "/v1/events", { headers: { cookie: t.cookie } })).status).to.equal(200);
      await h.store.db.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [apiKey.id]);
      await expectProblem(await request("GET", "/v1/events", { headers: { cookie: t.cookie } }), 401);
    });

    it("sign-in: a wrong key is 401, another site's form is 403, and after 10 attempts a client waits (429)", async () => {
      // A fresh window for this client, whatever the tests before used.
      clock.advance(60 * 60 * 1000);
      await expectProblem(
        await request("POST", "/organiser/session", {
          body: { apiKey: h.apiKey },
          headers: { origin: "https://evil.example" },
        }),
        403,
      );
      for (let i = 0; i < 10; i++) {
        await expectProblem(
          await request("POST", "/organiser/session", {
            body: { apiKey: `intyg_wrong${i}` },
            headers: { origin: BASE },
          }),
          401,
        );
      }
      const limited = await request("POST", "/organiser/session", {
        body: { apiKey: h.apiKey },
        headers: { origin: BASE },
      });
      await expectProblem(limited, 429);
      expect(Number(limited.headers.get("retry-after"))).to.be.above(0);
    });

    it("the API key is in no log line, and a browser asking for / gets a choice of pages (programs keep JSON)", async () => {
      const all = log.lines.join("\n");
      expect(log.lines.length).to.be.above(10);
      expect(all).to.not.contain(h.apiKey);
      expect(all).to.not.contain(h.apiKey.slice(6, 30));
      const page = await request("GET", "/", { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(page.headers.get("content-type")).to.match(/text\/html/);
      expect(page.headers.get("content-security-policy")).to.contain("default-src 'none'");
      const html = await page.text();
      expect(html).to.contain('href="/verify"');
      expect(html).to.contain('href="/organiser?lang=sv"');
      expect(html).to.contain('lang="sv"');
      const english = await (
        await request("GET", "/", { headers: { accept: "text/html", "accept-language": "en-GB,en;q=0.9" } })
      ).text();
      expect(english).to.contain("Check a credential");
      const json = await expectJson<{ service: string }>(await request("GET", "/"), 200);
      expect(json.service).to.equal("intyg");
    });
  });
}
