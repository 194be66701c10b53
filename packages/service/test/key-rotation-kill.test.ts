// A key rotation (create a key, authorise it on chain with the organisation's admin key, make it current) in the
// real service, in a child process on PostgreSQL, killed with SIGKILL at four points: while the admin key is
// readied (before anything is sent), before the authorisation reaches the node, after the node mined it
// but before the service recorded it, and right after the key was made current. After each restart the key is
// either fully usable or authorising and then settled by the worker (never current before it is authorised),
// the audit log tells what happened, issuance goes on, and every credential verifies with the verifier library,
// signed by a key the registry shows authorised.

import { randomBytes } from "node:crypto";
import { intygForwarderAbi } from "@intyg/registry";
import { verifyCredentials } from "@intyg/verifier";
import { expect } from "chai";
import { type Address, decodeFunctionData, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ChainClient, createChainClient, organisationRelayer } from "../src/chain/client";
import { systemClock } from "../src/clock";
import { signedDocument } from "../src/http/present";
import { createKeyDirectory, type KeyDirectory } from "../src/keys/directory";
import { createSigningKey, importKey } from "../src/keys/lifecycle";
import { silentLogger } from "../src/logger";
import { keyringFromText } from "../src/privacy/keyring";
import { privateKeySigner } from "../src/signer";
import { createStore, type OrganisationKeyRecord, type Store } from "../src/store/store";
import type { Organisation } from "../src/store/types";
import { type Deployment, deployFresh } from "./helpers/chain";
import { CONFERENCE, eventually } from "./helpers/harness";
import { rpc } from "./helpers/onchain";
import { accreditOrganisation } from "./helpers/organisations";
import { type Child, runTs } from "./helpers/process";
import { type RpcProxy, startRpcProxy } from "./helpers/rpc-proxy";
import { TEST_DATABASE_URL } from "./helpers/stores";

type Running = { child: Child; url: string };

