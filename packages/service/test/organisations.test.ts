// Three organisations on one service and one database, co-hosting one conference: each signs with its own
// keys (held encrypted by the service), rotates a key mid-conference, and one suffers a key compromise.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createKeyDirectory } from "../src/keys/directory";
import { importKey } from "../src/keys/lifecycle";
import { generateOrganisationKey, openOrganisationKey } from "../src/keys/vault";
import { keyringFromText } from "../src/privacy/keyring";
import { createStore } from "../src/store/store";
import type { Organisation } from "../src/store/types";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

type Key = { address: Address; status: string; current: boolean; validUntil: number | null };
type Member = { organisation: Organisation; apiKey: string; eventId?: string; credentials: string[] };

async function accredit(
  h: AppHarness,
  profile: { name: string; organisationNumber: string },
  admin: Address,
) {
  const chain = {
    id: h.deployment.chainId,
    name: "local",
    nativeCurrency: { name: "E", symbol: "E", decimals: 18 },
    rpcUrls: { default: { http: [h.deployment.rpcUrl] } },
  } as const;
  const publicClient = createPublicClient({ chain, transport: http(h.deployment.rpcUrl) });
  const governor = createWalletClient({
    chain,
    transport: http(h.deployment.rpcUrl),
    account: privateKeyToAccount(DEV_PRIVATE_KEYS[0]),
  });
  const next =
    (await publicClient.readContract({
      address: h.deployment.registry,
      abi: intygRegistryAbi,
      functionName: "organisationCount",
    })) + 1;
  const full = { ...profile, legalName: profile.name, url: "https://example.se" };
  const hash = await governor.writeContract({
    address: h.deployment.registry,
    abi: intygRegistryAbi,
    functionName: "accreditOrganisation",
    args: [admin, organisationProfileHash(full, next), organisationNumberHash(profile.organisationNumber)],
  });
  await publicClient.waitForTransactionReceipt({ hash });
  return { chainOrganisationId: next, profile: full };
}

