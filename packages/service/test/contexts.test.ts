import { createHash } from "node:crypto";
import {
  type Credential,
  discloseCredential,
  hideableClaimPaths,
  INTYG_CONTEXT,
  INTYG_CONTEXT_URL,
} from "@intyg/credential";
import { expect } from "chai";
import { expandSafely, openBadgesErrors } from "../../credential/test/conformance/check";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";

// The route reads no store, so one store kind is enough here.
describe("the JSON-LD context route, and what the service issues", () => {
  let h: AppHarness;
  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
  });
  after(async () => {
    await h?.close();
  });

  it("serves intyg/v1 as shipped, immutable, with its SHA-256 as ETag (304 when it matches)", async () => {
    const response = await h.call("GET", "/ns/credentials/v1", { auth: null });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^application\/ld\+json/);
    expect(response.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(response.headers.get("access-control-allow-origin")).to.equal("*");
    const body = await response.text();
    expect(JSON.parse(body)).to.deep.equal(INTYG_CONTEXT);
    const etag = `"sha256-${createHash("sha256").update(body).digest("base64url")}"`;
    expect(response.headers.get("etag")).to.equal(etag);
    const again = await h.call("GET", "/ns/credentials/v1", {
      auth: null,
      headers: { "if-none-match": etag },
    });
    expect(again.status).to.equal(304);
    expect(INTYG_CONTEXT_URL.endsWith("/ns/credentials/v1")).to.equal(true);
    await expectProblem(await h.call("GET", "/ns/credentials/v2", { auth: null }), 404, "not-found");
  });

  it("credentials the API issues (attendance with parts, a course, a batch, hidden claims) expand in safe mode and validate as OB 3.0", async () => {
    const conference = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
      201,
    );
    const course = await expectJson<{ id: string }>(
      await h.call("POST", "/v1/events", {
        body: {
          kind: "course",
          details: {
            name: "Dataskydd",
            credits: 3,
            skills: [
              {
                id: "http://data.europa.eu/esco/skill/f0de4973-0a70-4644-8fd4-3a97080476f4",
                name: "säkerhet",
              },
              { name: "GDPR" },
            ],
          },
        },
      }),
      201,
    );
    const parts = (CONFERENCE as { parts?: { id: string }[] }).parts ?? [];
    for (const [eventId, subject] of [
      [
        conference.id,
        {
          name: "Åsa",
          email: "asa@example.se",
          ...(parts.length > 0 ? { partsAttended: [parts[0]!.id] } : {}),
        },
      ],
      [course.id, { name: "Bo", result: [{ type: ["Result"], status: "Completed" }] }],
    ] as const) {
      const issued = await expectJson<{ credential: Record<string, unknown> }>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, { body: { subject } }),
        201,
      );
      await expandSafely(issued.credential);
      expect(openBadgesErrors(issued.credential)).to.deep.equal([]);
    }
    // A batch, anchored by the worker, and a holder's copy with hidden claims.
    const bulk = await expectJson<{ credentials: { id: string }[] }>(
      await h.call("POST", `/v1/events/${conference.id}/credentials/bulk`, {
        body: {
          attendees: [
            { subject: { name: "Ett", email: "ett@example.se", partsAttended: ["seminarier"] } },
            { subject: { name: "Två", role: "speaker" } },
          ],
        },
        headers: { "idempotency-key": "contexts" },
      }),
      201,
    );
    await h.worker.runOnce();
    for (const { id } of bulk.credentials) {
      const { credential } = await expectJson<{ credential: Credential }>(
        await h.call("GET", `/v1/credentials/${id}`),
        200,
      );
      expect(credential.anchor.batch?.size).to.be.greaterThan(1);
      for (const doc of [
        credential,
        discloseCredential(credential, { hide: hideableClaimPaths(credential) }),
      ]) {
        await expandSafely(doc);
        expect(openBadgesErrors(doc)).to.deep.equal([]);
      }
    }
  });
});
