// Erasure that leaves nothing readable (crypto-shredding): personal data at rest is encrypted with a data key
// per credential kept in a separate key vault; erasing destroys the key. Checked on the raw database files
// (PGlite's directory; PostgreSQL's data directory and WAL when this user can read them, else pg_dump), on a
// backup taken before the erasure and restored after it, through KEK rotation, and for the retention rule.

import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import type { Hex } from "viem";
import { generateOrganisationKey, openOrganisationKey } from "../src/keys/vault";
import { createLogger } from "../src/logger";
import { namePrefixIndexes } from "../src/privacy/blind-index";
import { keyringFromText } from "../src/privacy/keyring";
import { dropPostgresSchema } from "../src/store/db";
import { createStore, type Store } from "../src/store/store";
import { CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS, type StoreKind, TEST_DATABASE_URL } from "./helpers/stores";

const key64 = () => randomBytes(32).toString("base64");

/** A surname of this run only: PostgreSQL's WAL is shared by the cluster and outlives test runs. */
const RUN = randomBytes(3).toString("hex");

/** An attendee whose name, e-mail and reference occur nowhere else (so a hit in the files is theirs). */
function attendee(tag: string, family = "Qvortrupsdotter") {
  const mark = randomBytes(4).toString("hex");
  const surname = `${family}${RUN}`;
  return {
    name: `${surname} ${tag}${mark}`,
    surname,
    email: `qvortrup.${tag}${mark}@example.se`,
    reference: `REF-${tag.toUpperCase()}-${mark}`,
  };
}
type Attendee = ReturnType<typeof attendee>;

/** Every file under `dir` (recursively), as bytes. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(file));
    else if (entry.isFile()) out.push(file);
  }
  return out;
}

/** How often each needle occurs in `files` (byte-wise, UTF-8). */
function countIn(files: string[], needles: string[]): Record<string, number> {
  const counts = Object.fromEntries(needles.map((n) => [n, 0]));
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const needle of needles) {
      const pattern = Buffer.from(needle, "utf8");
      for (let at = bytes.indexOf(pattern); at >= 0; at = bytes.indexOf(pattern, at + 1))
        counts[needle]! += 1;
    }
  }
  return counts;
}

const needlesOf = (a: Attendee) => [a.name, a.surname, a.email, a.reference];

type Opened = { store: Store; schema?: string };

/** A store of `kind` whose files the test can read: a PGlite directory, or a fresh PostgreSQL schema. */
async function openStore(
  kind: StoreKind,
  where: { dir?: string; schema?: string; keys?: string },
  kek: string,
): Promise<Opened> {
  const keyring = keyringFromText(kek);
  if (kind === "pglite") {
    const store = await createStore({
      dataDir: path.join(where.dir!, "data"),
      keyring,
      keyVault: { dataDir: where.keys ?? path.join(where.dir!, "keys") },
    });
    return { store };
  }
  const schema = where.schema!;
  const store = await createStore({
    databaseUrl: TEST_DATABASE_URL,
    schema,
    keyring,
    keyVault: { schema: where.keys ?? `${schema}_keys` },
  });
  return { store, schema };
}

async function organisationWithEvent(store: Store) {
  const organisation = await store.organisations.create({
    name: "Shred AB",
    chainOrganisationId: 1,
    profile: { name: "Shred AB" },
  });
  const event = await store.events.insert({
    organisationId: organisation.id,
    parentId: null,
    kind: "event",
    metadataHash: `0x${"ab".repeat(32)}` as Hex,
    details: { name: "Shredkonferensen 2026", startDate: "2026-05-12", endDate: "2026-05-14" },
  });
  return { organisation, event };
}

