// Property: no input an organiser (or anyone) can send yields a 5xx, and every error is problem+json.

import { expect } from "chai";
import fc from "fast-check";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";

describe("no 5xx for bad input (property-based)", () => {
  let h: AppHarness;
  let eventId: string;
  let credentialId: string;
  let holderPath: string;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
    const issued = await expectJson<{ id: string; holderUrl: string }>(
      await h.call("POST", `/v1/events/${eventId}/credentials`, { body: { subject: { name: "Fuzz" } } }),
      201,
    );
    credentialId = issued.id;
    holderPath = new URL(issued.holderUrl).pathname;
    await h.worker.runOnce();
  });
  after(async () => {
    await h?.close();
  });

  async function expectClientOutcome(response: Response, label: string) {
    expect(response.status, `${label} → ${response.status}: ${await response.clone().text()}`).to.be.below(
      500,
    );
    if (response.status >= 400) {
      expect(response.headers.get("content-type"), label).to.match(/^application\/problem\+json/);
    }
  }

  const writes = () => [
    ["POST", "/v1/events"],
    ["PATCH", `/v1/events/${eventId}`],
    ["POST", `/v1/events/${eventId}/credentials`],
    ["POST", `/v1/events/${eventId}/credentials/bulk`],
    ["POST", `/v1/credentials/${credentialId}/revoke`],
    ["POST", `/v1/credentials/${credentialId}/reissue`],
    ["POST", `/v1/credentials/${credentialId}/claim-voucher`],
    ["POST", "/v1/api-keys"],
    ["POST", "/credentials/issue"],
  ];

  it("random JSON bodies", async () => {
    for (const [method, path] of writes()) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (body) => {
          const response = await h.call(method!, path!, {
            body,
            headers: { "idempotency-key": "fuzz-json" },
          });
          await expectClientOutcome(response, `${method} ${path}`);
        }),
        { numRuns: 40 },
      );
    }
  });

  it("random bodies shaped like the real ones", async () => {
    const subject = fc.record(
      {
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        email: fc.oneof(fc.string(), fc.emailAddress()),
        birthDate: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        ),
        role: fc.oneof(fc.string(), fc.constantFrom("participant", "speaker")),
        partsAttended: fc.array(fc.oneof(fc.string(), fc.constantFrom("natverk", "hackathon")), {
          maxLength: 3,
        }),
        result: fc.array(fc.record({ type: fc.constant(["Result"]), status: fc.string() }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    const attendee = fc.record(
      {
        subject,
        holder: fc.oneof(fc.string(), fc.constant("0x90F79bf6EB2c4f870365E785982E1f101E93b906")),
        validUntil: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z")),
        ),
        reference: fc.string(),
      },
      { requiredKeys: ["subject"] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(attendee, { minLength: 1, maxLength: 4 }),
        fc.string({ maxLength: 40 }),
        async (attendees, key) => {
          const response = await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
            body: { attendees },
            headers: { "idempotency-key": key },
          });
          await expectClientOutcome(response, "bulk");
        },
      ),
      { numRuns: 80 },
    );
    const details = fc.record(
      {
        name: fc.string(),
        startDate: fc.oneof(fc.string(), fc.constantFrom("2026-02-30", "2026-05-12", "2026-05-12T25:00:00Z")),
        endDate: fc.oneof(fc.string(), fc.constantFrom("2026-05-14", "1999-01-01")),
        parts: fc.array(fc.record({ id: fc.string(), name: fc.string(), kind: fc.string() }), {
          maxLength: 2,
        }),
        hours: fc.oneof(fc.double(), fc.integer()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("event", "course", "other"), details, async (kind, d) => {
        const response = await h.call("POST", "/v1/events", { body: { kind, details: d } });
        await expectClientOutcome(response, "create event");
      }),
      { numRuns: 60 },
    );
  });

  it("random raw bodies, content types, query strings and headers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes()),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/json; charset=utf-8",
          "application/xml",
          "",
        ),
        async ([method, path], raw, contentType) => {
          const response = await h.call(method!, path!, {
            raw,
            headers: contentType
              ? { "content-type": contentType, "idempotency-key": "raw" }
              : { "idempotency-key": "raw" },
          });
          await expectClientOutcome(response, `${method} ${path} (${contentType})`);
        },
      ),
      { numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/v1/events",
          "/v1/credentials",
          `/v1/events/${eventId}/credentials`,
          `/v1/credentials/${credentialId}/pdf`,
          `/v1/credentials/${credentialId}/share`,
          `${holderPath}/qr.svg`,
        ),
        fc.dictionary(
          fc.constantFrom("limit", "cursor", "kind", "status", "lang", "hide", "eventId", "parentId"),
          fc.string(),
        ),
        async (path, query) => {
          const qs = new URLSearchParams(query).toString();
          const response = await h.call("GET", `${path}${qs ? `?${qs}` : ""}`);
          await expectClientOutcome(response, `GET ${path}?${qs}`);
        },
      ),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (token) => {
        const response = await h.call("GET", "/v1/events", {
          auth: null,
          headers: { authorization: `Bearer ${token}` },
        });
        await expectClientOutcome(response, "authorization");
        const holder = await h.call("GET", `/holder/${encodeURIComponent(token)}`, { auth: null });
        await expectClientOutcome(holder, "holder token");
      }),
      { numRuns: 100 },
    );
  });
});
