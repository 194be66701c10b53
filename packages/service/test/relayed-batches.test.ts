// An organisation's batch is relayed as its key's signed request for the root (the key holds no ether). When that
// request has expired before it could be sent — a long outage — the worker signs the root again, stores the new
// proof in every member, and relays that: the credentials stay the same and verify.

import { verifyCredentials } from "@intyg/verifier";
import { expect } from "chai";
import { createPublicClient, type Hex, http } from "viem";
import { type ChainClient, createChainClient } from "../src/chain/client";
import type { Clock } from "../src/clock";
import { createEvent } from "../src/events";
import { signedDocument } from "../src/http/present";
import { prepareCredentials } from "../src/issuance";
import { organisationSigner } from "../src/keys/directory";
import { createSigningKey, importKey } from "../src/keys/lifecycle";
import type { Signer } from "../src/signer";
import type { Organisation } from "../src/store/types";
import { startWorker } from "../src/worker/worker";
import { CONFERENCE, createHarness, type Harness } from "./helpers/harness";
import { accreditOrganisation } from "./helpers/organisations";
import { type RpcProxy, startRpcProxy } from "./helpers/rpc-proxy";

const TTL_SECONDS = 3600;

describe("an organisation's relayed batches and singles (pglite)", function () {
  this.timeout(180_000);
  let h: Harness;
  let proxy: RpcProxy;
  let chain: ChainClient;
  // The service's clock, moved ahead by the test (the chain keeps its own time).
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  before(async () => {
    h = await createHarness("pglite", {
      clock,
      config: { worker: { retryBaseMs: 10, retryMaxMs: 10, requestTtlSeconds: TTL_SECONDS } as never },
    });
    proxy = await startRpcProxy(h.deployment.rpcUrl);
    chain = await createChainClient({
      rpcUrl: proxy.url,
      registry: h.deployment.registry,
      signer: h.signer,
      chainId: h.deployment.chainId,
      pollingIntervalMs: 50,
      retryCount: 0,
    });
  });
  after(async () => {
    await proxy?.close();
    await h?.close();
  });

  let organisation: Organisation;
  let event: Awaited<ReturnType<typeof createEvent>>;

  /** Stores the organisation's credentials for `attendees` as an issuance request would, signed by `signer`. */
  async function issue(signer: Signer, attendees: Parameters<typeof prepareCredentials>[1]) {
    const { credentials } = await prepareCredentials(
      {
        anchorage: { chainId: chain.chainId, registry: chain.registry },
        organisation,
        event,
        signer: async () => signer,
        clock,
        requestTtlSeconds: TTL_SECONDS,
        publicUrl: h.config.publicUrl,
      },
      attendees,
    );
    await h.store.issuance.commit({
      organisationId: organisation.id,
      requestHash: "",
      response: { status: 201, body: {} },
      credentials,
    });
    return credentials;
  }

  it("signs the root again, stores the new proof in every member, relays it, and every member verifies", async () => {
    const accredited = await accreditOrganisation(h.deployment, {
      name: "Västkom",
      organisationNumber: "802479-3831",
    });
    organisation = await h.store.organisations.create({
      name: accredited.profile.name,
      chainOrganisationId: accredited.chainOrganisationId,
      profile: accredited.profile,
    });
    const deps = { ...h, chain };
    await importKey(deps, organisation, {
      role: "admin",
      privateKey: accredited.adminKey,
      actor: "operator",
    });
    await createSigningKey(deps, organisation, { actor: "operator", makeCurrent: true });
    event = await createEvent(deps, organisation, { kind: "event", details: CONFERENCE });
    const { signer } = await organisationSigner(deps, organisation);
    await issue(
      signer,
      Array.from({ length: 3 }, (_, i) => ({ subject: { name: `Deltagare ${i}` } })),
    );

    // The first relay of the batch never reaches the node.
    proxy.inject({
      fault: { kind: "rpc-error", code: -32000, message: "node unavailable" },
      methods: ["eth_sendRawTransaction"],
      times: 1,
    });
    const worker = startWorker(deps, { mail: false, autoStart: false });
    await worker.runOnce();
    const [built] = await h.store.anchoring.listBatches(organisation.id);
    expect(built!.status).to.equal("sending");
    const first = { signature: built!.signature, deadline: built!.deadline };

    // A long outage: by the service's clock the request has expired.
    offsetMs = (TTL_SECONDS + 120) * 1000;
    for (let pass = 0; (await h.store.anchoring.outstanding()) > 0; pass++) {
      if (pass > 20) throw new Error("the batch was not anchored in 20 passes");
      await worker.runOnce();
    }
    await worker.stop();

    const [anchored] = await h.store.anchoring.listBatches(organisation.id);
    expect(anchored!.status).to.equal("anchored");
    expect(anchored!.signature).to.not.equal(first.signature);
    expect(anchored!.deadline).to.be.greaterThan(first.deadline + TTL_SECONDS);
    const members = await h.store.anchoring.batchMembers(anchored!.id);
    const documents = members.map((member) => signedDocument(member)) as {
      anchor: unknown;
      proof: { proofValue: string; eip712: { message: { deadline: string } } }[];
    }[];
    for (const document of documents) {
      expect(document.proof[0]!.proofValue).to.equal(anchored!.signature);
      expect(Number(document.proof[0]!.eip712.message.deadline)).to.equal(anchored!.deadline);
      // The sections stay in the order signing gives them: anchor, then proof.
      expect(Object.keys(document).slice(-2)).to.deep.equal(["anchor", "proof"]);
    }
    const reports = await verifyCredentials(documents, {
      rpcUrl: h.deployment.rpcUrl,
      registry: h.deployment.registry as Hex,
    });
    expect(reports.filter((report) => !report.verified)).to.deep.equal([]);
    // Relayed: the signing key never held ether.
    const client = createPublicClient({ transport: http(h.deployment.rpcUrl) });
    expect(await client.getBalance({ address: signer.address })).to.equal(0n);
  });

  it("tops up the organisation's relayer before relaying a holder's single when it has run dry", async () => {
    const deps = { ...h, chain };
    const { signer, chain: keyed } = await organisationSigner(deps, organisation);
    const credentials = await issue(signer, [
      { subject: { name: "Plånbok" }, holder: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
    ]);
    const client = createPublicClient({ transport: http(h.deployment.rpcUrl) });
    // The relayer has spent what it had.
    await client.request({
      method: "hardhat_setBalance" as never,
      params: [keyed.relayerAddress, "0x0"] as never,
    });
    const worker = startWorker({ ...deps, chain: await freshClient() }, { mail: false, autoStart: false });
    for (let pass = 0; (await h.store.anchoring.outstanding()) > 0; pass++) {
      if (pass > 10) throw new Error("the single was not anchored in 10 passes");
      await worker.runOnce();
    }
    await worker.stop();
    expect((await h.store.credentials.get(organisation.id, credentials[0]!.id))?.status).to.equal("anchored");
    expect((await client.getBalance({ address: keyed.relayerAddress })) > 0n).to.equal(true);
    expect(await client.getBalance({ address: signer.address })).to.equal(0n);
  });

  /** A chain client as a new process has it (nothing remembered of balances or nonces). */
  const freshClient = () =>
    createChainClient({
      rpcUrl: h.deployment.rpcUrl,
      registry: h.deployment.registry,
      signer: h.signer,
      chainId: h.deployment.chainId,
      pollingIntervalMs: 50,
    });
});
