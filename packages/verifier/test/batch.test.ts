// 1,000 credentials of one batch: one signature recovery, a handful of HTTP requests, within the target time.

import type { Credential, SignerCache } from "@intyg/credential";
import { expect } from "chai";
import { createPublicClient, http, type PublicClient } from "viem";
import { verifyCredentials } from "../src";
import { createFixture, type Fixture } from "./fixture";

/** A map that counts what it stores: in a signer cache's `signers`, each store is one public-key recovery. */
class CountingMap<V> extends Map<string, V> {
  stores = 0;
  override set(key: string, value: V): this {
    this.stores++;
    return super.set(key, value);
  }
}

class CountingCache implements SignerCache {
  digests = new CountingMap<`0x${string}`>();
  signers = new CountingMap<`0x${string}`>();
  get stores(): number {
    return this.signers.stores;
  }
}

describe("batch verification", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let batch: Credential[];

  before(async () => {
    fx = await createFixture();
    batch = await fx.issueBatch(1000);
  });
  after(async () => {
    await fx?.stop();
  });

  it("verifies 1,000 credentials of one batch with one recovery and batched chain reads", async () => {
    let requests = 0;
    const client = createPublicClient({
      transport: http(fx.rpcUrl, {
        batch: true,
        onFetchRequest: () => {
          requests++;
        },
      }),
    }) as PublicClient;
    const cache = new CountingCache();
    const started = performance.now();
    const reports = await verifyCredentials(batch, { client, registry: fx.registry, signerCache: cache });
    const elapsed = performance.now() - started;
    expect(reports).to.have.length(1000);
    const failed = reports.find((report) => !report.verified);
    expect(failed, JSON.stringify(failed?.checks)).to.equal(undefined);
    expect(cache.stores, "public-key recoveries").to.equal(1);
    // Context (chain id, block, code) in one batch, then the reads: 1,000 leaf revocations, 1,000 supersessions
    // and the shared root, organisation, key and event, in deployless multicalls sent as one JSON-RPC batch.
    expect(requests, "HTTP requests").to.be.at.most(6);
    console.log(`      1,000 credentials verified in ${Math.round(elapsed)} ms, ${requests} HTTP requests`);
    // The time is measured against DESIGN.md's 2 s target by `pnpm --filter @intyg/verifier bench`; a test
    // only logs it, so that a busy machine does not fail the suite.
  });

  it("recovers nothing again when the cache is shared across runs", async () => {
    const cache = new CountingCache();
    await verifyCredentials(batch.slice(0, 10), {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      signerCache: cache,
    });
    await verifyCredentials(batch.slice(10, 20), {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      signerCache: cache,
    });
    expect(cache.stores).to.equal(1);
  });
});
