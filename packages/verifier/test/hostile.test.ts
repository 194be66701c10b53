// Hostile input never throws: it gives a failed report with a clear reason.

import { expect } from "chai";
import fc from "fast-check";
import { verifyCredential, verifyCredentials, verifyPresentation } from "../src";

const failsFormat = async (input: unknown, code?: string) => {
  const report = await verifyCredential(input, { lang: "en" });
  expect(report.verified).to.equal(false);
  const format = report.checks[0]!;
  expect(format.id).to.equal("format");
  expect(format.status).to.equal("failed");
  if (code) expect(format.code).to.equal(code);
  expect(report.checks.slice(1).every((check) => check.status === "skipped")).to.equal(true);
  return format;
};

describe("hostile input", () => {
  it("refuses empty input, non-JSON text, and JSON that is not an object", async () => {
    await failsFormat("", "empty");
    await failsFormat(undefined, "empty");
    await failsFormat("{ not json", "not-json");
    await failsFormat("[1,2,3]", "not-an-object");
    await failsFormat(42, "not-an-object");
    await failsFormat("null", "not-an-object");
  });

  it("refuses huge and deeply nested documents before parsing them", async () => {
    await failsFormat(`{"a":"${"x".repeat(2_000_000)}"}`, "too-large");
    await failsFormat(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, "too-deep");
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { deep };
    await failsFormat(deep, "too-deep");
    const wide = { items: Array.from({ length: 100_000 }, (_, i) => i) };
    await failsFormat(wide, "too-large");
  });

  it("refuses values that are not JSON: cycles, bigints, functions, throwing getters", async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await failsFormat(cycle, "too-deep");
    await failsFormat({ a: 1n }, "not-json");
    await failsFormat({ a: () => 1 }, "not-json");
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    await failsFormat(trap);
  });

  it("refuses a key written twice in one object, and bytes that are not UTF-8", async () => {
    const twice = await failsFormat('{"a":{"name":"Mallory","b":1,"name":"Anna"}}', "duplicate-key");
    expect(twice.message).to.match(/"name" twice/);
    // Escapes spell the same key; equal keys in different objects, and keys inside strings, are fine.
    await failsFormat('{"nam\\u0065":1,"name":2}', "duplicate-key");
    await failsFormat('[{"a":1},{"a":1}]', "not-an-object");
    await failsFormat('{"x":"\\"x\\":1,","y":{"x":1}}', "schema");
    await failsFormat(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), "not-utf8");
    await failsFormat(new TextEncoder().encode('{"a":"å"}'), "schema");
  });

  it("names an unknown proof type, and a presentation given as a credential", async () => {
    const format = await failsFormat({ proof: { type: "Ed25519Signature2020" } }, "unknown-proof-type");
    expect(format.message).to.match(/Ed25519Signature2020/);
    await failsFormat({ type: ["VerifiablePresentation"] }, "is-presentation");
    const schema = await failsFormat({ "@context": [] }, "schema");
    expect(schema.message).to.match(/not a complete Intyg credential|inte ett fullständigt intyg/);
    expect(schema.detail).to.match(/problem/);
  });

  it("reports a damaged share link", async () => {
    const format = await failsFormat("https://intyg.example.se/verify#c1.AAAA!!", "share-link");
    expect(format.message).to.match(/share link/);
  });

  it("never throws on arbitrary values, JSON texts and presentations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (value) => {
        const [report] = await verifyCredentials([value]);
        expect(report!.verified).to.equal(false);
        const presentation = await verifyPresentation(value, { challenge: "c", domain: "d" });
        expect(presentation.verified).to.equal(false);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.json(), async (text) => {
        expect((await verifyCredential(text)).verified).to.equal(false);
      }),
      { numRuns: 300 },
    );
  });
});
