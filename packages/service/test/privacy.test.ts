// Envelope encryption of personal data at rest: keyrings, sealed data keys, ciphertexts bound to their record,
// KEK rotation, and blind indexes.

import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { systemClock } from "../src/clock";
import { blindIndex, namePrefixIndex, namePrefixIndexes, nameWordIndexes } from "../src/privacy/blind-index";
import {
  decryptText,
  EnvelopeError,
  encryptText,
  newDataKey,
  openDataKey,
  resealDataKey,
  sealDataKey,
  sealedWith,
} from "../src/privacy/envelope";
import {
  developmentKeyring,
  KeyringError,
  keyringFromFile,
  keyringFromText,
  loadKeyring,
  serviceKeyring,
} from "../src/privacy/keyring";
import { dropPostgresSchema, openPglite } from "../src/store/db";
import { openKeyVault } from "../src/store/key-vault";
import { createStore } from "../src/store/store";
import { TEST_DATABASE_URL } from "./helpers/stores";

const key64 = () => randomBytes(32).toString("base64");

describe("privacy: envelope encryption of personal data", () => {
  it("loads keyrings from INTYG_KEK, a keystore file, or a development keystore made once for its owner only", () => {
    const a = key64();
    const b = key64();
    const ring = keyringFromText(`k2:${b}, k1:${a}`);
    expect(ring.current.id).to.equal("k2");
    expect([...ring.byId.keys()]).to.deep.equal(["k2", "k1"]);
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-kek-"));
    const file = path.join(dir, "keystore.json");
    writeFileSync(file, JSON.stringify({ keys: [{ id: "prod1", key: a }] }));
    expect(keyringFromFile(file).current.key.equals(Buffer.from(a, "base64"))).to.equal(true);
    expect(loadKeyring({ INTYG_KEK_FILE: file }, dir).current.id).to.equal("prod1");
    const dev = developmentKeyring(path.join(dir, "data"));
    expect(statSync(path.join(dir, "data", "kek.json")).mode & 0o777).to.equal(0o600);
    expect(developmentKeyring(path.join(dir, "data")).current.key.equals(dev.current.key)).to.equal(true);
  });

  it("refuses a malformed keyring with a message that says how to fix it and never shows the key", () => {
    const secret = key64().slice(0, 40);
    const cases: [string, RegExp][] = [
      [`k1:${secret}`, /not 32 bytes in base64 \(make one with/],
      [`k1:${key64()},k1:${key64()}`, /given twice/],
      [`bad id!:${key64()}`, /must be 1–32 letters/],
      [key64(), /id:base64key/],
      ["", /no key-encryption key/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        keyringFromText(text);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(KeyringError);
      expect((error as Error).message).to.match(message);
      expect((error as Error).message).not.to.contain(secret);
    }
  });

  it("refuses a PostgreSQL store without INTYG_KEK or INTYG_KEK_FILE at start-up, saying what to set and how to make one; the embedded database keeps its development keystore", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-kek-"));
    const dataDir = path.join(dir, "data");
    const postgres = { databaseUrl: TEST_DATABASE_URL, dataDir };
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as Error;
      }
      expect.fail("the keyring was not refused");
    };
    const error = refusal(() => serviceKeyring({}, postgres));
    expect(error).to.be.instanceOf(KeyringError);
    expect(error.message).to.match(
      /No key-encryption key for a PostgreSQL database: set INTYG_KEK or INTYG_KEK_FILE/,
    );
    expect(error.message).to.match(/randomBytes\(32\)\.toString\('base64'\)/);
    expect(error.message).not.to.contain("A development keystore exists");
    // The embedded database: the development keystore, made once beside the data directory.
    const dev = serviceKeyring({}, { dataDir });
    expect(dev.current.id).to.equal("dev1");
    // A keystore made that way earlier is named, so that what it sealed can still be opened.
    expect(refusal(() => serviceKeyring({}, postgres)).message).to.contain(
      `set INTYG_KEK_FILE=${path.join(dir, "kek.json")}`,
    );
    const given = `prod:${key64()}`;
    expect(serviceKeyring({ INTYG_KEK: given }, postgres).current.id).to.equal("prod");
    expect(refusal(() => serviceKeyring({}, postgres)).message).not.to.contain(given.slice(5));

    // The store itself: no key of the process only for a PostgreSQL database; nothing is created in it.
    const schema = `intyg_nokek_${process.pid}_${randomBytes(3).toString("hex")}`;
    const saved = { kek: process.env.INTYG_KEK, file: process.env.INTYG_KEK_FILE };
    delete process.env.INTYG_KEK;
    delete process.env.INTYG_KEK_FILE;
    try {
      let refused: unknown;
      await createStore({ databaseUrl: TEST_DATABASE_URL, schema }).then(
        (store) => store.close(),
        (e: unknown) => {
          refused = e;
        },
      );
      expect(refused).to.be.instanceOf(KeyringError);
      expect((refused as Error).message).to.match(/set INTYG_KEK or INTYG_KEK_FILE/);
      const store = await createStore(); // wholly in memory: a key of the process is fine
      await store.close();
    } finally {
      if (saved.kek !== undefined) process.env.INTYG_KEK = saved.kek;
      if (saved.file !== undefined) process.env.INTYG_KEK_FILE = saved.file;
      await dropPostgresSchema(TEST_DATABASE_URL, schema);
      await dropPostgresSchema(TEST_DATABASE_URL, `${schema}_keys`);
    }
  });

  it("encrypts personal data under a data key sealed by the KEK, bound to its record and purpose", () => {
    const ring = keyringFromText(`k1:${key64()}`);
    const dataKey = newDataKey();
    const sealed = sealDataKey(ring, dataKey, "credential:42");
    const document = JSON.stringify({ name: "Erik Rådeström", email: "erik@example.se" });
    const ciphertext = encryptText(dataKey, document, "credential:42|document");
    // Nothing of the plaintext is readable in what is stored.
    for (const needle of ["Erik", "Rådeström", "R\u00e5de", "erik@example.se", "example"])
      expect(ciphertext + sealed).not.to.contain(needle);
    const opened = openDataKey(ring, sealed, "credential:42");
    expect(decryptText(opened, ciphertext, "credential:42|document")).to.equal(document);
    // Copied onto another row, or read for another purpose, it does not open.
    expect(() => openDataKey(ring, sealed, "credential:43")).to.throw(EnvelopeError);
    expect(() => decryptText(opened, ciphertext, "credential:43|document")).to.throw(EnvelopeError);
    expect(() => decryptText(opened, ciphertext, "credential:42|email")).to.throw(EnvelopeError);
    // A changed byte anywhere fails the tag.
    const body = ciphertext.split(".")[2]!;
    const flipped = `${body[0] === "A" ? "B" : "A"}${body.slice(1)}`;
    expect(() =>
      decryptText(opened, `c1.${ciphertext.split(".")[1]}.${flipped}`, "credential:42|document"),
    ).to.throw(EnvelopeError);
    // Another KEK cannot open the data key: destroying the sealed key leaves the ciphertext unreadable.
    const other = keyringFromText(`k1:${key64()}`);
    expect(() => openDataKey(other, sealed, "credential:42")).to.throw(EnvelopeError);
  });

  it("rotates the KEK without downtime: old and new both open until every data key is re-sealed", () => {
    const oldRing = keyringFromText(`old:${key64()}`);
    const sealedOld = sealDataKey(oldRing, newDataKey(), "credential:7");
    const text = encryptText(openDataKey(oldRing, sealedOld, "credential:7"), "Anna", "credential:7|name");
    const both = keyringFromText(`new:${key64()},old:${oldRing.current.key.toString("base64")}`);
    expect(sealedWith(sealedOld)).to.equal("old");
    const resealed = resealDataKey(both, sealedOld, "credential:7");
    expect(sealedWith(resealed)).to.equal("new");
    expect(resealDataKey(both, resealed, "credential:7")).to.equal(resealed);
    const newOnly = keyringFromText(`new:${both.current.key.toString("base64")}`);
    expect(decryptText(openDataKey(newOnly, resealed, "credential:7"), text, "credential:7|name")).to.equal(
      "Anna",
    );
    expect(() => openDataKey(newOnly, sealedOld, "credential:7")).to.throw(
      /"old" that sealed this data key is not loaded/,
    );
  });

  it("round-trips any text", () => {
    const dataKey = newDataKey();
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.string({ maxLength: 40 }),
        (text, aad) => {
          expect(decryptText(dataKey, encryptText(dataKey, text, aad), aad)).to.equal(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("finds a person by a keyed hash of their e-mail or a word of their name, never by the plaintext", () => {
    const indexKey = randomBytes(32);
    expect(blindIndex(indexKey, "email", " Erik@Example.SE ")).to.equal(
      blindIndex(indexKey, "email", "erik@example.se"),
    );
    expect(blindIndex(indexKey, "email", "erik@example.se")).not.to.equal(
      blindIndex(indexKey, "name-word", "erik@example.se"),
    );
    expect(blindIndex(randomBytes(32), "email", "erik@example.se")).not.to.equal(
      blindIndex(indexKey, "email", "erik@example.se"),
    );
    // NFC: a composed and a decomposed "å" are the same name.
    const words = nameWordIndexes(indexKey, "Erik Ra\u030Adeström");
    expect(words).to.include(blindIndex(indexKey, "name-word", "rådeström"));
    expect(words).to.include(blindIndex(indexKey, "name-word", "ERIK"));
    expect(words.join("")).not.to.match(/erik/i);
  });

  it("indexes the first 3 to 12 characters of each word of a name, keyed and apart from whole words", () => {
    const indexKey = randomBytes(32);
    const prefixes = namePrefixIndexes(indexKey, "Erik Ra\u030Adeströmsdottirsson Li");
    // erik: eri, erik (2); rådeströmsdottirsson: 3…12 (10); li: none.
    expect(prefixes).to.have.length(12);
    expect(prefixes).to.include(namePrefixIndex(indexKey, "RÅD"));
    expect(prefixes).to.include(namePrefixIndex(indexKey, "rådeströmsdo"));
    expect(namePrefixIndex(indexKey, "rådeströmsdot")).to.equal(null);
    expect(namePrefixIndex(indexKey, "rå")).to.equal(null);
    // A prefix hash is not the whole word's, nor another key's.
    expect(namePrefixIndex(indexKey, "erik")).not.to.equal(blindIndex(indexKey, "name-word", "erik"));
    expect(namePrefixIndex(randomBytes(32), "erik")).not.to.equal(namePrefixIndex(indexKey, "erik"));
    expect(prefixes.join("")).not.to.match(/eri|råd/i);
  });
});

describe("privacy: the key vault", () => {
  it("writes keys asked for at once in few commits, each subject's last key kept, every key opening", async () => {
    const db = await openPglite();
    const vault = await openKeyVault(db, keyringFromText(`v1:${key64()}`), systemClock);
    try {
      const inserts: number[] = [];
      const query = db.query.bind(db);
      db.query = ((sql: string, params?: unknown[]) => {
        if (/INSERT INTO data_keys/.test(sql)) inserts.push(JSON.parse(String(params![0])).length);
        return query(sql, params);
      }) as typeof db.query;
      const subjects = Array.from({ length: 40 }, (_, i) => `credential:s${i}`);
      const made = await Promise.all(subjects.map((s) => vault.create([s])));
      // One commit for the first, one for all that came while it was written (a write each without grouping).
      expect(inserts.length).to.be.at.most(3);
      expect(inserts.reduce((a, b) => a + b, 0)).to.equal(40);
      const opened = await vault.open(subjects);
      for (const [i, s] of subjects.entries()) expect(opened.get(s)?.equals(made[i]!.get(s)!)).to.equal(true);

      // The same subject twice while another write is in flight: not in one statement (which the database
      // refuses), but one after the other, so the key stored is the last one given.
      const [, first, second] = await Promise.all([
        vault.create(["credential:filler"]),
        vault.create(["credential:twice"]),
        vault.create(["credential:twice"]),
        vault.create(["credential:other"]),
      ]);
      const stored = (await vault.open(["credential:twice"])).get("credential:twice")!;
      expect(stored.equals(second!.get("credential:twice")!)).to.equal(true);
      expect(stored.equals(first!.get("credential:twice")!)).to.equal(false);
    } finally {
      await vault.close();
    }
  });
});
