import { readFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { deflateRawSync } from "node:zlib";
import { SHARE_FRAGMENT_PREFIX } from "@intyg/credential";
import { expect } from "chai";
import fc from "fast-check";
import { CHECK_IDS, formatAge, formatTime, message, readDocument, verifyCredential } from "../src";
import { CheckList } from "../src/checks";
import { CHECK_NAMES } from "../src/messages";
import { readShareLink, readShareLinkDocument } from "../src/share";

describe("messages", () => {
  it("has every check name in both languages", () => {
    for (const id of CHECK_IDS) {
      expect(CHECK_NAMES.sv[id]).to.be.a("string").and.not.empty;
      expect(CHECK_NAMES.en[id]).to.be.a("string").and.not.empty;
    }
  });

  it("says the same thing in Swedish and English, with the parameters filled in", () => {
    expect(message("en", "revocation.revoked", { at: "2026-05-12 08:00 UTC", reason: "fraud" })).to.equal(
      "The credential was revoked by its issuer on 2026-05-12 08:00 UTC. Reason: fraud. It no longer counts as proof.",
    );
    expect(message("sv", "revocation.revoked", { at: "2026-05-12 08:00 UTC", reason: "bedrägeri" })).to.equal(
      "Intyget återkallades av utfärdaren 2026-05-12 08:00 UTC. Skäl: bedrägeri. Det gäller inte längre som bevis.",
    );
  });

  it("formats times and ages without ambiguity", () => {
    expect(formatTime(0)).to.equal("1970-01-01 00:00 UTC");
    expect(formatTime("2026-05-12T08:00:00Z")).to.equal("2026-05-12 08:00 UTC");
    // With a language: in words, in Swedish time (CEST in May).
    expect(formatTime("2026-05-12T08:00:00Z", "sv")).to.equal("12 maj 2026 kl. 10:00");
    expect(formatTime("2026-05-12T08:00:00Z", "en")).to.equal("12 May 2026 at 10:00 (Swedish time)");
    expect(formatAge("en", 30)).to.equal("30 s");
    expect(formatAge("en", 600)).to.equal("10 min");
    expect(formatAge("sv", 3 * 86_400)).to.equal("3 d");
  });
});

describe("check list", () => {
  it("skips a check whose prerequisite failed, naming the failed check, through skipped ones", () => {
    const checks = new CheckList("en");
    checks.pass("format", "format.ok");
    checks.fail("integrity", "root-mismatch", "integrity.failed", { reason: "root-mismatch" });
    checks.skipRest();
    const list = checks.list();
    expect(list.map((c) => c.status)).to.deep.equal([
      "passed",
      "failed",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
    ]);
    expect(list.find((c) => c.id === "revocation")!.message).to.equal(
      "Not checked, because the Integrity check failed.",
    );
  });
});

describe("share links", () => {
  const linkOf = (text: string) =>
    `https://intyg.example.se/verify#${SHARE_FRAGMENT_PREFIX}${deflateRawSync(Buffer.from(text)).toString("base64url")}`;
  const doc = {
    issuer: { id: "did:example:1", name: "Ö" },
    credentialSubject: { achievement: { name: "Kurs" } },
    proof: { type: "x" },
  };

  it("reads a link's document from its JSON text, with the texts of its sections", () => {
    // The JSON text path is the fast one (see checkCredentialJson): a link must take it, as a pasted text does.
    const read = readShareLinkDocument(linkOf(JSON.stringify(doc)));
    expect(read.ok && read.json).to.equal(true);
    if (!read.ok) return;
    expect(read.value).to.deep.equal(doc);
    expect(read.sections?.issuer).to.equal(JSON.stringify(doc.issuer));
    expect(read.sections?.proof).to.equal(JSON.stringify(doc.proof));
    const link = readShareLink(linkOf(JSON.stringify(doc)));
    expect(link.ok && link.value).to.deep.equal(doc);
  });

  it("refuses a link whose text is not JSON or has a key twice, in the words of a damaged link", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /not JSON/],
      ["", /not JSON/],
      ['{"a":1,"a":2}', /duplicate key/],
      ['{"a":1,"\\u0061":2}', /duplicate key/],
    ];
    for (const [text, detail] of cases) {
      for (const read of [readShareLinkDocument(linkOf(text)), readShareLink(linkOf(text))]) {
        expect(read.ok, text).to.equal(false);
        if (read.ok) continue;
        expect(read.code).to.equal("share-link");
        expect(String(read.params.detail)).to.match(detail);
      }
    }
    // No more lenient than JSON.parse on the link's text: no second byte order mark, no other white space around it.
    for (const text of ["\uFEFF{}", "\u00A0{}", "{}\u3000", "\u2028{}"]) {
      const read = readShareLinkDocument(linkOf(`\uFEFF${text}`));
      expect(!read.ok && read.params.detail, JSON.stringify(text)).to.equal(
        "Share link is damaged (not JSON)",
      );
    }
    expect(readShareLinkDocument(linkOf(" \t\r\n{}\n")).ok).to.equal(true);
    // JSON that parses but is refused anyway is refused for what it is, not as a damaged link.
    const infinite = readShareLinkDocument(linkOf('{"a":1e400}'));
    expect(!infinite.ok && infinite.code).to.equal("not-json");
    const cut = readShareLinkDocument(`${SHARE_FRAGMENT_PREFIX}`);
    expect(!cut.ok && cut.params.detail).to.equal("Share link is truncated");
  });

  it("reads a link of a megabyte of white space in linear time", function () {
    // Under a pattern anchored at the end of the text (/[ \t\n\r]+$/), this link alone took minutes.
    this.timeout(5_000);
    for (const text of [`${" ".repeat(1_000_000)}x`, `{}${" ".repeat(1_000_000)}\u00A0`]) {
      const read = readShareLinkDocument(linkOf(text));
      expect(!read.ok && read.params.detail).to.equal("Share link is damaged (not JSON)");
    }
  });

  it("holds a link's document to the limits a pasted document is held to", () => {
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const read = readShareLinkDocument(linkOf(deep));
    expect(!read.ok && read.code).to.equal("too-deep");
    const large = readShareLinkDocument(linkOf(JSON.stringify({ a: "x".repeat(5000) })), {
      maxBytes: 1000,
      maxDepth: 32,
      maxNodes: 50_000,
    });
    expect(!large.ok && large.code).to.equal("too-large");
  });
});

