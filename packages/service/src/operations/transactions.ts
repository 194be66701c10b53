// An operation's transactions on the node: which was mined, which is still pending, and the wait that replaces
// a stuck one (each replacement recorded on the operation before it is sent).

import type { Hex } from "viem";
import type { ChainClient, Fees, TxReceipt, WaitOptions } from "../chain/client";
import type { Logger } from "../logger";
import type { Store } from "../store/store";

/** The receipt of whichever of `hashes` was mined, newest first; null when none was (yet). */
export async function minedOf(chain: ChainClient, hashes: readonly Hex[]): Promise<TxReceipt | null> {
  for (const hash of [...hashes].reverse()) {
    const receipt = await chain.getReceipt(hash);
    if (receipt) return receipt;
  }
  return null;
}

/**
 * The operation's earlier transactions against the node: the receipt of the one mined; while one is still
 * pending, waits for it (replacing it when stuck); null when the node knows none of them (dropped, or never
 * sent): then it is sent again.
 */
export async function waitForEarlier(
  chain: ChainClient,
  hashes: readonly Hex[],
  wait: WaitOptions,
): Promise<TxReceipt | null> {
  if (hashes.length === 0) return null;
  const mined = await minedOf(chain, hashes);
  if (mined) return mined;
  for (const hash of hashes) {
    if (await chain.hasTransaction(hash)) return chain.waitForReceipt(hashes, wait);
  }
  return null;
}

const feeFields = (fees: Fees) =>
  "gasPrice" in fees
    ? { gasPrice: fees.gasPrice.toString() }
    : {
        maxFeePerGas: fees.maxFeePerGas.toString(),
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
      };

/**
 * A wait that replaces a stuck transaction: each replacement is appended to the operation (and to `hashes`)
 * before it is sent, so that whichever of them is mined is found after a crash.
 */
export function replacing(
  deps: { store: Store; logger: Logger },
  item: Record<string, string>,
  operationId: string,
  hashes: Hex[],
): WaitOptions {
  return {
    onReplaced: async (hash, info) => {
      await deps.store.operations.recordHash(operationId, hash, { replacement: true, nonce: info.nonce });
      hashes.push(hash);
      deps.logger.warn(
        { ...item, replaces: info.replaces, txHash: hash, nonce: info.nonce, ...feeFields(info.fees) },
        "transaction pending too long: replacing it with higher fees",
      );
    },
    onFeeCap: (info) =>
      deps.logger.warn(
        {
          ...item,
          txHash: info.hash,
          nonce: info.nonce,
          ...feeFields(info.fees),
          limit: info.limit.toString(),
        },
        "transaction pending at the fee limit: not replaced again, waiting for it to be mined",
      ),
  };
}