async function adminQuery(sql: string): Promise<void> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("kill -9 during a key rotation (the real service in a child process, postgres)", function () {
  // Five service processes start and load TypeScript: slow on a busy machine.
  this.timeout(600_000);
  const database = `intyg_rotation_${process.pid}_${randomBytes(4).toString("hex")}`;
  const databaseUrl = (() => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    return url.toString();
  })();
  let deployment: Deployment;
  let store: Store;
  let chain: ChainClient;
  let keys: KeyDirectory;
  let proxy: RpcProxy;
  let organisation: Organisation;
  let admin: Address;
  let relayer: Address;
  let apiKey: string;
  let eventId: string;
  const children: Child[] = [];
  const issued: string[] = [];
  let running: Running | null = null;

  async function start(): Promise<Running> {
    const child = runTs("src/main.ts", [], {
      DATABASE_URL: databaseUrl,
      PORT: "0",
      INTYG_RPC_URL: proxy.url,
      INTYG_REGISTRY: deployment.registry,
      INTYG_SIGNER_KEY: deployment.signerKey,
      INTYG_WORKER_POLL_MS: "100",
      INTYG_RETRY_BASE_MS: "100",
      INTYG_RETRY_MAX_MS: "1000",
      LOG_LEVEL: "info",
    });
    children.push(child);
    const url = (await child.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/, 120_000))[1]!;
    running = { child, url };
    return running;
  }
  async function kill(): Promise<void> {
    if (!running) return;
    running.child.process.kill("SIGKILL");
    expect(await running.child.exited).to.equal("SIGKILL");
    running = null;
  }
  function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (!running) throw new Error("no service running");
    return fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
  async function json<T>(response: Response | Promise<Response>, status: number): Promise<T> {
    const answer = await response;
    const text = await answer.text();
    if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  async function issue(tag: string, n = 3): Promise<void> {
    const result = await json<{ credentials: { id: string }[] }>(
      call(
        "POST",
        `/v1/events/${eventId}/credentials/bulk`,
        { attendees: Array.from({ length: n }, (_, i) => ({ subject: { name: `${tag} ${i}` } })) },
        { "idempotency-key": `issue-${issued.length}` },
      ),
      201,
    );
    issued.push(...result.credentials.map((c) => c.id));
  }
  const signingKeys = () => store.organisationKeys.list(organisation.id, "signing");
  const currentKey = async () => (await store.organisationKeys.current(organisation.id, "signing"))!.address;
  /** The newest signing key (the one a rotation in progress created). */
  const newest = async () => (await signingKeys())[0]!;
  const authorisedOnChain = async (address: Address) =>
    Number((await chain.signingKey(address)).organisationId) === organisation.chainOrganisationId;
  const auditOf = async (address: Address) =>
    (await store.organisationKeys.auditLog(organisation.id, 1000))
      .filter((entry) => entry.keyAddress.toLowerCase() === address.toLowerCase())
      .reverse();
  const operationOf = async (key: OrganisationKeyRecord) =>
    (
      await store.db.query<{ status: string; tx_hashes: Hex[] }>(
        "SELECT status, tx_hashes FROM chain_operations WHERE kind = 'key-authorisation' AND subject_id = $1",
        [key.id],
      )
    )[0];
  /** The key is authorised on chain, active in the store, and its audit log says created then authorised. */
  async function expectUsable(key: OrganisationKeyRecord): Promise<void> {
    const now = (await store.organisationKeys.get(organisation.id, key.address))!;
    expect(now.status, `${key.address} status`).to.equal("active");
    expect(await authorisedOnChain(key.address)).to.equal(true);
    expect(now.authorisationTxHash, "the authorisation's transaction").to.match(/^0x[0-9a-f]{64}$/);
    const receipt = (await rpc(deployment.rpcUrl, "eth_getTransactionReceipt", [
      now.authorisationTxHash,
    ])) as {
      status: string;
      from: string;
    };
    expect(receipt.status).to.equal("0x1");
    expect(receipt.from.toLowerCase()).to.equal(relayer.toLowerCase());
    // What the relayer sent is the admin's request, through the registry's forwarder.
    const sent = (await rpc(deployment.rpcUrl, "eth_getTransactionByHash", [now.authorisationTxHash])) as {
      input: Hex;
    };
    const { functionName, args } = decodeFunctionData({ abi: intygForwarderAbi, data: sent.input });
    expect(functionName).to.equal("execute");
    expect((args![0] as { from: Address }).from.toLowerCase()).to.equal(admin.toLowerCase());
    const actions = (await auditOf(key.address)).map((entry) => entry.action);
    expect(actions.slice(0, 2)).to.deep.equal(["created", "authorised"]);
    const authorised = (await auditOf(key.address)).find((entry) => entry.action === "authorised")!;
    expect(authorised.txHash).to.equal(now.authorisationTxHash);
    expect(actions.filter((a) => a === "authorised")).to.have.length(1);
  }
  /** A key a kill cut short: not current, no "authorised" entry, and the worker settles it after a restart. */
  async function expectCutShort(key: OrganisationKeyRecord, previous: Address): Promise<void> {
    const now = (await store.organisationKeys.get(organisation.id, key.address))!;
    expect(now.status).to.equal("authorising");
    expect(now.current).to.equal(false);
    expect(await currentKey()).to.equal(previous);
    expect((await auditOf(key.address)).map((entry) => entry.action)).to.deep.equal(["created"]);
  }

  before(async () => {
    deployment = await deployFresh();
    await adminQuery(`CREATE DATABASE ${database}`);
    // The children inherit INTYG_KEK (test/setup.ts): this store opens what they seal, and they what it seals.
    store = await createStore({ databaseUrl });
    const keyring = keyringFromText(process.env.INTYG_KEK!);
    keys = createKeyDirectory({ store, keyring });
    chain = await createChainClient({
      rpcUrl: deployment.rpcUrl,
      registry: deployment.registry,
      signer: privateKeySigner(deployment.signerKey),
      chainId: deployment.chainId,
      pollingIntervalMs: 50,
    });
    const accredited = await accreditOrganisation(deployment, {
      name: "Västra Götalandsregionen",
      organisationNumber: "232100-0131",
    });
    admin = privateKeyToAccount(accredited.adminKey).address;
    // The admin key only signs: the organisation's relayer (derived from the service's key) sends and pays.
    relayer = organisationRelayer(
      privateKeySigner(deployment.signerKey),
      deployment.chainId,
      deployment.registry,
      accredited.chainOrganisationId,
    )!.address;
    organisation = await store.organisations.create({
      name: accredited.profile.name,
      chainOrganisationId: accredited.chainOrganisationId,
      profile: accredited.profile,
    });
    apiKey = (await store.apiKeys.create(organisation.id, "admin", "admin")).secret;
    const deps = { store, chain, keys, clock: systemClock, logger: silentLogger() };
    await importKey(deps, organisation, {
      role: "admin",
      privateKey: accredited.adminKey,
      actor: "operator",
    });
    await createSigningKey(deps, organisation, { actor: "operator", makeCurrent: true });
    proxy = await startRpcProxy(deployment.rpcUrl);
  });
  after(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    await proxy?.close();
    await store?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it("killed while the admin key is readied (before anything is sent): nothing half-done, the request is retried", async () => {
    await start();
    eventId = (
      await json<{ id: string }>(call("POST", "/v1/events", { kind: "event", details: CONFERENCE }), 201)
    ).id;
    await issue("forst");
    const before = await currentKey();
    const known = new Set((await signingKeys()).map((k) => k.address));
    // The organisation's relayer's balance is never answered (its top-up check before the admin's request): the
    // service is killed there.
    proxy.inject({
      fault: { kind: "hang", ms: 600_000 },
      methods: ["eth_getBalance"],
      contains: relayer,
      times: Number.POSITIVE_INFINITY,
    });
    void call("POST", "/v1/organisation/keys", {}).catch(() => undefined);
    await eventually(async () => (proxy.calls.some((c) => c.fault === "hang") ? true : undefined), 60_000);
    await kill();
    proxy.clear();

    // No key is left "created" with nothing to take it further: none was stored, or one being authorised.
    const stray = (await signingKeys()).filter((k) => !known.has(k.address));
    for (const key of stray) await expectCutShort(key, before);
    expect(await currentKey()).to.equal(before);

    await start();
    for (const key of stray) {
      await eventually(
        async () =>
          (await store.organisationKeys.get(organisation.id, key.address))?.status === "active"
            ? true
            : undefined,
        90_000,
      );
      await json(call("POST", `/v1/organisation/keys/${key.address}/current`), 200);
    }
    if (stray.length === 0) {
      // The caller retries the rotation.
      const retried = await json<{ key: { current: boolean } }>(
        call("POST", "/v1/organisation/keys", {}),
        201,
      );
      expect(retried.key.current).to.equal(true);
    }
    expect((await signingKeys()).filter((k) => !known.has(k.address))).to.have.length(1);
    await expectUsable(await newest());
    expect(await currentKey()).to.equal((await newest()).address);
    await issue("efter-0");
  });

  it("killed before the authorisation reaches the node: the key is authorising, then settled by the worker", async () => {
    await issue("fore");
    const before = await currentKey();
    // The organisation's relayer's sends never reach the node: the service is killed while it sends the
    // admin's authorisation.
    proxy.inject({
      fault: { kind: "hang", ms: 600_000 },
      methods: ["eth_sendRawTransaction"],
      from: relayer,
      // The admin's request (its address is in the forwarded call), not the signing key's batches it also sends.
      contains: admin.slice(2),
      times: Number.POSITIVE_INFINITY,
    });
    const calls = proxy.calls.length;
    void call("POST", "/v1/organisation/keys", {}).catch(() => undefined);
    await eventually(
      async () => (proxy.calls.slice(calls).some((c) => c.fault === "hang") ? true : undefined),
      60_000,
    );
    await kill();
    proxy.clear();

    const key = await newest();
    await expectCutShort(key, before);
    expect(await authorisedOnChain(key.address)).to.equal(false);
    // Recorded before it was sent; the node never saw it.
    const operation = (await operationOf(key))!;
    expect(operation.status).to.equal("sending");
    expect(operation.tx_hashes).to.have.length(1);
    expect(await rpc(deployment.rpcUrl, "eth_getTransactionByHash", [operation.tx_hashes[0]])).to.equal(null);
    // Nothing the killed service signed since is signed by the unauthorised key.
    const signers = await store.db.query<{ signing_key: string | null }>(
      "SELECT DISTINCT signing_key FROM credentials WHERE organisation_id = $1",
      [organisation.id],
    );
    expect(signers.map((row) => row.signing_key?.toLowerCase())).to.not.include(key.address.toLowerCase());

    // Restarted: the worker sends it again (the first never arrived) and settles it; the caller makes it current.
    await start();
    await eventually(
      async () =>
        (await store.organisationKeys.get(organisation.id, key.address))?.status === "active"
          ? true
          : undefined,
      90_000,
    );
    await expectUsable(key);
    expect(await currentKey()).to.equal(before);
    await issue("mellan");
    const current = await json<{ status: string; current: boolean }>(
      call("POST", `/v1/organisation/keys/${key.address}/current`),
      200,
    );
    expect(current).to.include({ status: "active", current: true });
    await issue("efter-1");
  });

  it("killed after the node mined the authorisation, before the service recorded it: settled from the chain", async () => {
    const before = await currentKey();
    // The authorisation reaches the node (and is mined); its answer never comes back, and the service is killed.
    proxy.inject({
      fault: { kind: "hang", ms: 600_000, forward: true },
      methods: ["eth_sendRawTransaction"],
      from: relayer,
      // The admin's request (its address is in the forwarded call), not the signing key's batches it also sends.
      contains: admin.slice(2),
      times: 1,
    });
    const sends = proxy.calls.length;
    void call("POST", "/v1/organisation/keys", {}).catch(() => undefined);
    await eventually(
      async () => (proxy.calls.slice(sends).some((c) => c.fault === "hang") ? true : undefined),
      60_000,
    );
    const key = await newest();
    await eventually(async () => ((await authorisedOnChain(key.address)) ? true : undefined), 30_000);
    await kill();

    await expectCutShort(key, before);
    const operation = (await operationOf(key))!;
    expect(operation.status).to.equal("sending");
    const mined = (await rpc(deployment.rpcUrl, "eth_getTransactionReceipt", [operation.tx_hashes[0]])) as {
      status: string;
    } | null;
    expect(mined?.status).to.equal("0x1");

    await start();
    await eventually(
      async () =>
        (await store.organisationKeys.get(organisation.id, key.address))?.status === "active"
          ? true
          : undefined,
      90_000,
    );
    await expectUsable(key);
    // Settled with the transaction that was mined, not sent again.
    expect((await store.organisationKeys.get(organisation.id, key.address))!.authorisationTxHash).to.equal(
      operation.tx_hashes[0],
    );
    expect(await currentKey()).to.equal(before);
    await json(call("POST", `/v1/organisation/keys/${key.address}/current`), 200);
    await issue("efter-2");
  });

  it("killed right after the key was made current: it stays current and signs what is issued next", async () => {
    const created = await json<{ key: { address: Address; current: boolean; status: string } }>(
      call("POST", "/v1/organisation/keys", {}),
      201,
    );
    await kill();
    expect(created.key).to.include({ status: "active", current: true });
    const key = (await store.organisationKeys.get(organisation.id, created.key.address))!;
    await expectUsable(key);
    expect(await currentKey()).to.equal(key.address);

    await start();
    await issue("efter-3");
  });

  it("ends with every credential anchored and verified, each signed by a key the registry shows authorised", async () => {
    await eventually(
      async () => {
        const rows = await store.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM credentials WHERE organisation_id = $1 AND status <> 'anchored'",
          [organisation.id],
        );
        return Number(rows[0]!.n) === 0 ? true : undefined;
      },
      120_000,
      200,
    );
    const keysNow = await signingKeys();
    expect(keysNow).to.have.length(5);
    expect(keysNow.map((k) => k.status)).to.deep.equal(Array(5).fill("active"));
    expect(keysNow.filter((k) => k.current).map((k) => k.address)).to.deep.equal([keysNow[0]!.address]);
    for (const key of keysNow) await expectUsable(key);
    // Made current in order, each once (the first by the operator at setup).
    const signing = new Set(keysNow.map((k) => k.address));
    const log = (await store.organisationKeys.auditLog(organisation.id, 1000)).reverse();
    expect(
      log.filter((e) => e.action === "made-current" && signing.has(e.keyAddress)).map((e) => e.keyAddress),
    ).to.deep.equal([...keysNow].reverse().map((k) => k.address));
    // One authorisation operation per key, each settled with the transaction the chain mined: a step resumed
    // after a kill continued the operation it had recorded, it did not start a second one beside it.
    const operations = await store.db.query<{
      subject_id: string;
      status: string;
      mined_tx_hash: string | null;
    }>("SELECT subject_id, status, mined_tx_hash FROM chain_operations WHERE kind = 'key-authorisation'");
    expect(operations).to.have.length(5);
    for (const key of keysNow) {
      const operation = operations.find((o) => o.subject_id === key.id)!;
      expect(operation).to.include({ status: "done", mined_tx_hash: key.authorisationTxHash });
    }
    expect(
      await store.db.query(
        "SELECT kind FROM chain_operations WHERE status <> 'done' AND organisation_id = $1",
        [organisation.id],
      ),
    ).to.deep.equal([]);

    const documents: unknown[] = [];
    const signers = new Set<string>();
    for (const batch of await store.anchoring.listBatches(organisation.id)) {
      expect(batch.status).to.equal("anchored");
      for (const member of await store.anchoring.batchMembers(batch.id)) {
        documents.push(signedDocument(member));
        signers.add(member.signingKey!.toLowerCase());
      }
    }
    expect(documents).to.have.length(issued.length);
    // Issued under each of the five keys in turn.
    const bySigner = await store.db.query<{ signing_key: string; n: number }>(
      "SELECT signing_key, count(*)::int AS n FROM credentials WHERE organisation_id = $1 GROUP BY signing_key",
      [organisation.id],
    );
    expect(signers.size, `credentials per signing key: ${JSON.stringify(bySigner)}`).to.equal(5);
    for (const signer of signers) expect(await authorisedOnChain(signer as Address)).to.equal(true);
    const reports = await verifyCredentials(documents, {
      rpcUrl: deployment.rpcUrl,
      registry: deployment.registry,
    });
    expect(
      reports.filter((r) => !r.verified).map((r) => r.checks.filter((c) => c.status === "failed")),
    ).to.deep.equal([]);
    running?.child.process.kill("SIGTERM");
    if (running) expect(await running.child.exited).to.equal(0);
    running = null;
  });
});
