// A harness whose anchoring worker reaches the real hardhat node only through the fault-injecting proxy, with
// small request timeouts and backoff so that faults resolve in seconds. Assertions read the node directly.

import { expect } from "chai";
import {
  type ChainClient,
  type CreateChainClientParameters,
  createChainClient,
} from "../../src/chain/client";
import type { WorkerConfig } from "../../src/config";
import type { Logger } from "../../src/logger";
import { startWorker, type Worker } from "../../src/worker/worker";
import { expectExactlyOnce } from "./anchoring";
import { createHarness, type Harness, queueCredentials, registeredEvent } from "./harness";
import { type RpcProxy, startRpcProxy } from "./rpc-proxy";
import type { StoreKind } from "./stores";

export type FaultyNode = {
  h: Harness;
  proxy: RpcProxy;
  /** The chain client through the proxy. */
  chain: ChainClient;
  /** The first block after the setup: anchorBatch sends are counted from here. */
  fromBlock: bigint;
  event: Awaited<ReturnType<typeof registeredEvent>>;
  /** Credential ids queued so far. */
  ids: string[];
  queue(n: number, tag?: string): Promise<string[]>;
  startWorker(): Worker;
  /**
   * The end state every fault must reach: every queued credential anchored exactly once and verifiable on chain,
   * one anchorBatch transaction per root; then the same worker still anchors new work.
   */
  expectSettled(worker: Worker): Promise<void>;
  close(): Promise<void>;
};

export type FaultyNodeOptions = {
  kind?: StoreKind;
  requestTimeoutMs?: number;
  retryCount?: number;
  receiptTimeoutMs?: number;
  worker?: Partial<WorkerConfig>;
  /** Transaction replacement settings of the chain client. */
  replacement?: Pick<CreateChainClientParameters, "replaceAfterMs" | "maxFeePerGas" | "maxFeeMultiplier">;
  logger?: Logger;
};

export async function faultyNode(options: FaultyNodeOptions = {}): Promise<FaultyNode> {
  const h = await createHarness(options.kind ?? "pglite", {
    config: { worker: { retryBaseMs: 50, retryMaxMs: 400, ...options.worker } as WorkerConfig },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const proxy = await startRpcProxy(h.deployment.rpcUrl);
  let worker: Worker | null = null;
  try {
    const chain = await createChainClient({
      rpcUrl: proxy.url,
      registry: h.deployment.registry,
      signer: h.signer,
      chainId: h.deployment.chainId,
      pollingIntervalMs: 50,
      requestTimeoutMs: options.requestTimeoutMs ?? 1500,
      retryCount: options.retryCount ?? 1,
      receiptTimeoutMs: options.receiptTimeoutMs ?? 5000,
      ...options.replacement,
    });
    // The event is registered directly; the faults are for the anchoring.
    const event = await registeredEvent(h);
    const fromBlock = (await h.chain.blockNumber()) + 1n;
    const ids: string[] = [];
    const node: FaultyNode = {
      h,
      proxy,
      chain,
      fromBlock,
      event,
      ids,
      async queue(n, tag = "Deltagare") {
        const queued = await queueCredentials(h, event, n, tag);
        ids.push(...queued);
        return queued;
      },
      startWorker() {
        worker = startWorker({ ...h, chain });
        return worker;
      },
      async expectSettled(w) {
        await w.drain(30_000);
        expect(proxy.pending(), "every injected fault was hit").to.equal(0);
        await expectExactlyOnce(h, ids, { fromBlock });
        // Alive: the same worker anchors new work once the node behaves.
        await node.queue(5, "Efteråt");
        w.wake();
        await w.drain(20_000);
        await expectExactlyOnce(h, ids, { fromBlock });
      },
      async close() {
        await (worker as Worker | null)?.stop();
        await proxy.close();
        await h.close();
      },
    };
    return node;
  } catch (error) {
    await proxy.close();
    await h.close();
    throw error;
  }
}
