// Every JSON-RPC request is bounded: the chain client gives up on a node that never answers after its timeout
// (and its retries), and the running service takes that timeout from its environment (INTYG_RPC_TIMEOUT_MS).

import { expect } from "chai";
import { bootstrap } from "../src/bootstrap";
import { ChainRpcError, createChainClient } from "../src/chain/client";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/logger";
import { type RunningService, startService } from "../src/service";
import { privateKeySigner } from "../src/signer";
import { deployFresh, devChain } from "./helpers/chain";
import { CONFERENCE, DEMO_PROFILE } from "./helpers/harness";
import { startRpcProxy } from "./helpers/rpc-proxy";
import { openTestStore } from "./helpers/stores";

describe("chain requests against a node that never answers", function () {
  this.timeout(60_000);

  it("a call to a node that never answers fails within its timeout and retries", async () => {
    const chain = await devChain();
    const proxy = await startRpcProxy(chain.rpcUrl);
    try {
      const client = await createChainClient({
        rpcUrl: proxy.url,
        registry: "0x0000000000000000000000000000000000000001",
        signer: { address: "0x0000000000000000000000000000000000000002" } as never,
        chainId: chain.chainId,
        requestTimeoutMs: 300,
        retryCount: 2,
      });
      proxy.inject({ fault: { kind: "hang", ms: 60_000 }, times: Number.POSITIVE_INFINITY });
      const started = Date.now();
      const error = await client.blockNumber().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChainRpcError);
      expect(Date.now() - started).to.be.lessThan(5000);
      // The first try and two retries, each given up by the client.
      expect(proxy.count("eth_blockNumber")).to.equal(3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.abandonedHangs).to.equal(3);
    } finally {
      await proxy.close();
    }
  });
});

describe("the running service behind a node that stops answering", function () {
  this.timeout(60_000);

  it("bounds every chain request by INTYG_RPC_TIMEOUT_MS and anchors once the node answers again", async () => {
    const deployment = await deployFresh();
    const proxy = await startRpcProxy(deployment.rpcUrl);
    const store = await openTestStore("pglite");
    let service: RunningService | null = null;
    try {
      const { secret } = await bootstrap(
        store,
        { profile: DEMO_PROFILE, chainOrganisationId: deployment.organisationId },
        deployment,
      );
      const config = loadConfig({
        INTYG_RPC_URL: proxy.url,
        INTYG_REGISTRY: deployment.registry,
        PORT: "0",
        INTYG_RPC_TIMEOUT_MS: "400",
        INTYG_RPC_RETRIES: "1",
        INTYG_RECEIPT_TIMEOUT_MS: "3000",
        INTYG_WORKER_POLL_MS: "50",
        INTYG_RETRY_BASE_MS: "50",
        INTYG_RETRY_MAX_MS: "400",
      });
      service = await startService({
        config,
        signer: privateKeySigner(deployment.signerKey),
        store,
        logger: silentLogger(),
        verifyPage: false,
      });
      const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
      const created = await fetch(`${service.url}/v1/events`, {
        method: "POST",
        headers,
        body: JSON.stringify({ kind: "event", details: CONFERENCE }),
      });
      expect(created.status).to.equal(201);
      const event = (await created.json()) as { id: string };

      // From now on the node never answers (until the rules are cleared).
      proxy.inject({ fault: { kind: "hang", ms: 120_000 }, times: Number.POSITIVE_INFINITY });
      const started = Date.now();
      const error = await service.chain.blockNumber().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChainRpcError);
      // One try and one retry of 400 ms each, and the retry's delay.
      expect(Date.now() - started).to.be.within(700, 3000);

      const bulk = await fetch(`${service.url}/v1/events/${event.id}/credentials/bulk`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": "hang" },
        body: JSON.stringify({
          attendees: Array.from({ length: 10 }, (_, i) => ({ subject: { name: `Deltagare ${i}` } })),
        }),
      });
      expect(bulk.status).to.equal(201);
      const { credentials } = (await bulk.json()) as { credentials: { id: string }[] };
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const hung = proxy.calls.filter((c) => c.fault === "hang").length;
      expect(hung, "the worker kept trying while the node hung").to.be.greaterThan(2);
      proxy.clear();
      await service.worker!.drain(30_000);
      const stored = await store.credentials.getMany(credentials.map((c) => c.id));
      expect(stored.map((c) => c.status)).to.deep.equal(credentials.map(() => "anchored"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(proxy.abandonedHangs).to.equal(hung);
    } finally {
      await service?.stop();
      await proxy.close();
      await store.close();
    }
  });
});
