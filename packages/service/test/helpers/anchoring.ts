import { verifyBatchProof } from "@intyg/credential";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import {
  type Address,
  createPublicClient,
  decodeFunctionData,
  type Hex,
  http,
  toFunctionSelector,
} from "viem";
import type { Harness } from "./harness";
import { anchoredCounts } from "./onchain";

const ANCHOR_BATCH = toFunctionSelector("anchorBatch(bytes32,uint64,uint64,uint32)");

/**
 * Every anchorBatch transaction mined for the registry since `fromBlock`, reverted ones included, as root →
 * how many. A resend that the registry refused on chain still counts: it is a duplicate send.
 */
export async function anchorBatchSends(
  rpcUrl: string,
  registry: Address,
  fromBlock: bigint,
): Promise<Map<Hex, number>> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  const counts = new Map<Hex, number>();
  for (let n = fromBlock; n <= latest; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== registry.toLowerCase() || !tx.input.startsWith(ANCHOR_BATCH)) continue;
      const { args } = decodeFunctionData({ abi: intygRegistryAbi, data: tx.input });
      const root = args[0] as Hex;
      counts.set(root, (counts.get(root) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Every credential anchored exactly once: in one anchored batch, whose root is on chain once (one
 * CredentialAnchored event, one anchorBatch transaction since `fromBlock` when given), with a proof that checks
 * off chain and on chain. Nothing is on chain that the database does not know of.
 */
export async function expectExactlyOnce(h: Harness, ids: string[], options: { fromBlock?: bigint } = {}) {
  const batches = await h.store.anchoring.listBatches(h.organisation.id);
  const onChain = await anchoredCounts(h.deployment.rpcUrl, h.deployment.registry);
  const sends =
    options.fromBlock === undefined
      ? null
      : await anchorBatchSends(h.deployment.rpcUrl, h.deployment.registry, options.fromBlock);
  const seen = new Map<string, string>();
  for (const batch of batches) {
    expect(batch.status, `batch ${batch.id}`).to.equal("anchored");
    expect(onChain.get(batch.root), `root ${batch.root} anchored once`).to.equal(1);
    if (sends) expect(sends.get(batch.root), `anchorBatch transactions of ${batch.root}`).to.equal(1);
    expect((await h.chain.record(h.deployment.organisationId, batch.root)).batchSize).to.equal(batch.size);
    const members = await h.store.anchoring.batchMembers(batch.id);
    expect(members).to.have.length(batch.size);
    for (const [index, member] of members.entries()) {
      expect(seen.has(member.id), `credential ${member.id} in two batches`).to.equal(false);
      seen.set(member.id, batch.id);
      expect(member.status).to.equal("anchored");
      expect(verifyBatchProof(batch.root, member.commitment, member.proof!)).to.equal(true);
      // On chain too, for a few members of each batch (each check is a call).
      if (index < 3)
        expect(
          await h.chain.isBatchMember(h.deployment.organisationId, batch.root, member.leaf!, member.proof!),
        ).to.equal(true);
    }
  }
  expect([...seen.keys()].sort()).to.deep.equal([...ids].sort());
  // No root anchored twice, and nothing on chain the database does not know of.
  for (const [commitment, count] of onChain) {
    expect(count, commitment).to.equal(1);
  }
  expect(onChain.size).to.equal(batches.length);
  if (sends) expect(sends.size).to.equal(batches.length);
}
