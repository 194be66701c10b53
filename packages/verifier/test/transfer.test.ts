// The pool's hand-over of reports between threads: what arrives is what was sent, word for word, and every
// report arrives with objects of its own.

import { expect } from "chai";
import fc from "fast-check";
import { packReports, unpackReports } from "../src/transfer";
import type { VerificationReport } from "../src/types";

/** Reports as JSON values: neighbours often share parts, as a batch's reports do. */
const json = fc.jsonValue({ maxDepth: 5 });
const reportsArbitrary = fc
  .tuple(
    fc.array(fc.dictionary(fc.constantFrom("checks", "credential", "__proto__", "trust", "x"), json), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  )
  .map(([kinds, picks]) => picks.map((p) => structuredClone(kinds[p % kinds.length]!)));

/** Every object and array inside a value. */
function objectsOf(value: unknown, found: object[] = []): object[] {
  if (typeof value === "object" && value !== null) {
    found.push(value);
    for (const key of Object.keys(value)) objectsOf((value as Record<string, unknown>)[key], found);
  }
  return found;
}

describe("report transfer between threads", () => {
  it("gives back the reports word for word, keys in order", () => {
    fc.assert(
      fc.property(reportsArbitrary, (reports) => {
        const back = unpackReports(packReports(reports as unknown as VerificationReport[]));
        expect(JSON.stringify(back)).to.equal(JSON.stringify(reports));
        // As JSON carries them (-0 arrives as 0, as it did when reports were sent as plain JSON).
        expect(back).to.deep.equal(JSON.parse(JSON.stringify(reports)));
      }),
      { numRuns: 500 },
    );
  });

  it("gives each report objects of its own, shared with no other", () => {
    fc.assert(
      fc.property(reportsArbitrary, (reports) => {
        const back = unpackReports(packReports(reports as unknown as VerificationReport[]));
        const seen = new Set<object>();
        for (const report of back) {
          for (const object of objectsOf(report)) {
            expect(seen.has(object), "an object shared between reports").to.equal(false);
            seen.add(object);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a key named __proto__ an own property, as JSON.parse does", () => {
    const reports = [0, 1].map(() => JSON.parse('{"credential":{"__proto__":{"polluted":true},"id":1}}'));
    reports[1].credential.id = 2;
    const back = unpackReports(packReports(reports)) as unknown as { credential: object }[];
    for (const report of back) {
      expect(Object.getPrototypeOf(report.credential)).to.equal(Object.prototype);
      expect(Object.keys(report.credential)).to.deep.equal(["__proto__", "id"]);
    }
    expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
  });

  it("sends a part that a report shares with the one before it once", () => {
    const checks = Array.from({ length: 9 }, (_, i) => ({ id: `check-${i}`, message: "x".repeat(150) }));
    const reports = Array.from({ length: 150 }, (_, i) => ({
      verified: true,
      checks: structuredClone(checks),
      credential: {
        id: `urn:uuid:${i}`,
        issuer: { name: "Region Exempel", url: "https://region.example.se" },
      },
    }));
    const packed = packReports(reports as unknown as VerificationReport[]);
    expect(packed.length).to.be.below(JSON.stringify(reports).length / 10);
    expect(unpackReports(packed)).to.deep.equal(reports);
  });
});
