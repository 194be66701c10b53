import { expect } from "chai";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`request validation (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;

    async function counts() {
      const [events] = await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM events");
      const [credentials] = await h.store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM credentials",
      );
      const [keys] = await h.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM idempotency_keys");
      return { events: Number(events!.n), credentials: Number(credentials!.n), keys: Number(keys!.n) };
    }

    before(async () => {
      h = await createAppHarness(kind, { config: { bodyLimitBytes: 64 * 1024 } });
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
    });
    after(async () => {
      await h?.close();
    });

    it("400 for malformed JSON", async () => {
      const before = await counts();
      const problem = await expectProblem(
        await h.call("POST", "/v1/events", { raw: '{"kind": "event", "details": {' }),
        400,
      );
      expect(problem.detail).to.match(/Malformed JSON/);
      await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          raw: "[1, 2",
          headers: { "idempotency-key": "k1" },
        }),
        400,
      );
      expect(await counts()).to.deep.equal(before);
    });

    it("400 with every issue (JSON pointers, no values) for wrong types and missing fields", async () => {
      const before = await counts();
      const problem = await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: {
            attendees: [{ subject: { name: 42, email: "not-an-email" } }, { subject: { role: "king" } }],
          },
          headers: { "idempotency-key": "k2" },
        }),
        400,
        "validation",
      );
      const paths = (problem.errors as { path: string }[]).map((e) => e.path);
      expect(paths).to.include.members([
        "/attendees/0/subject/name",
        "/attendees/0/subject/email",
        "/attendees/1/subject/role",
      ]);
      expect(JSON.stringify(problem)).not.to.contain("not-an-email");
      await expectProblem(await h.call("POST", "/v1/events", { body: { kind: "party", details: {} } }), 400);
      await expectProblem(await h.call("POST", "/v1/events", { body: { kind: "event" } }), 400);
      await expectProblem(await h.call("POST", "/v1/events", { body: [] }), 400);
      await expectProblem(await h.call("GET", "/v1/events?limit=0"), 400);
      await expectProblem(await h.call("GET", "/v1/events/not-a-uuid"), 400);
      expect(await counts()).to.deep.equal(before);
    });

    it("400 for unknown fields, at any depth", async () => {
      const before = await counts();
      const top = await expectProblem(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE, colour: "blue" } }),
        400,
      );
      expect(JSON.stringify(top.errors)).to.match(/colour/);
      await expectProblem(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: { ...CONFERENCE, extra: 1 } } }),
        400,
      );
      await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body: { subject: { name: "A", shoeSize: 43 } },
        }),
        400,
      );
      expect(await counts()).to.deep.equal(before);
    });

    it("413 for an oversized body, 415 for another media type", async () => {
      const before = await counts();
      const attendees = Array.from({ length: 2000 }, (_, i) => ({
        subject: { name: `Deltagare nummer ${i}` },
      }));
      await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees },
          headers: { "idempotency-key": "big" },
        }),
        413,
        "payload-too-large",
      );
      await expectProblem(
        await h.call("POST", "/v1/events", {
          raw: "kind=event",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        415,
      );
      expect(await counts()).to.deep.equal(before);
    });

    it("422 with paths when the credential format refuses the content; nothing is written", async () => {
      const before = await counts();
      const problem = await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: {
            attendees: [
              { subject: { name: "Ok" } },
              { subject: { name: "Bad part", partsAttended: ["no-such-part"] } },
            ],
          },
          headers: { "idempotency-key": "k3" },
        }),
        422,
      );
      expect((problem.errors as { path: string }[])[0]!.path).to.match(/^\/attendees\/1\//);
      const dates = await expectProblem(
        await h.call("POST", "/v1/events", {
          body: { kind: "event", details: { ...CONFERENCE, startDate: "2026-05-14", endDate: "2026-05-12" } },
        }),
        422,
      );
      expect(JSON.stringify(dates.errors)).to.match(/endDate/);
      expect(await counts()).to.deep.equal(before);
    });

    it("400 when a bulk request has no Idempotency-Key", async () => {
      const before = await counts();
      const problem = await expectProblem(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees: [{ subject: { name: "A" } }] },
        }),
        400,
      );
      expect(JSON.stringify(problem.errors)).to.match(/idempotency-key/);
      expect(await counts()).to.deep.equal(before);
    });

    it("404 problem for unknown routes and ids; a request id on every response", async () => {
      const unknown = await expectProblem(await h.call("GET", "/v1/nothing-here"), 404);
      expect(unknown.instance).to.equal("/v1/nothing-here");
      await expectProblem(await h.call("GET", "/v1/events/3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f"), 404);
      const ok = await h.call("GET", "/v1/events");
      expect(ok.headers.get("x-request-id")).to.be.a("string");
      expect(ok.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(ok.headers.get("referrer-policy")).to.equal("no-referrer");
      const given = await h.call("GET", "/v1/events", { headers: { "x-request-id": "trace-123" } });
      expect(given.headers.get("x-request-id")).to.equal("trace-123");
    });
  });
}