/** Stores a pending credential for `a` (with its holder link) through the bulk path, with a stored response. */
async function issue(store: Store, organisationId: string, eventId: string, people: Attendee[]) {
  const credentials = people.map((a) => ({
    id: randomUUID(),
    organisationId,
    eventId,
    mode: "batch" as const,
    commitment: `0x${randomBytes(32).toString("hex")}` as Hex,
    holderAddress: null,
    validUntil: 0,
    document: { credentialSubject: { name: a.name, email: a.email } },
    recipient: { reference: a.reference, lang: "sv" },
    holderToken: randomBytes(24).toString("base64url"),
  }));
  await store.issuance.commit({
    organisationId,
    idempotencyKey: `bulk-${randomUUID()}`,
    requestHash: "h",
    response: {
      status: 201,
      body: {
        credentials: credentials.map((c, i) => ({
          id: c.id,
          reference: people[i]!.reference,
          holderUrl: `http://x/h/${c.holderToken}`,
        })),
      },
    },
    credentials,
  });
  return credentials.map((c) => c.id);
}

/** Credentials as the service wrote them before personal data was encrypted: plaintext columns, no keys. */
async function insertLegacy(
  store: Store,
  organisationId: string,
  eventId: string,
  people: Attendee[],
  status = "pending",
) {
  const ids: string[] = [];
  for (const a of people) {
    const id = randomUUID();
    ids.push(id);
    await store.db.query(
      `INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, valid_until, document,
                                recipient, holder_token, created_at)
       VALUES ($1, $2, $3, 'batch', $8, $4, 0, $5::jsonb, $6::jsonb, $7, now())`,
      [
        id,
        organisationId,
        eventId,
        `0x${randomBytes(32).toString("hex")}`,
        JSON.stringify({ credentialSubject: { name: a.name, email: a.email } }),
        JSON.stringify({ reference: a.reference }),
        `legacy-token-${a.reference}`,
        status,
      ],
    );
  }
  return ids;
}

/** CHECKPOINT, then the files of the schema's tables (and their TOAST) and the WAL, when readable. */
async function postgresFiles(store: Store): Promise<string[] | null> {
  await store.db.query("CHECKPOINT");
  const [{ dir }] = (await store.db.query<{ dir: string }>(
    "SELECT current_setting('data_directory') AS dir",
  )) as [{ dir: string }];
  try {
    readdirSync(path.join(dir, "pg_wal"));
  } catch {
    return null;
  }
  const rels = await store.db.query<{ file: string }>(
    `SELECT pg_relation_filepath(c.oid) AS file FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND pg_relation_filepath(c.oid) IS NOT NULL
     UNION SELECT pg_relation_filepath(t.reltoastrelid) FROM pg_class t
      WHERE t.relnamespace = current_schema()::regnamespace AND t.reltoastrelid <> 0`,
  );
  const tables = rels
    .flatMap((r) => [path.join(dir, r.file), ...[1, 2].map((n) => path.join(dir, `${r.file}.${n}`))])
    .filter((f) => existsSync(f));
  const wal = filesUnder(path.join(dir, "pg_wal")).filter((f) => /\/[0-9A-F]{24}$/.test(f));
  return [...tables, ...wal];
}

function pgDump(schema: string, file: string): void {
  execFileSync("pg_dump", ["--no-owner", "-n", schema, "-f", file, TEST_DATABASE_URL]);
}

