import { expect } from "chai";
import { errorText, PROBLEM_TITLES, SERVICE_ERROR_CODES } from "../src/errors-text";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";

const MISSING = "3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f";

// Words that only English has: a Swedish answer containing one has leaked an English text.
const ENGLISH =
  /\b(the|not|found|is|are|must|invalid|input|expected|request|only|can|have|event|credential)\b/i;

describe("problems in the request's language", () => {
  let h: AppHarness;
  let courseId: string;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    courseId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "course", details: { name: "Kurs", hours: 4 } } }),
        201,
      )
    ).id;
  });
  after(async () => {
    await h?.close();
  });

  it("answers a missing event in Swedish with Accept-Language: sv, in English otherwise, with one code", async () => {
    const sv = await expectProblem(
      await h.call("GET", `/v1/events/${MISSING}`, {
        headers: { "accept-language": "sv-SE,sv;q=0.9,en;q=0.8" },
      }),
      404,
      "not-found",
    );
    expect(sv).to.include({
      title: "Hittades inte",
      detail: "Evenemanget finns inte.",
      code: "not-found.event",
    });
    const en = await expectProblem(await h.call("GET", `/v1/events/${MISSING}`), 404, "not-found");
    expect(en).to.include({ title: "Not found", detail: "event not found", code: "not-found.event" });
    const preferred = await expectProblem(
      await h.call("GET", `/v1/events/${MISSING}`, { headers: { "accept-language": "en-GB, sv;q=0.5" } }),
      404,
    );
    expect(preferred.detail).to.equal("event not found");
    const other = await expectProblem(
      await h.call("GET", `/v1/events/${MISSING}`, { headers: { "accept-language": "de-DE" } }),
      404,
    );
    expect(other.detail).to.equal("event not found");
  });

  it("lets ?lang= choose over Accept-Language and says which language it answered in", async () => {
    const response = await h.call("GET", `/v1/events/${MISSING}?lang=sv`, {
      headers: { "accept-language": "en" },
    });
    expect(response.headers.get("content-language")).to.equal("sv");
    expect((await expectProblem(response, 404)).detail).to.equal("Evenemanget finns inte.");
  });

  it("words a domain error of the events module (a course cannot have parts) in either language", async () => {
    const body = { kind: "event", parentId: courseId, details: CONFERENCE };
    const sv = await expectProblem(
      await h.call("POST", "/v1/events", { body, headers: { "accept-language": "sv" } }),
      409,
      "conflict",
    );
    expect(sv).to.include({ code: "event.parent-not-event", title: "Går inte just nu" });
    expect(sv.detail).to.equal("Bara ett evenemang (inte en kurs) kan ha delar.");
    const en = await expectProblem(await h.call("POST", "/v1/events", { body }), 409, "conflict");
    expect(en.detail).to.equal("only an event (not a course) can have parts");
  });

  it("keeps the problem's shape and its issues, with the issues' messages in Swedish", async () => {
    const body = { kind: "event", details: { name: 5 } };
    const sv = await expectProblem(
      await h.call("POST", "/v1/events", { body, headers: { "accept-language": "sv" } }),
      400,
      "validation",
    );
    const en = await expectProblem(await h.call("POST", "/v1/events", { body }), 400, "validation");
    const errors = (p: Record<string, unknown>) =>
      p.errors as { path: string; message: string; code: string }[];
    expect(errors(sv).map((e) => [e.path, e.code])).to.deep.equal(errors(en).map((e) => [e.path, e.code]));
    expect(Object.keys(sv).sort()).to.deep.equal(Object.keys(en).sort());
    expect(en.detail).to.equal("The request body is not valid");
    expect(sv.detail).to.equal("Begärans innehåll är inte giltigt.");
    for (const issue of errors(sv)) expect(issue.message).not.to.match(ENGLISH);
    for (const issue of errors(en)) expect(issue).not.to.have.property("messages");
  });

  it("refuses hostile text with Swedish issue messages", async () => {
    const sv = await expectProblem(
      await h.call("POST", "/v1/events", {
        body: { kind: "event", details: { ...CONFERENCE, name: "a\u0000b" } },
        headers: { "accept-language": "sv" },
      }),
      400,
    );
    expect(sv.detail).not.to.match(ENGLISH);
    for (const issue of sv.errors as { message: string }[]) expect(issue.message).not.to.match(ENGLISH);
  });

  it("has a Swedish text of its own for every code and type (none is the English one)", () => {
    for (const code of SERVICE_ERROR_CODES) {
      const params = { status: "registering", kind: "event", action: "createEvent", error: "X", name: "f" };
      const sv = errorText("sv", code, params);
      expect(sv, code).to.be.a("string").and.not.empty;
      expect(sv, code).not.to.equal(errorText("en", code, params));
    }
    for (const type of Object.keys(PROBLEM_TITLES.en) as (keyof typeof PROBLEM_TITLES.en)[])
      expect(PROBLEM_TITLES.sv[type], type).not.to.equal(PROBLEM_TITLES.en[type]);
  });
});
