import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { bootstrap } from "../src/bootstrap";
import { ServiceError, ValidationError } from "../src/errors";
import { dropPostgresSchema } from "../src/store/db";
import { loadMigrations, migrate } from "../src/store/migrate";
import { createStore, hashApiKey } from "../src/store/store";
import { deployFresh } from "./helpers/chain";
import { DEMO_PROFILE } from "./helpers/harness";
import { openTestStore, STORE_KINDS, TEST_DATABASE_URL } from "./helpers/stores";

/** A store of `kind` with the migrations before `version` applied, and how to close (and drop) it. */
async function storeBefore(kind: (typeof STORE_KINDS)[number], version: number) {
  const schema = `intyg_test_${process.pid}_${Date.now().toString(36)}`;
  const store =
    kind === "pglite"
      ? await createStore({ migrate: false })
      : await createStore({ databaseUrl: TEST_DATABASE_URL, schema, migrate: false });
  await migrate(
    store.db,
    loadMigrations().filter((m) => m.version < version),
  );
  const close = async () => {
    await store.close();
    if (kind === "postgres") await dropPostgresSchema(TEST_DATABASE_URL, schema);
  };
  return { store, close };
}

for (const kind of STORE_KINDS) {
  describe(`store (${kind})`, () => {
    it("runs the same migrations, once, however often it is opened", async () => {
      const store = await openTestStore(kind);
      try {
        const applied = await store.db.query<{ version: number }>(
          "SELECT version FROM schema_migrations ORDER BY version",
        );
        expect(applied.map((r) => Number(r.version))).to.deep.equal(loadMigrations().map((m) => m.version));
        expect(await migrate(store.db)).to.deep.equal([]);
        const tables = await store.db.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
        );
        expect(tables.map((t) => t.table_name)).to.include.members([
          "api_keys",
          "batches",
          "credentials",
          "events",
          "idempotency_keys",
          "jobs",
          "organisations",
        ]);
      } finally {
        await store.close();
      }
    });

    it("carries the hashes of batches, credentials and events over to their chain operations (migration 9)", async () => {
      const { store, close } = await storeBefore(kind, 9);
      try {
        const [a, b, c] = ["aa", "bb", "cc"].map((x) => `0x${x.repeat(32)}`);
        const org = (await store.organisations.create({ name: "O", chainOrganisationId: 1, profile: {} })).id;
        const ids = {
          event: "00000000-0000-4000-8000-000000000001",
          sending: "00000000-0000-4000-8000-000000000002",
          anchored: "00000000-0000-4000-8000-000000000003",
          single: "00000000-0000-4000-8000-000000000004",
        };
        await store.db.query(
          `INSERT INTO events (id, organisation_id, kind, status, chain_event_id, metadata_hash, details, tx_hash,
                               created_at, updated_at)
           VALUES ($1, $2, 'event', 'registered', '4294967297', $3, '{}'::jsonb, $3, now(), now())`,
          [ids.event, org, a],
        );
        const batch = (id: string, status: string, root: string, hashes: string[], block: number | null) =>
          store.db.query(
            `INSERT INTO batches (id, organisation_id, event_id, chain_event_id, root, size, valid_until, signature,
                                  deadline, status, tx_hash, tx_hashes, block_number, attempts, created_at)
             VALUES ($1, $2, $3, '4294967297', $4, 1, 0, '0x', 0, $5, $6, $7::jsonb, $8, 1, now())`,
            [id, org, ids.event, root, status, hashes.at(-1), JSON.stringify(hashes), block],
          );
        await batch(ids.sending, "sending", a!, [a!, b!], null);
        await batch(ids.anchored, "anchored", b!, [c!], 7);
        await store.db.query(
          `INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, tx_hash, tx_hashes,
                                    revocation_status, revocation_reason, revocation_tx_hash, revocation_tx_hashes,
                                    created_at)
           VALUES ($1, $2, $3, 'single', 'anchored', $4, $4, jsonb_build_array($4::text), 'requested', 'other',
                   $5, jsonb_build_array($5::text), now())`,
          [ids.single, org, ids.event, c, a],
        );
        expect(await migrate(store.db)).to.include(9);

        const sending = (await store.anchoring.getBatch(ids.sending))!;
        expect(sending).to.deep.include({ status: "sending", txHashes: [a, b], txHash: b, attempts: 1 });
        const anchored = (await store.anchoring.getBatch(ids.anchored))!;
        expect(anchored).to.deep.include({ status: "anchored", txHashes: [c], txHash: c, blockNumber: 7 });
        const single = (await store.credentials.getById(ids.single))!;
        expect(single).to.deep.include({
          txHash: c,
          txHashes: [c],
          revocationTxHashes: [a],
          revocationTxHash: a,
        });
        expect((await store.events.getById(ids.event))!.txHash).to.equal(a);
        const [inFlight] = await store.operations.inFlight(["revocation"]);
        expect(inFlight).to.deep.include({ subjectId: ids.single, txHashes: [a], status: "sending" });
      } finally {
        await close();
      }
    });

    it("moves credentials' search terms into a table of their own (migration 14)", async () => {
      const { store, close } = await storeBefore(kind, 14);
      try {
        const org = (await store.organisations.create({ name: "O", chainOrganisationId: 1, profile: {} })).id;
        const event = "00000000-0000-4000-8000-000000000001";
        await store.db.query(
          `INSERT INTO events (id, organisation_id, kind, status, chain_event_id, metadata_hash, details, created_at,
                               updated_at)
           VALUES ($1, $2, 'event', 'registered', '4294967297', '0x', '{}'::jsonb, now(), now())`,
          [event, org],
        );
        const ids = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"];
        for (const [i, terms] of [["t1", "t2"], null].entries())
          await store.db.query(
            `INSERT INTO credentials (id, organisation_id, event_id, mode, status, commitment, search_terms,
                                      created_at)
             VALUES ($1, $2, $3, 'batch', 'pending', $4, $5::text[], now())`,
            [ids[i], org, event, `0x${String(i).repeat(64)}`, terms],
          );
        expect(await migrate(store.db)).to.deep.equal([14]);
        expect(await store.db.query("SELECT credential_id, terms FROM credential_search")).to.deep.equal([
          { credential_id: ids[0], terms: ["t1", "t2"] },
        ]);
        const left = await store.db.query(
          `SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'credentials' AND column_name = 'search_terms'`,
        );
        expect(left).to.deep.equal([]);
      } finally {
        await close();
      }
    });

    it("bootstraps an organisation with an admin key shown once and stored as its SHA-256", async () => {
      const deployment = await deployFresh();
      const store = await openTestStore(kind);
      try {
        const result = await bootstrap(
          store,
          { profile: DEMO_PROFILE, chainOrganisationId: deployment.organisationId },
          deployment,
        );
        expect(result.created).to.equal(true);
        expect(result.secret).to.match(/^intyg_/);
        expect(result.apiKey.role).to.equal("admin");
        const found = await store.apiKeys.find(result.secret);
        expect(found!.organisation.id).to.equal(result.organisation.id);
        const [row] = await store.db.query<{ key_hash: string }>("SELECT key_hash FROM api_keys");
        expect(row!.key_hash).to.equal(hashApiKey(result.secret));
        // Reused with a chosen key (a dev setup's INTYG_API_KEY): same organisation, the key works.
        const chosen = "intyg_dev_0123456789abcdefghijklmnopqrstuvwxyz";
        const again = await bootstrap(
          store,
          { profile: DEMO_PROFILE, chainOrganisationId: 1, apiKey: chosen, reuse: true },
          deployment,
        );
        expect(again.created).to.equal(false);
        expect(again.organisation.id).to.equal(result.organisation.id);
        expect((await store.apiKeys.find(chosen))!.organisation.id).to.equal(result.organisation.id);
        const twice = await bootstrap(
          store,
          { profile: DEMO_PROFILE, chainOrganisationId: 1, apiKey: chosen, reuse: true },
          deployment,
        );
        expect(twice.apiKey.id).to.equal(again.apiKey.id);
        try {
          await bootstrap(
            store,
            { profile: { ...DEMO_PROFILE, organisationNumber: "222000-0316" }, chainOrganisationId: 1 },
            deployment,
          );
          expect.fail("an invalid organisation number was accepted");
        } catch (error) {
          expect(error).to.be.instanceOf(ValidationError);
        }
        // An organisation the registry does not have is refused before anything is stored.
        const before = await store.db.query("SELECT id FROM organisations");
        try {
          await bootstrap(store, { profile: DEMO_PROFILE, chainOrganisationId: 2 }, deployment);
          expect.fail("an organisation that is not accredited was bootstrapped");
        } catch (error) {
          expect(error).to.be.instanceOf(ServiceError);
          expect((error as ServiceError).code).to.equal("bootstrap.not-accredited");
        }
        expect(await store.db.query("SELECT id FROM organisations")).to.have.length(before.length);
      } finally {
        await store.close();
      }
    });
  });
}

describe("store (pglite data directory)", () => {
  it("keeps its data across restarts", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "intyg-store-"));
    try {
      const deployment = await deployFresh();
      const first = await createStore({ dataDir: dir });
      const { secret } = await bootstrap(
        first,
        { profile: DEMO_PROFILE, chainOrganisationId: deployment.organisationId },
        deployment,
      );
      await first.close();
      const second = await createStore({ dataDir: dir });
      try {
        expect((await second.apiKeys.find(secret))!.organisation.chainOrganisationId).to.equal(
          deployment.organisationId,
        );
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("store (postgres schemas)", () => {
  it("creates a schema per store and drops it on close", async () => {
    const store = await openTestStore("postgres");
    const schema = store.schema!;
    const { Client } = await import("pg");
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const exists = async () =>
        (await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]))
          .rowCount;
      expect(await exists()).to.equal(1);
      await store.close();
      expect(await exists()).to.equal(0);
    } finally {
      await client.end();
    }
  });

  it("refuses a DATABASE_URL that is not postgres://", async () => {
    try {
      await createStore({ databaseUrl: "mysql://localhost/x" });
      expect.fail("accepted");
    } catch (error) {
      expect(String(error)).to.match(/postgres/);
    }
  });
});
