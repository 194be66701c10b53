// The JSON-RPC requests of a reader's chain context at the latest block: the chain id, the block, and whether
// the registry is there (ERC-165's `supportsInterface`). No imports: a page can send these requests before the
// rest of its script has run (see `fetchFn` in VerifyOptions), and its reader asks them again to be answered.

import type { Address, Hex } from "viem";

/** One JSON-RPC request as viem's transport sends it (without its `jsonrpc` and `id`). */
export type JsonRpcCall = { method: string; params?: readonly unknown[] };

/** ERC-165's `supportsInterface(0x01ffc9a7)`: true from any ERC-165 contract, the registry among them. */
export const ERC165_PROBE: Hex = `0x01ffc9a701ffc9a7${"0".repeat(56)}`;

/** What an RPC reader without a pinned block sends for its context, in one batch, in this order. */
export function contextCalls(registry: Address): JsonRpcCall[] {
  return [
    { method: "eth_chainId" },
    { method: "eth_getBlockByNumber", params: ["latest", false] },
    { method: "eth_call", params: [{ data: ERC165_PROBE, to: registry }, "latest"] },
  ];
}
