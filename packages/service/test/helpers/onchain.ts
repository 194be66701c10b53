import { intygRegistryAbi } from "@intyg/registry";
import { type Address, createPublicClient, type Hex, http } from "viem";

/** Every CredentialAnchored event of the registry, as commitment → how many times. */
export async function anchoredCounts(rpcUrl: string, registry: Address): Promise<Map<Hex, number>> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const logs = await client.getContractEvents({
    address: registry,
    abi: intygRegistryAbi,
    eventName: "CredentialAnchored",
    fromBlock: 0n,
    toBlock: "latest",
  });
  const counts = new Map<Hex, number>();
  for (const log of logs) {
    const commitment = log.args.commitment as Hex;
    counts.set(commitment, (counts.get(commitment) ?? 0) + 1);
  }
  return counts;
}

export async function rpc(rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}
