// Hostile text: a NUL, a lone UTF-16 surrogate or another control character in any string of a request — body
// (at any depth, keys included), query or path — is a 400 problem naming the field by JSON pointer, on every
// route, and nothing is written. Both stores: PostgreSQL refuses NUL in text and jsonb, PGlite too.

import { expect } from "chai";
import { hostileTextIssues, isHostileText } from "../src/http/text";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";
import { expectCleanProblem, storeFingerprint } from "./helpers/routes";
import { STORE_KINDS } from "./helpers/stores";

const NAME = "Hostila Textsdotter";
const EMAIL = "hostila@example.se";

/** Each hostile character, inside personal data (so an echo of the value would show). */
const HOSTILE = {
  nul: `${NAME}\u0000`,
  "high surrogate": `${NAME}\ud800`,
  "low surrogate": `\udc00${NAME}`,
  escape: `${NAME}\u001b[2J`,
  "vertical tab": `${NAME}\u000b`,
  delete: `${NAME}\u007f`,
} as const;

describe("hostile text (unit)", () => {
  it("finds control characters and unpaired surrogates; tab, newlines and real pairs pass", () => {
    for (const value of Object.values(HOSTILE))
      expect(isHostileText(value), JSON.stringify(value)).to.equal(true);
    for (const value of ["Göteborg\tÅr 2026\r\nrad två", "😀 emoji (a surrogate pair)", "\u202e\u200b", ""])
      expect(isHostileText(value), JSON.stringify(value)).to.equal(false);
  });

  it("names each offending string by JSON pointer, keys at their object, never the value", () => {
    const issues = hostileTextIssues({
      attendees: [{ subject: { name: "ok" } }, { subject: { name: "a\u0000", "e/m~ail": "\ud800" } }],
      "bad\u0000key": 1,
    });
    expect(issues.map((i) => i.path).sort()).to.deep.equal([
      "",
      "/attendees/1/subject/e~1m~0ail",
      "/attendees/1/subject/name",
    ]);
    expect(JSON.stringify(issues)).not.to.contain("bad");
  });
});

for (const kind of STORE_KINDS) {
  describe(`hostile text is refused on every route before the database (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;
    let credentialId: string;
    let fingerprint: Record<string, string>;

    before(async () => {
      h = await createAppHarness(kind, { autoStartWorker: false });
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
      credentialId = (
        await expectJson<{ id: string }>(
          await h.call("POST", `/v1/events/${eventId}/credentials`, { body: { subject: { name: NAME } } }),
          201,
        )
      ).id;
      fingerprint = await storeFingerprint(h.store);
    });
    after(async () => {
      await h?.close();
    });

    /** Sends, expects a 400 validation problem naming `path`, and checks the store did not change. */
    async function refused(method: string, url: string, body: unknown, path: string, label: string) {
      const response = await h.call(method, url, {
        ...(body !== undefined ? { body } : {}),
        headers: { "idempotency-key": `hostile-${label}` },
      });
      const problem = await expectCleanProblem(response, label, [NAME, EMAIL]);
      expect(response.status, label).to.equal(400);
      expect(problem.type, label).to.equal("https://intyg.se/problems/validation");
      const paths = (problem.errors as { path: string; code?: string }[]).map((e) => e.path);
      expect(paths, label).to.include(path);
      expect(await storeFingerprint(h.store), `${label} wrote to the store`).to.deep.equal(fingerprint);
    }

    for (const [what, value] of Object.entries(HOSTILE)) {
      it(`${what}: in event names, attendees, API key names, re-issue subjects, queries and VC-API bodies`, async () => {
        const cases: [string, string, unknown, string][] = [
          ["POST", "/v1/events", { kind: "event", details: { ...CONFERENCE, name: value } }, "/details/name"],
          [
            "POST",
            "/v1/events",
            { kind: "course", details: { name: "Kurs", learningOutcomes: ["ok", value] } },
            "/details/learningOutcomes/1",
          ],
          [
            "PATCH",
            `/v1/events/${eventId}`,
            { details: { ...CONFERENCE, location: value } },
            "/details/location",
          ],
          ["POST", `/v1/events/${eventId}/credentials`, { subject: { name: value } }, "/subject/name"],
          [
            "POST",
            `/v1/events/${eventId}/credentials/bulk`,
            {
              attendees: [
                ...Array.from({ length: 3 }, (_, i) => ({
                  subject: { name: `Deltagare ${i}`, email: EMAIL },
                })),
                { subject: { name: value, email: EMAIL } },
              ],
            },
            "/attendees/3/subject/name",
          ],
          [
            "POST",
            `/v1/events/${eventId}/credentials/bulk`,
            { attendees: [{ subject: { name: NAME }, reference: value }] },
            "/attendees/0/reference",
          ],
          ["POST", "/v1/api-keys", { name: value, role: "issuer" }, "/name"],
          ["POST", `/v1/credentials/${credentialId}/reissue`, { subject: { name: value } }, "/subject/name"],
          ["POST", `/v1/credentials/${credentialId}/revoke`, { reason: value }, "/reason"],
          [
            "POST",
            "/credentials/issue",
            { credential: { credentialSubject: { name: value } }, options: { eventId } },
            "/credential/credentialSubject/name",
          ],
          [
            "POST",
            "/credentials/verify",
            { verifiableCredential: { name: value } },
            "/verifiableCredential/name",
          ],
        ];
        // UTF-8 cannot carry a lone surrogate, so a URL cannot either (it arrives as bytes that do not decode).
        if (!/[\ud800-\udfff]/.test(value)) {
          const q = encodeURIComponent(value);
          cases.push(
            ["GET", `/v1/events?cursor=${q}`, undefined, "?/cursor"],
            ["GET", `/v1/credentials/${credentialId}/share?hide=${q}`, undefined, "?/hide"],
            ["POST", `/v1/credentials/${credentialId}/erase?${q}=1`, undefined, "?"],
          );
        }
        for (const [method, url, body, path] of cases)
          await refused(method, url, body, path, `${what} ${method} ${url.slice(0, 60)} ${path}`);
      });
    }

    it("a hostile path segment is refused too; tab, newlines and emoji in text are stored", async () => {
      const response = await h.call("GET", `/holder/${encodeURIComponent(HOSTILE.nul)}`, { auth: null });
      const problem = await expectCleanProblem(response, "path", [NAME]);
      expect(response.status).to.equal(400);
      expect((problem.errors as { path: string }[])[0]!.path).to.equal("#/1");
      const created = await expectJson<{ details: { description: string } }>(
        await h.call("POST", "/v1/events", {
          body: { kind: "event", details: { ...CONFERENCE, description: "Rad ett\r\n\tRad två 😀" } },
        }),
        201,
      );
      expect(created.details.description).to.equal("Rad ett\r\n\tRad två 😀");
    });
  });
}
