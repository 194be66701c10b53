// How chain errors are classified: a refusal of the registry (revert data) is permanent, anything else — a
// -32603 "Internal error" from a node in trouble included — is transient and retried.

import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  type Hex,
} from "viem";
import { ChainRevertError, ChainRpcError, classifyChainError, createChainClient } from "../src/chain/client";
import { createHarness, registeredEvent } from "./helpers/harness";
import { startRpcProxy } from "./helpers/rpc-proxy";

const executionError = (cause: ContractFunctionRevertedError) =>
  new ContractFunctionExecutionError(cause, {
    abi: intygRegistryAbi,
    functionName: "anchorBatch",
    args: [`0x${"11".repeat(32)}`, 1n, 0n, 3],
  });

describe("chain error classification", function () {
  this.timeout(60_000);

  it("revert data or a message that says 'revert' is a refusal; a bare -32603 message is transient", () => {
    const data = encodeErrorResult({
      abi: intygRegistryAbi,
      errorName: "IntygRegistryAlreadyAnchored",
      args: [1, `0x${"11".repeat(32)}`],
    });
    const refused = classifyChainError(
      executionError(
        new ContractFunctionRevertedError({ abi: intygRegistryAbi, data, functionName: "anchorBatch" }),
      ),
    );
    expect(refused).to.be.instanceOf(ChainRevertError);
    expect((refused as ChainRevertError).errorName).to.equal("IntygRegistryAlreadyAnchored");
    const reverted = classifyChainError(
      executionError(
        new ContractFunctionRevertedError({
          abi: intygRegistryAbi,
          functionName: "anchorBatch",
          message: "execution reverted",
        }),
      ),
    );
    expect(reverted).to.be.instanceOf(ChainRevertError);
    const internal = classifyChainError(
      executionError(
        new ContractFunctionRevertedError({
          abi: intygRegistryAbi,
          functionName: "anchorBatch",
          message: "Internal error",
        }),
      ),
    );
    expect(internal).to.be.instanceOf(ChainRpcError);
  });

  it("against the node: a root anchored twice is refused; -32603 on the gas estimate is transient", async () => {
    const h = await createHarness("pglite");
    const proxy = await startRpcProxy(h.deployment.rpcUrl);
    try {
      const event = await registeredEvent(h);
      const chain = await createChainClient({
        rpcUrl: proxy.url,
        registry: h.deployment.registry,
        signer: h.signer,
        chainId: h.deployment.chainId,
        retryCount: 0,
      });
      const args = {
        root: `0x${"5a".repeat(32)}` as Hex,
        eventId: BigInt(event.chainEventId!),
        validUntil: 0n,
        batchSize: 3,
      };
      proxy.inject({
        fault: { kind: "rpc-error", code: -32603, message: "Internal error" },
        methods: ["eth_estimateGas"],
      });
      const transient = await chain.anchorBatch(args).catch((e: unknown) => e);
      expect(transient).to.be.instanceOf(ChainRpcError);
      const hash = await chain.anchorBatch(args);
      expect((await chain.waitForReceipt(hash)).status).to.equal("success");
      const again = await chain.anchorBatch(args).catch((e: unknown) => e);
      expect(again).to.be.instanceOf(ChainRevertError);
      expect((again as ChainRevertError).errorName).to.equal("IntygRegistryAlreadyAnchored");
    } finally {
      await proxy.close();
      await h.close();
    }
  });
});
