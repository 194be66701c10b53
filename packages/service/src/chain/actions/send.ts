// Sends a registry call: the next nonce, fees within the limit, signed here so that the hash is known — and
// recorded by the caller — before the transaction leaves.

import { intygForwarderAbi, intygRegistryAbi } from "@intyg/registry";
import {
  type Address,
  BaseError,
  decodeErrorResult,
  decodeFunctionData,
  getContractError,
  type Hex,
  keccak256,
  type TransactionSerializable,
} from "viem";
import type { ChainContext, Sender } from "../context";
import { classifyChainError, isRefusal } from "../errors";
import { cappedFees, type Fees, feeCeiling } from "../fees";
import { NONCE_RETRIES, retryPause } from "../nonces";
import type { WriteOptions } from "../types";
import { forwardedCall } from "./forward";

/** The registry's errors and the forwarder's (a relayed call fails with either), for decoding a refusal. */
const errorsAbi = [...intygRegistryAbi, ...intygForwarderAbi.filter((item) => item.type === "error")];

/** The fields of a prepared request that its signature covers, with `fees` in place of what viem chose. */
function unsignedOf(
  chainId: number,
  request: { nonce?: number; to?: Address | null; data?: Hex; gas?: bigint; value?: bigint },
  fees: Fees,
): TransactionSerializable {
  const { nonce, to, data, gas, value } = request;
  const common = { chainId, nonce, to, data, gas, value };
  return "gasPrice" in fees
    ? { ...common, type: "legacy", ...fees }
    : { ...common, type: "eip1559", ...fees };
}

/** A failed send as viem describes a contract call's failure (the registry's custom error decoded). */
function contractError(ctx: ChainContext, sender: Sender, data: Hex, error: BaseError): BaseError {
  const { functionName, args } = decodeFunctionData({ abi: intygRegistryAbi, data });
  return getContractError(error, {
    abi: errorsAbi,
    address: ctx.registry,
    args: [...(args ?? [])],
    functionName,
    sender: sender.account.address,
  });
}

/** Whether a forwarded request was refused for its signer (with a nonce another request of the key took). */
function forwardNonceTaken(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  // Nodes that decode custom errors themselves (Hardhat) name it; others return its data.
  if (/ERC2771ForwarderInvalidSigner/.test(`${error.shortMessage} ${error.details}`)) return true;
  const raw = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
  if (!raw?.data) return false;
  try {
    return (
      decodeErrorResult({ abi: intygForwarderAbi, data: raw.data }).errorName ===
      "ERC2771ForwarderInvalidSigner"
    );
  } catch {
    return false;
  }
}

/**
 * Prepares, signs and sends the registry call `data` from `sender` with its next nonce — or, with `forwardFor`,
 * the call as that key's request relayed by `sender` through the forwarder. If the answer to the send is lost (a
 * node restart, a timeout), the transaction is found by the hash `onSigned` recorded, pending or mined, instead of
 * being sent again.
 */
export async function sendRegistryCall(
  ctx: ChainContext,
  sender: Sender,
  data: Hex,
  options: WriteOptions = {},
  forwardFor?: Sender,
): Promise<Hex> {
  const { account, wallet } = sender;
  try {
    return await ctx.nonces.send(account.address, async (nonce) => {
      const prepare = async () => {
        const call = forwardFor ? await forwardedCall(ctx, forwardFor, data) : { to: ctx.registry, data };
        return wallet.prepareTransactionRequest({
          account,
          chain: ctx.chain,
          to: call.to,
          data: call.data,
          nonce,
        });
      };
      let request: Awaited<ReturnType<typeof prepare>>;
      for (let attempt = 0; ; attempt++) {
        try {
          request = await prepare();
          break;
        } catch (error) {
          // Another replica relayed a request of the same key first and took the nonce this one was signed with:
          // sign it again with the key's next nonce.
          if (!forwardFor || attempt >= NONCE_RETRIES || !forwardNonceTaken(error)) throw error;
          await retryPause(attempt);
        }
      }
      const fees = cappedFees(request, ctx.maxFeePerGas);
      const serializedTransaction = await account.signTransaction(unsignedOf(ctx.chainId, request, fees));
      const hash = keccak256(serializedTransaction);
      await options.onSigned?.(hash);
      ctx.sent.remember(hash, { at: Date.now(), origin: feeCeiling(fees) });
      try {
        return await wallet.sendRawTransaction({ serializedTransaction });
      } catch (error) {
        if (isRefusal(error, "already-known")) return hash;
        throw error;
      }
    });
  } catch (error) {
    throw classifyChainError(
      error instanceof BaseError ? contractError(ctx, forwardFor ?? sender, data, error) : error,
    );
  }
}