describe("input", () => {
  it("reads JSON text and bytes, and checks values without copying them", () => {
    const value = { a: [1, "two", { three: true }] };
    const read = readDocument(value);
    expect(read.ok && read.value).to.equal(value);
    const text = readDocument('\uFEFF  {"a":1} ');
    expect(text.ok && text.value).to.deep.equal({ a: 1 });
    const bytes = readDocument(new TextEncoder().encode('{"a":"å"}'));
    expect(bytes.ok && bytes.value).to.deep.equal({ a: "å" });
  });

  it("measures a text's size in UTF-8 bytes, as TextEncoder counts them, at the limit", () => {
    const limits = { maxBytes: 1000, maxDepth: 32, maxNodes: 50_000 };
    for (const unit of ["x", "å", "€", "😀", "\ud800"]) {
      for (const count of [1, 100, 200, 330, 500]) {
        const text = `{"a":"${unit.repeat(count)}"}`;
        const bytes = new TextEncoder().encode(text).byteLength;
        const read = readDocument(text, limits);
        if (bytes > limits.maxBytes) {
          expect(read.ok, `${unit} × ${count}`).to.equal(false);
          expect(!read.ok && read.code).to.equal("too-large");
          expect(!read.ok && read.params.size, `${unit} × ${count}`).to.equal(bytes);
        } else expect(read.ok, `${unit} × ${count}`).to.equal(true);
      }
    }
  });

  it("counts brackets inside strings as text", () => {
    const read = readDocument(JSON.stringify({ s: "[".repeat(1000) }));
    expect(read.ok).to.equal(true);
  });

  it("slices the texts a credential's shared sections were parsed from, whatever the layout", () => {
    // The slices stand for the sections' values in the run's memos, so each must parse to exactly the section the
    // whole text gave: checked on random sections full of quotes, backslashes and brackets, in random layouts.
    const tricky = fc.string({
      unit: fc.constantFrom('"', "\\", "a", "{", "}", "[", "]", ",", ":", "\\u0022", "issuer", "proof"),
    });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        tricky,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(tricky, tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const section = fc.oneof(fc.dictionary(tricky, json, { maxKeys: 4 }), fc.array(json, { maxLength: 3 }));
    const doc = fc.record(
      {
        before: json,
        issuer: section,
        credentialSubject: fc.record({ name: tricky, achievement: section, after: json }),
        proof: section,
        after: json,
      },
      { requiredKeys: ["issuer", "credentialSubject", "proof"] },
    );
    fc.assert(
      fc.property(doc, fc.constantFrom(undefined, 1, 2, "\t"), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const read = readDocument(text);
        expect(read.ok, text).to.equal(true);
        if (!read.ok) return;
        const { sections } = read;
        expect(JSON.parse(sections!.issuer!), text).to.deep.equal(value.issuer);
        expect(JSON.parse(sections!.proof!), text).to.deep.equal(value.proof);
        expect(JSON.parse(sections!.achievement!), text).to.deep.equal(value.credentialSubject.achievement);
      }),
      { numRuns: 300 },
    );
  });

  it("slices only the sections it is sure of: no escaped keys, no values elsewhere, no strings", () => {
    const sections = (text: string) => {
      const read = readDocument(text);
      return read.ok ? read.sections : undefined;
    };
    // An escaped key is the same key to JSON.parse, but the scan does not recognise it: no slice, no guess.
    expect(sections('{"\\u0069ssuer":{"a":1},"proof":[1]}')).to.deep.equal({ proof: "[1]" });
    // Keys of the same names deeper down, or an achievement outside the subject, are not the sections.
    expect(
      sections('{"x":{"issuer":{"a":1}},"achievement":{"b":2},"credentialSubject":{"y":{"achievement":{}}}}'),
    ).to.deep.equal({});
    expect(sections('{"credentialSubject":[{"achievement":{"a":1}}]}')).to.deep.equal({});
    // Sections that are not objects or arrays are not sliced (the schema refuses them anyway).
    expect(sections('{"issuer":"urn:x","proof":null,"credentialSubject":{"achievement":1}}')).to.deep.equal(
      {},
    );
    // Strings that look like keys are text.
    expect(sections('{"a":"\\"issuer\\":{}","issuer": {"b" : [ ] } }')).to.deep.equal({
      issuer: '{"b" : [ ] }',
    });
  });

  it("keeps no document alive through the slices its memos keep", async () => {
    // A section's slice is a view of its whole text: kept as a memo key, a few hundred bytes of issuer would hold a
    // document of a megabyte for as long as the process runs. Twenty such documents, each with an issuer of its
    // own (so each is remembered), must not stay in memory once their reports are dropped.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const fixture = path.join(
      __dirname,
      "..",
      "..",
      "credential",
      "test",
      "fixtures",
      "attendance-credential.json",
    );
    const base = JSON.parse(readFileSync(fixture, "utf8")) as Record<string, unknown>;
    const padding = " ".repeat(1_000_000);
    const documentText = (i: number) => {
      const entries = Object.entries({
        ...base,
        issuer: { ...(base.issuer as object), name: `Org ${i}` },
      }).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
      return `{${entries.slice(0, 4).join(",")},${padding}${entries.slice(4).join(",")}}`;
    };
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) {
      const report = await verifyCredential(documentText(i), { lang: "en" });
      expect(report.checks[0]!.status, "format").to.equal("passed");
    }
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(retained, `${Math.round(retained / 1e6)} MB retained`).to.be.below(8_000_000);
  });

  it("tells a key written twice from keys and strings full of quotes and backslashes", () => {
    // Keys and values made of quotes, backslashes and brackets: the scan that counts keys must find each string's
    // end exactly, or it miscounts and refuses a sound text or misses a duplicate.
    const tricky = fc.string({
      unit: fc.constantFrom('"', "\\", "a", "{", "}", "[", "]", ",", ":", "\\u0022"),
    });
    const object = fc.dictionary(tricky, fc.oneof(tricky, fc.array(tricky, { maxLength: 3 })), {
      minKeys: 1,
      maxKeys: 6,
    });
    fc.assert(
      fc.property(object, tricky, (value, extra) => {
        const text = JSON.stringify({ nested: value, extra });
        const read = readDocument(text);
        expect(read.ok, text).to.equal(true);
        const key = Object.keys(value)[0]!;
        const twice = `{"nested":{${JSON.stringify(key)}:0,${text.slice('{"nested":{'.length)}`;
        const refused = readDocument(twice);
        expect(!refused.ok && refused.code, twice).to.equal("duplicate-key");
      }),
      { numRuns: 400 },
    );
  });
});