for (const kind of STORE_KINDS) {
  describe(`three organisations with their own keys on one service (${kind})`, function () {
    this.timeout(300_000);
    let h: AppHarness;
    const members: Member[] = [];
    const adminKeys: Hex[] = [];
    const call = (m: Member, method: string, url: string, body?: unknown) =>
      h.call(method, url, { auth: m.apiKey, ...(body !== undefined ? { body } : {}) });
    const drain = async () => {
      try {
        for (let pass = 0; (await h.store.anchoring.outstanding()) > 0; pass++) {
          if (pass > 40) throw new Error("the worker did not finish in 40 passes");
          await h.worker.runOnce();
        }
      } catch (error) {
        // What is stuck, for the failure message.
        const ops = await h.store.db.query(
          "SELECT kind, status, last_error FROM chain_operations WHERE status <> 'done'",
        );
        const stuck = await h.store.db.query(
          "SELECT status, mode, last_error FROM credentials WHERE status <> 'anchored'",
        );
        throw new Error(`${(error as Error).message}: ${JSON.stringify({ ops, stuck }).slice(0, 2000)}`);
      }
    };
    const verify = async (m: Member, id: string) => {
      const doc = await expectJson<{ credential: unknown }>(
        await call(m, "GET", `/v1/credentials/${id}`),
        200,
      );
      return verifyCredential(doc.credential, {
        rpcUrl: h.deployment.rpcUrl,
        registry: h.deployment.registry,
      });
    };
    const keysOf = async (m: Member) =>
      (await expectJson<{ items: Key[] }>(await call(m, "GET", "/v1/organisation/keys"), 200)).items;

    before(async () => {
      h = await createAppHarness(kind, { autoStartWorker: false });
      const profiles = [
        { name: "Göteborgs Stad", organisationNumber: "212000-1355" },
        { name: "Västra Götalandsregionen", organisationNumber: "232100-0131" },
        { name: "Västkom", organisationNumber: "802479-3831" },
      ];
      for (const profile of profiles) {
        const adminKey = generatePrivateKey();
        adminKeys.push(adminKey);
        const { chainOrganisationId, profile: full } = await accredit(
          h,
          profile,
          privateKeyToAccount(adminKey).address,
        );
        const organisation = await h.store.organisations.create({
          name: profile.name,
          chainOrganisationId,
          profile: full,
        });
        const { secret } = await h.store.apiKeys.create(organisation.id, "admin", "admin");
        await importKey(h, organisation, { role: "admin", privateKey: adminKey, actor: "operator" });
        members.push({ organisation, apiKey: secret, credentials: [] });
      }
    });
    after(async () => {
      await h?.close();
    });

    it("each organisation creates its own signing key, authorised on chain by its admin key held by the service", async () => {
      for (const m of members) {
        const created = await expectJson<{ key: Key; authorisation: unknown }>(
          await call(m, "POST", "/v1/organisation/keys", {}),
          201,
        );
        expect(created.key).to.include({ status: "active", current: true });
        expect(created.authorisation).to.equal(null);
        const onChain = await h.chain.signingKey(created.key.address);
        expect(onChain.organisationId).to.equal(m.organisation.chainOrganisationId);
      }
      const addresses = new Set(
        (await Promise.all(members.map(keysOf))).map((k) => k.find((x) => x.current)!.address),
      );
      expect(addresses.size).to.equal(3);
    });

    it("each registers its part of the co-hosted conference and issues under its own key", async () => {
      for (const [i, m] of members.entries()) {
        const event = await expectJson<{ id: string; status: string }>(
          await call(m, "POST", "/v1/events", {
            kind: "event",
            details: { ...CONFERENCE, name: `${CONFERENCE.name} – del ${i + 1}` },
          }),
          201,
        );
        expect(event.status).to.equal("registered");
        m.eventId = event.id;
        const bulk = await expectJson<{ credentials: { id: string }[] }>(
          await h.call("POST", `/v1/events/${event.id}/credentials/bulk`, {
            auth: m.apiKey,
            body: {
              attendees: [0, 1].map((n) => ({
                subject: { name: `Deltagare ${i}-${n}` },
                reference: `R-${i}-${n}`,
              })),
            },
            headers: { "idempotency-key": `org-${i}` },
          }),
          201,
        );
        m.credentials.push(...bulk.credentials.map((c) => c.id));
      }
      await drain();
      const signers = new Set<string>();
      for (const m of members) {
        const current = (await keysOf(m)).find((k) => k.current)!;
        for (const id of m.credentials) {
          const report = await verify(m, id);
          expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
          expect(report.credential?.signer?.toLowerCase()).to.equal(current.address.toLowerCase());
          expect(report.credential?.issuer?.organisationId).to.equal(m.organisation.chainOrganisationId);
          signers.add(report.credential!.signer!.toLowerCase());
        }
      }
      expect(signers.size).to.equal(3);
    });

    it("an organisation cannot see or touch another's credentials or keys (404)", async () => {
      const [a, b] = members as [Member, Member];
      await expectProblem(await call(a, "GET", `/v1/credentials/${b.credentials[0]}`), 404);
      const bKey = (await keysOf(b)).find((k) => k.current)!.address;
      await expectProblem(await call(a, "POST", `/v1/organisation/keys/${bKey}/retire`), 404, "not-found");
      await expectProblem(await call(a, "POST", `/v1/organisation/keys/${bKey}/current`), 404, "not-found");
    });

    it("rotates a key mid-conference: credentials before and after verify, the old key's window ends", async () => {
      const m = members[1]!;
      const old = (await keysOf(m)).find((k) => k.current)!;
      // The current key cannot be retired while it is the one that signs.
      await expectProblem(await call(m, "POST", `/v1/organisation/keys/${old.address}/retire`), 409);
      const next = (await expectJson<{ key: Key }>(await call(m, "POST", "/v1/organisation/keys", {}), 201))
        .key;
      expect(next.current).to.equal(true);
      const after = await expectJson<{ id: string }>(
        await call(m, "POST", `/v1/events/${m.eventId}/credentials`, { subject: { name: "Efter bytet" } }),
        201,
      );
      await drain();
      const retired = await expectJson<Key>(
        await call(m, "POST", `/v1/organisation/keys/${old.address}/retire`),
        200,
      );
      expect(retired.status).to.equal("retired");
      const client = createPublicClient({ transport: http(h.deployment.rpcUrl) });
      const chainNow = Number((await client.getBlock()).timestamp);
      const state = await h.chain.signingKey(old.address);
      expect(state.validUntil).to.be.at.most(chainNow);
      for (const id of [...m.credentials, after.id]) {
        const report = await verify(m, id);
        expect(report.verified, `${id}: ${JSON.stringify(report.checks)}`).to.equal(true);
      }
      expect((await verify(m, after.id)).credential?.signer?.toLowerCase()).to.equal(
        next.address.toLowerCase(),
      );
      // The old key can no longer sign: the registry refuses a request it signed now.
      const signer = openOrganisationKey(
        h.keyring,
        (await h.store.organisationKeys.get(m.organisation.id, old.address))!,
      );
      const now = chainNow;
      const valid = await client.readContract({
        address: h.deployment.registry,
        abi: intygRegistryAbi,
        functionName: "isKeyValidAt",
        args: [signer.address, m.organisation.chainOrganisationId, now + 1],
      });
      expect(valid).to.equal(false);
      m.credentials.push(after.id);
    });

    it("a compromised key is removed at once and what it signed since then is revoked (keyCompromise)", async () => {
      const m = members[2]!;
      const key = (await keysOf(m)).find((k) => k.current)!;
      const result = await expectJson<{ key: Key; credentials: string[]; revocationsRequested: number }>(
        await call(m, "POST", `/v1/organisation/keys/${key.address}/compromised`, {
          since: new Date(Date.now() - 3600_000).toISOString(),
          revoke: true,
        }),
        200,
      );
      expect(result.key.status).to.equal("compromised");
      expect(result.key.current).to.equal(false);
      expect([...result.credentials].sort()).to.deep.equal([...m.credentials].sort());
      expect(result.revocationsRequested).to.equal(m.credentials.length);
      await drain();
      for (const id of m.credentials) {
        const report = await verify(m, id);
        expect(report.verified).to.equal(false);
        expect(report.checks.find((c) => c.id === "revocation")?.status).to.equal("failed");
        const stored = await h.store.credentials.get(m.organisation.id, id);
        expect(stored).to.include({ revocationReason: "keyCompromise", revocationStatus: "confirmed" });
      }
      // With no current key, the organisation is told to make one, not left with a transaction that reverts.
      await expectProblem(
        await call(m, "POST", `/v1/events/${m.eventId}/credentials`, {
          subject: { name: "X" },
          holder: privateKeyToAccount(generatePrivateKey()).address,
        }),
        409,
      );
      // The other organisations are untouched.
      const report = await verify(members[0]!, members[0]!.credentials[0]!);
      expect(report.verified).to.equal(true);
    });

    it("every step is in the audit log with who did it and which transaction", async () => {
      const log = await expectJson<{
        items: { action: string; actor: string; txHash: string | null; key: string }[];
      }>(await call(members[1]!, "GET", "/v1/organisation/keys/audit"), 200);
      const actions = log.items.map((e) => e.action);
      expect(actions).to.include.members(["created", "authorised", "made-current", "retired"]);
      expect(log.items.find((e) => e.action === "authorised")!.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(log.items.find((e) => e.action === "retired")!.actor).to.match(/^api-key:/);
      const other = await expectJson<{ items: { action: string }[] }>(
        await call(members[2]!, "GET", "/v1/organisation/keys/audit"),
        200,
      );
      expect(other.items.map((e) => e.action)).to.include.members([
        "compromised",
        "removed",
        "credentials-revoked",
      ]);
    });

    it("no organisation's key ever holds ether: each organisation's own relayer sent everything its keys signed", async () => {
      const client = createPublicClient({ transport: http(h.deployment.rpcUrl) });
      const relayers: string[] = [];
      for (const [i, m] of members.entries()) {
        const keys = [...(await keysOf(m)).map((k) => k.address), privateKeyToAccount(adminKeys[i]!).address];
        for (const key of keys) expect(await client.getBalance({ address: key }), key).to.equal(0n);
        const hashes = new Set<Hex>();
        const ops = await h.store.db.query<{ tx_hashes: Hex[] | string }>(
          "SELECT tx_hashes FROM chain_operations WHERE organisation_id = $1",
          [m.organisation.id],
        );
        for (const op of ops)
          for (const hash of typeof op.tx_hashes === "string" ? JSON.parse(op.tx_hashes) : op.tx_hashes)
            hashes.add(hash);
        const audit = await expectJson<{ items: { txHash: Hex | null }[] }>(
          await call(m, "GET", "/v1/organisation/keys/audit"),
          200,
        );
        for (const entry of audit.items) if (entry.txHash) hashes.add(entry.txHash);
        // Events, batches, key authorisations and (for the third) removals and revocations.
        expect(hashes.size).to.be.at.least(3);
        const senders = new Set<string>();
        for (const hash of hashes) senders.add((await client.getTransaction({ hash })).from.toLowerCase());
        expect([...senders], m.organisation.name).to.have.length(1);
        const relayer = [...senders][0]!;
        expect(keys.map((k) => k.toLowerCase())).to.not.include(relayer);
        relayers.push(relayer);
      }
      // One relayer each: one organisation's stuck transaction cannot hold up another's nonces.
      expect(new Set(relayers).size).to.equal(members.length);
    });

    it("a key authorisation cut short (recorded, never settled) is finished by the worker", async () => {
      const m = members[0]!;
      const fresh = generateOrganisationKey(h.keyring, m.organisation.id, "signing");
      await h.store.organisationKeys.create(fresh, { actor: "test", details: null });
      // As a crash right after the step was recorded would leave it.
      await h.store.organisationKeys.update(
        m.organisation.id,
        fresh.address,
        { status: "authorising" },
        null,
      );
      // Just recorded: a request (of another replica) may still be sending it, so the worker leaves it alone.
      await h.worker.runOnce();
      expect((await h.store.organisationKeys.get(m.organisation.id, fresh.address))?.status).to.equal(
        "authorising",
      );
      // Left alone for a while: the worker takes it over.
      await h.store.db.query(
        "UPDATE organisation_keys SET updated_at = updated_at - interval '1 minute' WHERE address = $1",
        [fresh.address],
      );
      await h.worker.runOnce();
      const stored = await h.store.organisationKeys.get(m.organisation.id, fresh.address);
      expect(stored?.status).to.equal("active");
      expect((await h.chain.signingKey(fresh.address)).organisationId).to.equal(
        m.organisation.chainOrganisationId,
      );
    });

    it("keys at rest are not readable without the KEK", async () => {
      const rows = await h.store.db.query<Record<string, unknown>>("SELECT * FROM organisation_keys");
      const dump = JSON.stringify(rows).toLowerCase();
      for (const key of adminKeys) expect(dump).not.to.include(key.slice(2).toLowerCase());
      const stored = (await h.store.organisationKeys.current(members[0]!.organisation.id, "admin"))!;
      const otherKek = keyringFromText(`other:${Buffer.alloc(32, 7).toString("base64")}`);
      expect(() => openOrganisationKey(otherKek, stored)).to.throw();
      expect(openOrganisationKey(h.keyring, stored).address).to.equal(
        privateKeyToAccount(adminKeys[0]!).address,
      );
    });
  });
}

describe("organisation keys in the embedded database's files", () => {
  it("no file of the data directory holds a private key, in hex or in bytes", async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(path.join(tmpdir(), "intyg-keys-"));
    try {
      const store = await createStore({ dataDir: dir });
      const keyring = keyringFromText(`disk:${Buffer.alloc(32, 3).toString("base64")}`);
      const organisation = await store.organisations.create({
        name: "Disk",
        chainOrganisationId: 9,
        profile: {},
      });
      const privateKey = generatePrivateKey();
      await importKey({ store, keys: createKeyDirectory({ store, keyring }) }, organisation, {
        role: "signing",
        privateKey,
        actor: "test",
      });
      await store.db.query("CHECKPOINT");
      await store.close();
      const hex = Buffer.from(privateKey.slice(2).toLowerCase());
      const bytes = Buffer.from(privateKey.slice(2), "hex");
      const files: string[] = [];
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const p = path.join(d, name);
          if (statSync(p).isDirectory()) walk(p);
          else files.push(p);
        }
      };
      walk(dir);
      expect(files.length).to.be.greaterThan(10);
      for (const file of files) {
        const content = readFileSync(file);
        expect(content.includes(hex), file).to.equal(false);
        expect(content.includes(bytes), file).to.equal(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
