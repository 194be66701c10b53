import { expect } from "chai";
import {
  CanonicalizationError,
  canonicalJson,
  eventUrn,
  isEscoSkillUri,
  isIsoDate,
  isIsoDateTime,
  isOrganisationNumber,
  isoToUnixSeconds,
  luhnCheckDigit,
  organisationIdOfEvent,
  organisationUrn,
  parseEventUrn,
  parseOrganisationUrn,
  randomSalt,
  randomUuidUrn,
  toIsoSeconds,
} from "../src";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("identifiers and values", () => {
  describe("Swedish organisation numbers", () => {
    it("accepts real ones (Göteborgs kommun, Västra Götalandsregionen, SKR)", () => {
      for (const n of ["212000-1355", "232100-0131", "222000-0315"])
        expect(isOrganisationNumber(n), n).to.equal(true);
    });
    it("rejects a wrong check digit and other formats", () => {
      for (const n of [
        "212000-1356",
        "2120001355",
        "212000-135",
        "21200a-1355",
        " 212000-1355",
        "19212000-1355",
      ]) {
        expect(isOrganisationNumber(n), n).to.equal(false);
      }
    });
    it("computes the Luhn check digit", () => {
      expect(luhnCheckDigit("212000135")).to.equal(5);
      expect(luhnCheckDigit("811218987")).to.equal(6);
    });
  });

  describe("ESCO skill URIs", () => {
    it("accepts http://data.europa.eu/esco/skill/<uuid> only", () => {
      expect(
        isEscoSkillUri("http://data.europa.eu/esco/skill/f0de4973-0a70-4644-8fd4-3a97080476f4"),
      ).to.equal(true);
      expect(
        isEscoSkillUri("https://data.europa.eu/esco/skill/f0de4973-0a70-4644-8fd4-3a97080476f4"),
      ).to.equal(false);
      expect(
        isEscoSkillUri("http://data.europa.eu/esco/occupation/f0de4973-0a70-4644-8fd4-3a97080476f4"),
      ).to.equal(false);
      expect(
        isEscoSkillUri("http://data.europa.eu/esco/skill/F0DE4973-0A70-4644-8FD4-3A97080476F4"),
      ).to.equal(false);
      expect(isEscoSkillUri("http://data.europa.eu/esco/skill/f0de4973")).to.equal(false);
    });
  });

  describe("URNs", () => {
    it("write the registry in lowercase and parse back", () => {
      const org = organisationUrn(31337, REGISTRY, 7);
      expect(org).to.equal("urn:intyg:org:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:7");
      expect(parseOrganisationUrn(org)).to.deep.equal({
        chainId: 31337,
        registry: REGISTRY.toLowerCase(),
        organisationId: 7,
      });
      const eventId = (7n << 32n) | 3n;
      const event = eventUrn(31337, REGISTRY, eventId);
      expect(parseEventUrn(event)).to.deep.equal({
        chainId: 31337,
        registry: REGISTRY.toLowerCase(),
        eventId,
      });
      expect(organisationIdOfEvent(eventId)).to.equal(7);
    });
    it("reject zero and out-of-range ids, leading zeros and uppercase registries", () => {
      const base = "urn:intyg:org:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:";
      expect(parseOrganisationUrn(`${base}0`)).to.equal(undefined);
      expect(parseOrganisationUrn(`${base}4294967296`)).to.equal(undefined);
      expect(parseOrganisationUrn(`${base}07`)).to.equal(undefined);
      expect(parseOrganisationUrn(`urn:intyg:org:31337:${REGISTRY}:1`)).to.equal(undefined);
      expect(parseOrganisationUrn("urn:intyg:org:0:0x5fbdb2315678afecb367f032d93f642f64180aa3:1")).to.equal(
        undefined,
      );
      const event = "urn:intyg:event:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:";
      expect(parseEventUrn(`${event}18446744073709551615`)?.eventId).to.equal(2n ** 64n - 1n);
      expect(parseEventUrn(`${event}18446744073709551616`)).to.equal(undefined);
      expect(parseEventUrn(`${event}0`)).to.equal(undefined);
    });
  });

  describe("time", () => {
    it("checks calendar dates and UTC date-times", () => {
      expect(isIsoDate("2028-02-29")).to.equal(true);
      expect(isIsoDate("2026-02-29")).to.equal(false);
      expect(isIsoDate("2026-13-01")).to.equal(false);
      expect(isIsoDateTime("2026-05-23T08:00:00Z")).to.equal(true);
      expect(isIsoDateTime("2026-05-23T08:00:00.123Z")).to.equal(true);
      expect(isIsoDateTime("2026-05-23T08:00:00+02:00")).to.equal(false);
      expect(isIsoDateTime("2026-05-23T24:00:00Z")).to.equal(false);
      expect(isIsoDateTime("2026-04-31T08:00:00Z")).to.equal(false);
    });
    it("converts to whole seconds", () => {
      expect(toIsoSeconds(new Date(Date.UTC(2026, 4, 23, 8, 0, 0, 999)))).to.equal("2026-05-23T08:00:00Z");
      expect(isoToUnixSeconds("2030-01-01T00:00:00Z")).to.equal(1_893_456_000n);
      expect(isoToUnixSeconds("2030-01-01T00:00:00.999Z")).to.equal(1_893_456_000n);
      expect(() => isoToUnixSeconds("2030-01-01")).to.throw(RangeError);
    });
  });

  describe("canonicalJson (RFC 8785)", () => {
    it("sorts keys by UTF-16 code units and writes numbers as ECMAScript does", () => {
      // The examples of RFC 8785, section 3.2.2 and 3.2.3.
      const value = JSON.parse(
        '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
          '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
      );
      expect(canonicalJson(value)).to.equal(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
      expect(canonicalJson({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "\u00f6": 4, "1": 5 })).to.equal(
        '{"\\r":2,"1":5,"ö":4,"€":1,"😀":3}',
      );
    });
    it("keeps any script unchanged", () => {
      expect(canonicalJson(["Åsa Öberg-Ärlig", "Σωκράτης", "李小龙", "محمد"])).to.equal(
        '["Åsa Öberg-Ärlig","Σωκράτης","李小龙","محمد"]',
      );
    });
    it("throws CanonicalizationError for what JSON cannot carry", () => {
      expect(() => canonicalJson(undefined)).to.throw(CanonicalizationError);
      expect(() => canonicalJson({ a: Number.NaN })).to.throw(CanonicalizationError);
      expect(() => canonicalJson([Number.POSITIVE_INFINITY])).to.throw(CanonicalizationError);
      expect(() => canonicalJson({ a: 1n })).to.throw(CanonicalizationError);
    });
  });

  describe("randomness", () => {
    it("makes 16-byte salts and version 4 UUIDs", () => {
      const salts = new Set(Array.from({ length: 100 }, () => randomSalt("/x")));
      expect(salts.size).to.equal(100);
      for (const salt of salts) expect(salt).to.match(/^0x[0-9a-f]{32}$/);
      expect(randomUuidUrn()).to.match(
        /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });
  });
});