for (const kind of STORE_KINDS) {
  describe(`erasure leaves nothing readable (${kind})`, () => {
    const kek = `k1:${key64()}`;
    let dir: string;
    let opened: Opened;
    const schema = `intyg_shred_${process.pid}_${randomBytes(3).toString("hex")}`;

    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "intyg-shred-"));
    });
    afterEach(async () => {
      await opened?.store.close().catch(() => undefined);
      if (kind === "postgres")
        for (const s of [schema, `${schema}_keys`, `${schema}_restored`])
          await dropPostgresSchema(TEST_DATABASE_URL, s);
      rmSync(dir, { recursive: true, force: true });
    });

    it("keeps no readable name, e-mail or reference in the raw files; a backup restored after erasure yields nothing for the erased one", async () => {
      opened = await openStore(kind, { dir, schema }, kek);
      const { organisation, event } = await organisationWithEvent(opened.store);
      const erased = attendee("erased");
      const kept = attendee("kept");
      const [erasedId, keptId] = await issue(opened.store, organisation.id, event.id, [erased, kept]);

      // The organiser's search and the holder link work without plaintext columns.
      const found = await opened.store.credentials.list(organisation.id, { q: erased.email.toUpperCase() });
      expect(found.items.map((v) => v.record.id)).to.deep.equal([erasedId]);
      const byWord = await opened.store.credentials.list(organisation.id, { q: erased.surname });
      expect(byWord.items).to.have.length(2);
      const holder = (await opened.store.credentials.getById(erasedId!))!;
      expect((await opened.store.credentials.getByHolderToken(holder.holderToken!))?.id).to.equal(erasedId);

      // A backup before the erasure: a copy of the PGlite directory, or pg_dump of the schema.
      const backup = path.join(dir, "backup");
      if (kind === "pglite") {
        await opened.store.close();
        cpSync(path.join(dir, "data"), backup, { recursive: true });
        opened = await openStore(kind, { dir }, kek);
      } else {
        pgDump(schema, backup);
      }

      const scan = async (): Promise<{ personal: Record<string, number>; marker: number } | null> => {
        let files: string[] | null;
        if (kind === "pglite") {
          await opened.store.close();
          files = filesUnder(path.join(dir, "data"));
        } else files = await postgresFiles(opened.store);
        if (!files) return null;
        const counts = countIn(files, [...needlesOf(erased), ...needlesOf(kept), "Shredkonferensen"]);
        if (kind === "pglite") opened = await openStore(kind, { dir }, kek);
        const { Shredkonferensen: marker, ...personal } = counts;
        return { personal, marker: marker! };
      };
      const before = await scan();

      const record = await opened.store.credentials.erase(organisation.id, erasedId!, {
        reason: "request",
        erasedBy: "api-key:test",
      });
      expect(record?.erasedAt).to.be.instanceOf(Date);
      const receipt = (await opened.store.credentials.erasureReceipt(organisation.id, erasedId!))!;
      expect(receipt).to.include({ credentialId: erasedId, reason: "request", erasedBy: "api-key:test" });
      expect(receipt.destroyed).to.include.members([
        "data-key",
        "personal-data",
        "holder-link",
        "search-index",
        "bulk-response-entry",
      ]);
      expect(JSON.stringify(receipt)).not.to.match(/Qvortrup|REF-|@/i);
      const after = await scan();
      if (before && after) {
        // The scan reads the data (the event's name, stored in plaintext, is found) …
        expect(before.marker).to.be.greaterThan(0);
        // … and finds no personal data of anyone, before or after the erasure.
        expect(Object.values(before.personal).every((n) => n === 0)).to.equal(true, JSON.stringify(before));
        expect(Object.values(after.personal).every((n) => n === 0)).to.equal(true, JSON.stringify(after));
        console.log(
          `      raw-file scan (${kind}): before ${JSON.stringify(before)} after ${JSON.stringify(after)}`,
        );
      }

      // The backup holds no personal data in the clear either.
      const backupFiles = kind === "pglite" ? filesUnder(backup) : [backup];
      const inBackup = countIn(backupFiles, [...needlesOf(erased), ...needlesOf(kept)]);
      expect(Object.values(inBackup).every((n) => n === 0)).to.equal(true, JSON.stringify(inBackup));

      // Restored after the erasure, with the live key vault: the erased credential's data does not open, the
      // other's does.
      await opened.store.close();
      if (kind === "pglite") {
        opened = {
          store: await createStore({
            dataDir: backup,
            keyring: keyringFromText(kek),
            keyVault: { dataDir: path.join(dir, "keys") },
          }),
        };
      } else {
        const restoredSchema = `${schema}_restored`;
        const sql = readFileSync(backup, "utf8").replaceAll(schema, restoredSchema);
        execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", TEST_DATABASE_URL], { input: sql });
        opened = await openStore(kind, { schema: restoredSchema, keys: `${schema}_keys` }, kek);
      }
      const restoredErased = (await opened.store.credentials.getById(erasedId!))!;
      expect(restoredErased.erasedAt).to.equal(null); // the backup predates the erasure …
      expect(restoredErased.document).to.equal(null); // … yet nothing of it opens
      expect(restoredErased.recipient).to.equal(null);
      expect(restoredErased.holderToken).to.equal(null);
      const restoredKept = (await opened.store.credentials.getById(keptId!))!;
      expect(restoredKept.document).to.deep.equal({
        credentialSubject: { name: kept.name, email: kept.email },
      });
      expect(restoredKept.recipient).to.deep.include({ reference: kept.reference });
      // The backup's copy of the stored bulk response named the erased attendee: its key was replaced when the
      // erasure re-encrypted the response without them, so the old copy does not open at all.
      const response = await opened.store.issuance.find(
        organisation.id,
        (await opened.store.db.query<{ key: string }>("SELECT key FROM idempotency_keys"))[0]!.key,
      );
      expect(JSON.stringify(response?.responseBody)).not.to.contain(erased.reference);
    });

    it("rotates the KEK without downtime: keys are re-sealed in the background and every credential stays readable", async () => {
      opened = await openStore(kind, { dir, schema }, kek);
      const { organisation, event } = await organisationWithEvent(opened.store);
      const people = [attendee("a"), attendee("b"), attendee("c")];
      const ids = await issue(opened.store, organisation.id, event.id, people);
      await opened.store.credentials.erase(organisation.id, ids[0]!);
      // The organisation's own signing key is sealed by the same KEK: it must survive the rotation too.
      const orgKey = await opened.store.organisationKeys.create(
        generateOrganisationKey(keyringFromText(kek), organisation.id, "signing"),
        { actor: "operator", details: null },
      );
      await opened.store.close();

      // The new KEK first, the old one still loaded to open what it sealed.
      const rotated = `k2:${key64()},${kek}`;
      opened = await openStore(kind, { dir, schema }, rotated);
      expect(await opened.store.privacy.sealedBy()).to.have.property("k1");
      while ((await opened.store.privacy.reseal(1)) > 0);
      const sealed = await opened.store.privacy.sealedBy();
      expect(sealed).not.to.have.property("k1");
      expect(sealed.k2).to.be.greaterThan(0);
      await opened.store.close();

      // The old KEK retired: the others still open, the erased one still does not.
      opened = await openStore(kind, { dir, schema }, rotated.split(",")[0]!);
      const records = await opened.store.credentials.getMany(ids);
      expect(
        records.map((r) => r.document && (r.document.credentialSubject as { name: string }).name),
      ).to.deep.equal([null, people[1]!.name, people[2]!.name]);
      expect(records[2]!.recipient).to.deep.include({ reference: people[2]!.reference });
      const resealedKey = (await opened.store.organisationKeys.get(organisation.id, orgKey.address))!;
      expect(
        openOrganisationKey(keyringFromText(rotated.split(",")[0]!), resealedKey).address.toLowerCase(),
      ).to.equal(orgKey.address.toLowerCase());
      const audit = await opened.store.organisationKeys.auditLog(organisation.id);
      expect(audit.map((e) => e.action)).to.include("resealed");
    });

    it("opens a database with rows written before encryption at once, reads and searches them meanwhile, and encrypts them in batches until no plaintext column is filled", async () => {
      opened = await openStore(kind, { dir, schema }, kek);
      const { organisation, event } = await organisationWithEvent(opened.store);
      const people = [
        attendee("legacya", "Plaintextsson"),
        attendee("legacyb", "Plaintextsson"),
        attendee("legacyc"),
      ];
      const ids = await insertLegacy(opened.store, organisation.id, event.id, people);
      await opened.store.close();
      const t0 = Date.now();
      opened = await openStore(kind, { dir, schema }, kek);
      const openMs = Date.now() - t0;
      const plaintext = async () =>
        Number(
          (
            await opened.store.db.query(
              "SELECT count(*)::int AS n FROM credentials WHERE document IS NOT NULL OR recipient IS NOT NULL OR holder_token IS NOT NULL",
            )
          )[0]!.n,
        );
      // The store opens without encrypting them (that is the worker's, in the background) …
      expect(await plaintext()).to.equal(3);
      expect(await opened.store.privacy.legacyLeft()).to.equal(3);
      // … and everything reads them meanwhile: the holder link, the organiser's search, the record.
      const readable = async () => {
        for (const [i, a] of people.entries()) {
          const record = (await opened.store.credentials.getByHolderToken(`legacy-token-${a.reference}`))!;
          expect(record.id).to.equal(ids[i]);
          expect(record.document).to.deep.equal({ credentialSubject: { name: a.name, email: a.email } });
          for (const q of [
            a.reference.toLowerCase(),
            a.email.toUpperCase(),
            a.name,
            ` ${a.name.split(" ")[1]} `,
          ])
            expect(
              (await opened.store.credentials.list(organisation.id, { q })).items.map((v) => v.record.id),
            ).to.deep.equal([ids[i]], q);
        }
        const byWord = await opened.store.credentials.list(organisation.id, { q: `plaintextsson${RUN}` });
        expect(byWord.items.map((v) => v.record.id)).to.deep.equal(ids.slice(0, 2));
        expect((await opened.store.credentials.list(organisation.id, { q: "   " })).items).to.have.length(0);
        expect(
          (await opened.store.credentials.list(organisation.id, { q: "nobody-at-all" })).items,
        ).to.have.length(0);
      };
      await readable();

      // One batch at a time (a batch of one here), each committed: a restart resumes where it stopped.
      expect(await opened.store.privacy.encryptLegacy(1)).to.equal(1);
      expect(await plaintext()).to.equal(2);
      await opened.store.close();
      opened = await openStore(kind, { dir, schema }, kek);
      await readable(); // mixed: one row encrypted, two not
      while ((await opened.store.privacy.encryptLegacy(1)) > 0);
      expect(await plaintext()).to.equal(0);
      expect(await opened.store.privacy.legacyLeft()).to.equal(0);
      expect((await opened.store.vault.open(ids.map((id) => `credential:${id}`))).size).to.equal(3);
      await readable();
      console.log(`      opened with 3 plaintext rows in ${openMs} ms (${kind})`);
    });

    it("finds a credential by the beginning of a word of its name (3 to 12 characters), and adds those keyed hashes to credentials stored before, a batch at a time", async () => {
      opened = await openStore(kind, { dir, schema }, kek);
      const { organisation, event } = await organisationWithEvent(opened.store);
      const a = { ...attendee("prefix"), name: `Åsa-Britt Rådeströmsdottir${RUN} Li` };
      const b = { ...attendee("other"), name: `Rådmansson${RUN} Erik` };
      const [aId, bId] = await issue(opened.store, organisation.id, event.id, [a, b]);
      const found = async (q: string) =>
        (await opened.store.credentials.list(organisation.id, { q })).items.map((v) => v.record.id);
      const searches: [string, string[]][] = [
        ["råd", [aId!, bId!]], // three characters: both names have a word that begins so
        ["RÅDE", [aId!]],
        ["Ra\u030Adeströms", [aId!]], // decomposed å, as a keyboard may type it
        ["rådeströmsdo", [aId!]], // twelve characters
        ["rådeströmsdot", []], // thirteen: only a whole word matches that long a search
        [`rådeströmsdottir${RUN}`, [aId!]],
        ["rå", []], // two characters say too much and find nothing
        ["li", [aId!]], // … unless they are a whole word
        ["åsa-b rådes", [aId!]], // every word the beginning of a word of the name
        ["erik rådm", [bId!]],
        ["erik rådes", []],
        ["deström", []], // a beginning, not any part
      ];
      const check = async () => {
        for (const [q, ids] of searches) expect(await found(q)).to.deep.equal(ids, q);
      };
      await check();

      // A credential stored before prefix search has the whole-word hashes only, until the worker adds them.
      const indexKey = await opened.store.vault.openOrCreate("blind-index");
      const prefixes = [...namePrefixIndexes(indexKey, a.name), ...namePrefixIndexes(indexKey, b.name)];
      await opened.store.db.query("UPDATE credentials SET search_prefixes = false");
      await opened.store.db.query(
        "UPDATE credential_search SET terms = ARRAY(SELECT t FROM unnest(terms) t WHERE NOT t = ANY($1::text[]))",
        [prefixes],
      );
      expect(await found("rådes")).to.deep.equal([]);
      expect(await found(a.name.split(" ")[1]!)).to.deep.equal([aId]);
      expect(await opened.store.privacy.indexPrefixes(1)).to.equal(1);
      expect(await opened.store.privacy.indexPrefixes(1)).to.equal(1);
      expect(await opened.store.privacy.indexPrefixes(1)).to.equal(0);
      await check();
      // An erased credential is not indexed again.
      await opened.store.credentials.erase(organisation.id, aId!);
      await opened.store.db.query("UPDATE credentials SET search_prefixes = false");
      expect(await opened.store.privacy.indexPrefixes()).to.equal(1);
      expect(await found("råd")).to.deep.equal([bId]);
    });

    it("never gives an erased row written before encryption its data back when the background encryption reaches it", async () => {
      opened = await openStore(kind, { dir, schema }, kek);
      const { organisation, event } = await organisationWithEvent(opened.store);
      const [keptId, erasedId] = await insertLegacy(opened.store, organisation.id, event.id, [
        attendee("legacykept"),
        attendee("legacyerased"),
      ]);
      const receipt = await opened.store.credentials.erase(organisation.id, erasedId!);
      expect(receipt?.erasedAt).to.be.instanceOf(Date);
      while ((await opened.store.privacy.encryptLegacy(1)) > 0);
      const rows = await opened.store.db.query<{
        id: string;
        personal_enc: string | null;
        search_terms: unknown;
      }>(
        `SELECT c.id, c.personal_enc, s.terms AS search_terms
           FROM credentials c LEFT JOIN credential_search s ON s.credential_id = c.id ORDER BY c.seq`,
      );
      expect(rows.map((r) => [r.id, r.personal_enc !== null, r.search_terms !== null])).to.deep.equal([
        [keptId, true, true],
        [erasedId, false, false],
      ]);
      expect([
        ...(await opened.store.vault.open([`credential:${keptId}`, `credential:${erasedId}`])).keys(),
      ]).to.deep.equal([`credential:${keptId}`]);
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`retention respects the holder: the worker erases on schedule, the holder's copy still verifies (${kind})`, () => {
    it("erases a credential its holder fetched the retention after the event ends, keeps one nobody fetched until the longer limit, each with a receipt, and none sooner", async function () {
      this.timeout(240_000);
      let now = new Date("2026-05-20T10:00:00Z");
      const clock = { now: () => now };
      const h = await createAppHarness(kind, { autoStartWorker: false, clock });
      try {
        await expectProblem(await h.call("PUT", "/v1/organisation/retention", { body: { days: 0 } }), 400);
        await expectProblem(await h.call("PUT", "/v1/organisation/retention", { body: {} }), 400);
        expect(await expectJson(await h.call("GET", "/v1/organisation/retention"), 200)).to.deep.equal({
          days: 365,
          default: true,
          unclaimedDays: 730,
          unclaimedDefault: true,
        });
        // A default limit follows a longer retention; one the organisation sets may not be shorter.
        expect(
          await expectJson(await h.call("PUT", "/v1/organisation/retention", { body: { days: 1000 } }), 200),
        ).to.deep.include({ days: 1000, unclaimedDays: 1000, unclaimedDefault: true });
        const refused = await expectProblem(
          await h.call("PUT", "/v1/organisation/retention", { body: { days: 30, unclaimedDays: 20 } }),
          400,
        );
        expect(JSON.stringify(refused)).to.match(/unclaimedDays \(20\) must be at least days \(30\)/);
        expect(await expectJson(await h.call("GET", "/v1/organisation/retention"), 200)).to.deep.include({
          days: 1000,
        });
        await expectJson(await h.call("PUT", "/v1/organisation/retention", { body: { days: 30 } }), 200);
        expect(
          await expectJson(
            await h.call("PUT", "/v1/organisation/retention", { body: { unclaimedDays: 90 } }),
            200,
          ),
        ).to.deep.equal({ days: 30, default: false, unclaimedDays: 90, unclaimedDefault: false });
        await expectProblem(await h.call("PUT", "/v1/organisation/retention", { body: { days: 91 } }), 400);

        const eventId = (
          await expectJson<{ id: string }>(
            await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
            201,
          )
        ).id;
        const bulk = await expectJson<{ credentials: { id: string }[] }>(
          await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
            body: {
              attendees: [0, 1, 2, 3, 4].map((i) => ({
                subject: { name: `Retention ${i}`, email: `r${i}@example.se`, role: "participant" },
              })),
            },
            headers: { "idempotency-key": "retention" },
          }),
          201,
        );
        const ids = bulk.credentials.map((c) => c.id);
        await h.worker.runOnce();
        const records = await h.store.credentials.getMany(ids);
        const holder = (i: number) => `/holder/${records[i]!.holderToken}`;
        const copies = records.map((r) => r.document);
        expect(copies[0]).to.have.property("proof");

        // The holder of 0 downloads the credential file, of 1 the PDF, of 2 a share link, of 3 a wallet
        // voucher; the holder of 4 only looks at the page and its QR code, which leave no copy in their hands.
        const fetchedAt = async () =>
          (await h.store.credentials.getMany(ids)).map((r) => r.holderFetchedAt !== null);
        expect(await fetchedAt()).to.deep.equal([false, false, false, false, false]);
        await expectJson(await h.call("GET", `${holder(0)}/credential.json`, { auth: null }), 200);
        expect((await h.call("GET", `${holder(1)}/pdf`, { auth: null })).status).to.equal(200);
        await expectJson(await h.call("GET", `${holder(2)}/share`, { auth: null }), 200);
        await expectJson(
          await h.call("POST", `${holder(3)}/claim-voucher`, {
            auth: null,
            body: { holder: "0x00000000000000000000000000000000000000A1" },
          }),
          200,
        );
        await expectJson(await h.call("GET", holder(4), { auth: null }), 200);
        expect((await h.call("GET", `${holder(4)}/qr.svg`, { auth: null })).status).to.equal(200);
        expect(await fetchedAt()).to.deep.equal([true, true, true, true, false]);
        // Only the first fetch is recorded: the time says when the holder first had their copy.
        const first = (await h.store.credentials.getById(ids[0]!))!.holderFetchedAt!;
        now = new Date("2026-05-21T10:00:00Z");
        await expectJson(await h.call("GET", `${holder(0)}/credential.json`, { auth: null }), 200);
        expect((await h.store.credentials.getById(ids[0]!))!.holderFetchedAt!.getTime()).to.equal(
          first.getTime(),
        );

        const erased = async () => (await h.store.credentials.getMany(ids)).map((r) => r.erasedAt !== null);
        // The event ended 2026-05-14: on day 30 after it nothing is erased yet; past it, the fetched ones are.
        now = new Date("2026-06-13T12:00:00Z");
        await h.worker.runOnce();
        expect(await erased()).to.deep.equal([false, false, false, false, false]);
        now = new Date("2026-06-14T12:00:00Z");
        await h.worker.runOnce();
        expect(await erased()).to.deep.equal([true, true, true, true, false]);
        // The one nobody fetched is kept, and its holder can still fetch it, until day 90 …
        now = new Date("2026-08-12T12:00:00Z");
        await h.worker.runOnce();
        expect(await erased()).to.deep.equal([true, true, true, true, false]);
        expect((await h.store.credentials.getById(ids[4]!))!.document).to.deep.equal(copies[4]);
        // … and erased past it.
        now = new Date("2026-08-13T12:00:00Z");
        await h.worker.runOnce();
        expect(await erased()).to.deep.equal([true, true, true, true, true]);
        await expectProblem(await h.call("GET", holder(4), { auth: null }), 404);

        for (const id of ids) {
          const record = (await h.store.credentials.getById(id))!;
          expect(record.document).to.equal(null);
          const receipt = await expectJson<{ reason: string; erasedBy: string; destroyed: string[] }>(
            await h.call("GET", `/v1/credentials/${id}/erasure`),
            200,
          );
          expect(receipt).to.include({ reason: "retention", erasedBy: "retention" });
          expect(receipt.destroyed).to.include("data-key");
        }
        const log = await expectJson<{ items: { credentialId: string; erasedAt: string }[] }>(
          await h.call("GET", "/v1/erasures"),
          200,
        );
        expect(log.items.map((r) => r.credentialId).sort()).to.deep.equal([...ids].sort());
        expect(log.items.find((r) => r.credentialId === ids[4])!.erasedAt.slice(0, 10)).to.equal(
          "2026-08-13",
        );

        // The chain record and the holders' own copies stay valid, the one fetched and the one kept longer.
        for (const copy of [copies[0], copies[4]]) {
          const report = await verifyCredential(copy, {
            rpcUrl: h.deployment.rpcUrl,
            registry: h.deployment.registry,
            lang: "en",
          });
          expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).to.deep.equal([]);
          expect(report.verified).to.equal(true);
        }

        // An erasure on request answers with its receipt; a credential never erased has none.
        await expectProblem(await h.call("GET", `/v1/credentials/${randomUUID()}/erasure`), 404);
      } finally {
        await h.worker.stop();
        await h.close();
      }
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`rows written before encryption: the worker encrypts them in the background (${kind})`, () => {
    it("encrypts them in bounded batches before its other work, logging counts only, while the service answers", async function () {
      this.timeout(240_000);
      const lines: Record<string, unknown>[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
          done();
        },
      });
      const h = await createAppHarness(kind, {
        autoStartWorker: false,
        logger: createLogger({ level: "info", destination: sink }),
      });
      try {
        const eventId = (
          await expectJson<{ id: string }>(
            await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
            201,
          )
        ).id;
        const people = [attendee("workera"), attendee("workerb"), attendee("workerc")];
        const legacy = await insertLegacy(h.store, h.organisation.id, eventId, people, "anchored");
        // The service answers for them before the worker has run: the holder link and the organiser's search.
        const page = await expectJson<{ id: string }>(
          await h.call("GET", `/holder/legacy-token-${people[0]!.reference}`, { auth: null }),
          200,
        );
        expect(page.id).to.equal(legacy[0]);
        const found = await expectJson<{ items: { id: string }[] }>(
          await h.call("GET", `/v1/credentials?q=${encodeURIComponent(people[1]!.email)}`),
          200,
        );
        expect(found.items.map((c) => c.id)).to.deep.equal([legacy[1]]);
        const issued = await expectJson<{ id: string }>(
          await h.call("POST", `/v1/events/${eventId}/credentials`, {
            body: { subject: { name: "Ny Person", email: "ny@example.se" } },
          }),
          201,
        );

        await h.worker.runOnce();
        expect(await h.store.privacy.legacyLeft()).to.equal(0);
        for (const [i, record] of (await h.store.credentials.getMany(legacy)).entries())
          expect(record.document).to.deep.equal({
            credentialSubject: { name: people[i]!.name, email: people[i]!.email },
          });
        // Its other work followed in the same pass once none was left.
        await h.worker.runOnce();
        expect((await h.store.credentials.getById(issued.id))!.status).to.equal("anchored");
        const progress = lines.filter((l) => /written before encryption/.test(String(l.msg)));
        expect(progress.map((l) => [l.msg, l.left ?? l.encrypted])).to.deep.equal([
          ["encrypting personal data written before encryption, in the background", 3],
          ["every row written before encryption is encrypted", 3],
        ]);
        const logged = JSON.stringify(lines);
        for (const a of people) for (const needle of needlesOf(a)) expect(logged).not.to.contain(needle);
      } finally {
        await h.close();
      }
    });
  });
}

// The scan's own helpers must find what is there: a planted file is counted.
describe("erasure test helpers", () => {
  it("count a needle in files, so a scan that finds nothing means nothing is there", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-scan-"));
    try {
      execFileSync("sh", ["-c", `printf 'xx Qvortrupsdotter yy Qvortrupsdotter' > ${dir}/f`]);
      expect(countIn(filesUnder(dir), ["Qvortrupsdotter"])).to.deep.equal({ Qvortrupsdotter: 2 });
      expect(statSync(path.join(dir, "f")).size).to.be.greaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
