// A batch the registry refuses for good (here: its signing key was removed on chain while the batch was being
// sent) fails; a revocation requested while it was in flight must end confirmed, not wait forever for an
// on-chain revocation that can never happen (it would keep the worker's outstanding work above zero).

import { DEV_PRIVATE_KEYS, localChain } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainClient } from "../src/chain/client";
import { startWorker } from "../src/worker/worker";
import {
  createHarness,
  type Harness,
  queueCredentials,
  registeredEvent,
  signerAddress,
} from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

/** The real chain client, whose anchorBatch waits until released: a window while the batch is `sending`. */
function gatedChain(real: ChainClient) {
  let reached: () => void = () => undefined;
  let release: () => void = () => undefined;
  const atGate = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const chain = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "anchorBatch" || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        reached();
        await gate;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ChainClient;
  return { chain, atGate, release };
}

async function removeSigningKey(h: Harness): Promise<void> {
  const { rpcUrl, chainId, registry } = h.deployment;
  const chain = localChain(rpcUrl, chainId);
  // deployFresh seeds the organisation with dev account #1 as its admin.
  const account = privateKeyToAccount(DEV_PRIVATE_KEYS[1]);
  const wallet = createWalletClient({ chain, transport: http(rpcUrl), account });
  const hash = await wallet.writeContract({
    address: registry,
    abi: intygRegistryAbi,
    functionName: "removeKey",
    args: [signerAddress(h)],
  });
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  expect((await client.waitForTransactionReceipt({ hash })).status).to.equal("success");
}

for (const kind of STORE_KINDS) {
  describe(`anchoring refused for good (${kind})`, () => {
    it("fails the batch, and confirms a revocation requested while it was being sent", async () => {
      const h = await createHarness(kind);
      try {
        const event = await registeredEvent(h);
        const ids = await queueCredentials(h, event, 5);
        const gated = gatedChain(h.chain);
        const worker = startWorker({ ...h, chain: gated.chain });
        try {
          await gated.atGate;
          const revoked = await h.store.credentials.requestRevocation(
            h.organisation.id,
            ids[0]!,
            "withdrawn",
          );
          expect(revoked!.credential.revocationStatus).to.equal("requested");
          await removeSigningKey(h);
          gated.release();
          await worker.drain();
        } finally {
          await worker.stop();
        }
        const [batch] = await h.store.anchoring.listBatches(h.organisation.id);
        expect(batch!.status).to.equal("failed");
        const records = await h.store.credentials.getMany(ids);
        const byId = new Map(records.map((r) => [r.id, r]));
        expect(byId.get(ids[0]!)!.status).to.equal("cancelled");
        expect(byId.get(ids[0]!)!.revocationStatus).to.equal("confirmed");
        for (const id of ids.slice(1)) {
          expect(byId.get(id)!.status, id).to.equal("failed");
          expect(byId.get(id)!.revocationStatus, id).to.equal(null);
        }
        expect(await h.store.anchoring.outstanding()).to.equal(0);
      } finally {
        await h.close();
      }
    });
  });
}
