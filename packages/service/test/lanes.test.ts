// Two organisations on one service, each sending from its own key: one organisation's transactions stick (its
// key's sends never get an answer from the node, as an RPC that times out for that key) while the other's batch
// is anchored within seconds — the worker runs each organisation in a lane of its own. Then the stuck
// organisation recovers and every credential of both verifies.

import { verifyCredentials } from "@intyg/verifier";
import { expect } from "chai";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ChainClient, createChainClient } from "../src/chain/client";
import { createEvent } from "../src/events";
import { signedDocument } from "../src/http/present";
import { prepareCredentials } from "../src/issuance";
import { organisationSigner } from "../src/keys/directory";
import { createSigningKey, importKey } from "../src/keys/lifecycle";
import type { EventRecord, Organisation } from "../src/store/types";
import { startWorker, type Worker } from "../src/worker/worker";
import { CONFERENCE, createHarness, eventually, type Harness } from "./helpers/harness";
import { accreditOrganisation } from "./helpers/organisations";
import { type RpcProxy, startRpcProxy } from "./helpers/rpc-proxy";
import { STORE_KINDS } from "./helpers/stores";

/** A second organisation, accredited on chain, sending from its own signing key (authorised by its admin key). */
async function secondOrganisation(h: Harness, chain: ChainClient): Promise<Organisation> {
  const accredited = await accreditOrganisation(h.deployment, {
    name: "Västkom",
    organisationNumber: "802479-3831",
  });
  const organisation = await h.store.organisations.create({
    name: accredited.profile.name,
    chainOrganisationId: accredited.chainOrganisationId,
    profile: accredited.profile,
  });
  const deps = { ...h, chain };
  await importKey(deps, organisation, { role: "admin", privateKey: accredited.adminKey, actor: "operator" });
  await createSigningKey(deps, organisation, { actor: "operator", makeCurrent: true });
  return organisation;
}

/** Stores `n` pending batch credentials of `organisation` for `event`, signed by its current key. */
async function queue(
  h: Harness,
  chain: ChainClient,
  organisation: Organisation,
  event: EventRecord,
  n: number,
): Promise<string[]> {
  const { signer } = await organisationSigner({ ...h, chain }, organisation);
  const { credentials } = await prepareCredentials(
    {
      anchorage: { chainId: chain.chainId, registry: chain.registry },
      organisation,
      event,
      signer: async () => signer,
      clock: h.clock,
      requestTtlSeconds: 3600,
      publicUrl: h.config.publicUrl,
    },
    Array.from({ length: n }, (_, i) => ({ subject: { name: `Deltagare ${i}` } })),
  );
  await h.store.issuance.commit({
    organisationId: organisation.id,
    requestHash: "",
    response: { status: 201, body: {} },
    credentials,
  });
  return credentials.map((c) => c.id);
}

const statusesOf = async (h: Harness, ids: string[]) =>
  (
    await h.store.db.query<{ status: string }>("SELECT status FROM credentials WHERE id = ANY($1::uuid[])", [
      ids,
    ])
  ).map((row) => row.status);

for (const kind of STORE_KINDS) {
  describe(`one organisation's stuck transactions do not hold up another's (${kind})`, function () {
    this.timeout(180_000);
    let h: Harness;
    let proxy: RpcProxy;
    let chain: ChainClient;
    let worker: Worker | null = null;

    before(async () => {
      h = await createHarness(kind, { config: { worker: { retryBaseMs: 200, retryMaxMs: 1000 } as never } });
      proxy = await startRpcProxy(h.deployment.rpcUrl);
      // The worker reaches the node through the proxy; a send that gets no answer times out after 15 s.
      chain = await createChainClient({
        rpcUrl: proxy.url,
        registry: h.deployment.registry,
        signer: h.signer,
        chainId: h.deployment.chainId,
        pollingIntervalMs: 50,
        requestTimeoutMs: 15_000,
        retryCount: 0,
        receiptTimeoutMs: 15_000,
      });
    });
    after(async () => {
      await worker?.stop({ abandon: true });
      await proxy?.close();
      await h?.close();
    });

    it("anchors the other organisation's batch within seconds, then the stuck one's once its key's sends get through", async () => {
      // Organisation A signs and sends with the service's key; organisation B with its own key.
      const a = h.organisation;
      const b = await secondOrganisation(h, chain);
      const eventA = await createEvent({ ...h, chain }, a, { kind: "event", details: CONFERENCE });
      const eventB = await createEvent({ ...h, chain }, b, {
        kind: "event",
        details: { ...CONFERENCE, name: `${CONFERENCE.name} – Västkom` },
      });
      // A's credentials are older: the first to be built and sent.
      const idsA = await queue(h, chain, a, eventA, 5);
      const idsB = await queue(h, chain, b, eventB, 5);
      const serviceKey = privateKeyToAccount(h.deployment.signerKey).address;
      proxy.inject({
        fault: { kind: "hang", ms: 120_000 },
        methods: ["eth_sendRawTransaction"],
        from: serviceKey,
        times: Number.POSITIVE_INFINITY,
      });

      const started = Date.now();
      worker = startWorker({ ...h, chain }, { mail: false });
      await eventually(
        async () => ((await statusesOf(h, idsB)).every((s) => s === "anchored") ? true : undefined),
        8000,
        50,
      );
      const tookB = Date.now() - started;
      // A is still stuck: its batch's send has not been answered (on a loaded machine A's lane may reach its send
      // only after B is done: wait for it, and A's credentials stay unanchored meanwhile).
      await eventually(
        async () => (proxy.calls.some((c) => c.fault === "hang") ? true : undefined),
        10_000,
        50,
      );
      expect(await statusesOf(h, idsA)).to.not.include("anchored");
      console.log(`      B anchored in ${tookB} ms while A's send hangs`);

      // A's key's sends get through again: A's batch is reconciled (never reached the node) and sent again.
      proxy.clear();
      await eventually(
        async () => ((await statusesOf(h, idsA)).every((s) => s === "anchored") ? true : undefined),
        60_000,
        100,
      );
      await worker.drain(30_000);
      await worker.stop();
      worker = null;

      const documents: unknown[] = [];
      const signers = new Set<string>();
      for (const organisation of [a, b]) {
        const batches = await h.store.anchoring.listBatches(organisation.id);
        expect(batches.map((batch) => batch.status)).to.deep.equal(["anchored"]);
        for (const batch of batches) {
          signers.add(batch.signingKey!.toLowerCase());
          for (const member of await h.store.anchoring.batchMembers(batch.id))
            documents.push(signedDocument(member));
        }
      }
      expect(signers.size).to.equal(2);
      expect(documents).to.have.length(idsA.length + idsB.length);
      const reports = await verifyCredentials(documents, {
        rpcUrl: h.deployment.rpcUrl,
        registry: h.deployment.registry as Hex,
      });
      expect(reports.filter((report) => !report.verified)).to.deep.equal([]);
    });
  });
}
