// The read-only JSON-RPC proxy at POST /verify/rpc, in front of a real hardhat node: @intyg/verifier verifies
// an issued credential through it, writes and foreign contracts are refused, batches, bodies and clients are
// bounded, and the node's URL shows in no answer. And the configuration that makes the proxy the default:
// the public RPC URL never comes from INTYG_RPC_URL, and one that carries a secret is refused.

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { createRpcReader, verifyCredential } from "@intyg/verifier";
import { expect } from "chai";
import { type Address, createPublicClient, encodeFunctionData, http, parseAbi, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { checkPublicRpcUrl, defaultConfig, loadConfig } from "../src/config";
import { ConfigError } from "../src/errors";
import { createApp } from "../src/http/app";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { openTestStore } from "./helpers/stores";

type RpcAnswer = {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
};

describe("the read-only JSON-RPC proxy (POST /verify/rpc)", () => {
  let h: AppHarness;
  let server: ReturnType<typeof serve>;
  let proxyUrl: string;
  let credential: Record<string, unknown>;

  const rpc = async (body: unknown, app = h.app): Promise<Response> =>
    app.request("/verify/rpc", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const answer = async <T = RpcAnswer>(body: unknown): Promise<T> => expectJson<T>(await rpc(body), 200);
  const call = (id: number, method: string, params: unknown[] = []) => ({
    jsonrpc: "2.0",
    id,
    method,
    params,
  });

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    const eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
    const bulk = await expectJson<{ credentials: { id: string }[] }>(
      await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
        body: { attendees: Array.from({ length: 20 }, (_, i) => ({ subject: { name: `Proxad ${i}` } })) },
        headers: { "idempotency-key": "proxy" },
      }),
      201,
    );
    await h.worker.runOnce();
    credential = (
      await expectJson<{ credential: Record<string, unknown> }>(
        await h.call("GET", `/v1/credentials/${bulk.credentials[0]!.id}`),
        200,
      )
    ).credential;
    const listening = await new Promise<AddressInfo>((resolve) => {
      server = serve({ fetch: h.app.fetch, hostname: "127.0.0.1", port: 0 }, resolve);
    });
    proxyUrl = `http://127.0.0.1:${listening.port}/verify/rpc`;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await h?.close();
  });

  it("is what /verify/config.json publishes by default, with the chain id", async () => {
    const config = await expectJson<{ rpcUrl: string; registry: string; chainId: number }>(
      await h.call("GET", "/verify/config.json", { auth: null }),
      200,
    );
    expect(config).to.deep.equal({
      rpcUrl: `${h.config.publicUrl}/verify/rpc`,
      registry: h.deployment.registry,
      chainId: h.deployment.chainId,
    });
    expect(JSON.stringify(config)).not.to.contain(h.deployment.rpcUrl);
  });

  it("@intyg/verifier verifies an issued credential through it (a real server)", async () => {
    const report = await verifyCredential(credential, {
      rpcUrl: proxyUrl,
      registry: h.deployment.registry,
      lang: "en",
    });
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    expect(failed, JSON.stringify(report.checks)).to.deep.equal([]);
    expect(report.verified).to.equal(true);
  });

  it("verifies through it with one eth_call per read (JSON-RPC batches), and reads the registry's logs", async () => {
    const reader = createRpcReader({ registry: h.deployment.registry, rpcUrl: proxyUrl, multicall: "calls" });
    const context = await reader.context();
    expect(context.chainId).to.equal(h.deployment.chainId);
    const organisationId = h.deployment.organisationId;
    await reader.load([
      { kind: "organisation", organisationId },
      { kind: "profileHistory", organisationId },
    ]);
    expect(reader.get({ kind: "profileHistory", organisationId })).to.have.length.greaterThan(0);
  });

  it("answers the reads the verifier makes, single and batched", async () => {
    const client = createPublicClient({ transport: http(proxyUrl, { batch: true }) });
    const [chainId, block, code] = await Promise.all([
      client.getChainId(),
      client.getBlock({ blockTag: "latest" }),
      client.getCode({ address: h.deployment.registry }),
    ]);
    expect(chainId).to.equal(h.deployment.chainId);
    expect(block.number).to.be.a("bigint");
    expect(code).to.match(/^0x[0-9a-f]{100,}$/);
    expect(await client.getBlockNumber()).to.be.a("bigint");
  });

  it("refuses writes and everything that is not a read of the registry, without reaching the node", async () => {
    const account = privateKeyToAccount(DEV_PRIVATE_KEYS[3]!);
    const direct = createPublicClient({ transport: http(h.deployment.rpcUrl) });
    const nonce = await direct.getTransactionCount({ address: account.address });
    const signed = await account.signTransaction({
      chainId: h.deployment.chainId,
      to: account.address,
      value: 1n,
      nonce,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    });
    const organisation = encodeFunctionData({
      abi: intygRegistryAbi,
      functionName: "organisation",
      args: [1],
    } as never);
    const refused: [string, unknown[]][] = [
      ["eth_sendRawTransaction", [signed]],
      ["eth_sendTransaction", [{ from: account.address, to: account.address, value: "0x1" }]],
      ["eth_sign", [account.address, "0x00"]],
      ["personal_sign", ["0x00", account.address]],
      ["eth_accounts", []],
      ["hardhat_setBalance", [account.address, "0x1"]],
      ["evm_mine", []],
      ["debug_traceTransaction", [`0x${"00".repeat(32)}`]],
      ["eth_getBalance", [account.address, "latest"]],
      ["eth_estimateGas", [{ to: h.deployment.registry, data: organisation }]],
      // a foreign contract, the registry at a wrong address, state overrides, extra fields
      ["eth_call", [{ to: account.address, data: organisation }, "latest"]],
      ["eth_call", [{ to: zeroAddress, data: "0x" }, "latest"]],
      ["eth_call", [{ to: h.deployment.registry, data: organisation }, "latest", { [account.address]: {} }]],
      ["eth_call", [{ to: h.deployment.registry, data: organisation, value: "0x1" }, "latest"]],
      ["eth_call", [{ to: h.deployment.registry, data: organisation, gas: "0xffffffffff" }, "latest"]],
      ["eth_call", [{ data: "0x6080604052" }, "latest"]], // arbitrary code, no `to`
      ["eth_getCode", [account.address, "latest"]],
      ["eth_getLogs", [{ address: account.address, fromBlock: "0x0" }]],
      ["eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest" }]],
      ["eth_getLogs", [{ address: [h.deployment.registry, account.address], fromBlock: "0x0" }]],
      ["eth_getBlockByNumber", ["latest", true]],
      ["eth_chainId", ["extra"]],
    ];
    const answers = await answer<RpcAnswer[]>(
      refused.map(([method, params], i) => call(i + 1, method, params)),
    );
    expect(answers).to.have.length(refused.length);
    for (const a of answers) {
      expect(a.error, `${refused[(a.id as number) - 1]![0]}: ${JSON.stringify(a)}`).to.be.an("object");
      expect(a.error!.code).to.be.oneOf([-32601, -32602]);
      expect(a).not.to.have.property("result");
    }
    // Nothing was sent: the account's nonce did not move.
    expect(await direct.getTransactionCount({ address: account.address })).to.equal(nonce);
    // Single (not batched) refusals too.
    const single = await answer(call(7, "eth_sendRawTransaction", [signed]));
    expect(single).to.deep.include({ jsonrpc: "2.0", id: 7 });
    expect(single.error!.code).to.equal(-32601);
    expect(await direct.getTransactionCount({ address: account.address })).to.equal(nonce);
  });

  it("refuses a deployless multicall that reads another contract, and mixes refusals with answers", async () => {
    const client = createPublicClient({ transport: http(proxyUrl) });
    const [registryRead] = await client.multicall({
      contracts: [
        {
          address: h.deployment.registry,
          abi: intygRegistryAbi,
          functionName: "organisation",
          args: [1],
        } as never,
      ],
      deployless: true,
      allowFailure: true,
    });
    expect(registryRead!.status).to.equal("success");
    const foreign = client.multicall({
      contracts: [
        {
          address: h.deployment.registry,
          abi: intygRegistryAbi,
          functionName: "organisation",
          args: [1],
        } as never,
        {
          address: "0x000000000000000000000000000000000000dEaD" as Address,
          abi: parseAbi(["function balanceOf(address) view returns (uint256)"]),
          functionName: "balanceOf",
          args: [zeroAddress],
        },
      ],
      deployless: true,
      allowFailure: false,
    });
    expect(
      await foreign.then(
        () => "read",
        () => "refused",
      ),
    ).to.equal("refused");
    const mixed = await answer<RpcAnswer[]>([
      call(1, "eth_chainId"),
      call(2, "eth_sendRawTransaction", ["0x00"]),
    ]);
    const byId = new Map(mixed.map((a) => [a.id, a]));
    expect(byId.get(1)!.result).to.equal(`0x${h.deployment.chainId.toString(16)}`);
    expect(byId.get(2)!.error!.code).to.equal(-32601);
  });

  it("bounds batches and bodies, and answers malformed JSON-RPC with JSON-RPC errors", async () => {
    const tooMany = await answer(
      Array.from({ length: h.config.rpcProxy.maxBatch + 1 }, (_, i) => call(i, "eth_chainId")),
    );
    expect(tooMany.error!.code).to.equal(-32005);
    expect((await answer([])).error!.code).to.equal(-32600);
    expect((await answer("{not json")).error!.code).to.equal(-32700);
    expect((await answer({ id: 1, method: "eth_chainId" })).error!.code).to.equal(-32600);
    expect((await answer({ jsonrpc: "2.0", method: "eth_chainId" })).error!.code).to.equal(-32600);
    const big = JSON.stringify(
      call(1, "eth_call", [
        { to: h.deployment.registry, data: `0x${"00".repeat(h.config.rpcProxy.maxBodyBytes)}` },
      ]),
    );
    await expectProblem(await rpc(big), 413, "payload-too-large");
  });

  it("limits requests per client (429 with Retry-After) and never shows the node's URL", async () => {
    // Its own store: the other tests' requests counted into this window already.
    const store = await openTestStore("pglite");
    try {
      const app = createApp({
        ...h,
        store,
        config: {
          ...h.config,
          rpcProxy: { ...h.config.rpcProxy, rateLimit: { requests: 2, windowMs: 60_000 } },
        },
      });
      expect((await rpc(call(1, "eth_chainId"), app)).status).to.equal(200);
      expect((await rpc([call(1, "eth_chainId"), call(2, "eth_blockNumber")], app)).status).to.equal(200);
      const limited = await rpc(call(1, "eth_chainId"), app);
      expect(limited.headers.get("retry-after")).to.match(/^\d+$/);
      await expectProblem(limited, 429, "rate-limited");
    } finally {
      await store.close();
    }

    // A node that is down: 503 problem, with neither its URL nor its host in the answer.
    const secret = "http://user:s3cr3t@127.0.0.1:1/v3/0123456789abcdef0123456789abcdef";
    const down = createApp({ ...h, config: { ...h.config, rpcUrl: secret } });
    const response = await rpc(call(1, "eth_chainId"), down);
    const text = await response.clone().text();
    await expectProblem(response, 503, "chain-unavailable");
    for (const part of ["s3cr3t", "0123456789abcdef", "127.0.0.1:1", "user"])
      expect(text).not.to.contain(part);
  });
});

describe("the public RPC URL (configuration)", () => {
  const base = {
    INTYG_RPC_URL: "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef",
    INTYG_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address,
  };

  it("never defaults to INTYG_RPC_URL: the service's own proxy is published", () => {
    const config = loadConfig(base);
    expect(config.publicRpcUrl).to.equal("http://127.0.0.1:8787/verify/rpc");
    expect(loadConfig({ ...base, INTYG_PUBLIC_URL: "https://intyg.example.se" }).publicRpcUrl).to.equal(
      "https://intyg.example.se/verify/rpc",
    );
    expect(
      defaultConfig({ rpcUrl: base.INTYG_RPC_URL, registry: base.INTYG_REGISTRY }).publicRpcUrl,
    ).to.equal("http://127.0.0.1:8787/verify/rpc");
    expect(
      loadConfig({ ...base, INTYG_PUBLIC_RPC_URL: "https://rpc.example.se/mainnet" }).publicRpcUrl,
    ).to.equal("https://rpc.example.se/mainnet");
  });

  it("refuses a public URL that carries a secret, without repeating it", () => {
    const secrets = [
      "https://user:hunter2@rpc.example.se",
      "https://apikeyonly@rpc.example.se",
      "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef",
      "https://eth-mainnet.g.alchemy.com/v2/aB3dE5gH7jK9mN1pQ3sT5vX7zB9cD1f",
      "https://rpc.ankr.com/eth/8d2c4e6f8a0b2c4e6f8a0b2c4e6f8a0b2c4e6f8a0b2c4e6f8a0b2c4e6f8a0b2c",
      "https://node.example.se/3f1d2c4e-8a6b-4c1d-9e2f-0a1b2c3d4e5f",
      "https://rpc.example.se/?apikey=hunter2",
      "https://rpc.example.se/?token=abc",
      "https://rpc.example.se/?x=0123456789abcdef0123456789abcdef",
      "ftp://rpc.example.se",
      "not a url",
    ];
    for (const url of secrets) {
      let error: unknown;
      try {
        loadConfig({ ...base, INTYG_PUBLIC_RPC_URL: url });
      } catch (e) {
        error = e;
      }
      expect(error, url).to.be.instanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message, url).to.contain("INTYG_PUBLIC_RPC_URL");
      for (const part of [
        "hunter2",
        "0123456789abcdef",
        "aB3dE5gH7jK9",
        "8d2c4e6f",
        "3f1d2c4e",
        "apikeyonly",
      ])
        expect(message, url).not.to.contain(part);
      expect(
        () => defaultConfig({ rpcUrl: "http://x", registry: base.INTYG_REGISTRY, publicRpcUrl: url }),
        url,
      ).to.throw(ConfigError);
    }
    expect(checkPublicRpcUrl("https://rpc.example.se/mainnet-archive-2024?chain=1")).to.be.a("string");
    expect(checkPublicRpcUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
  });

  it("reads the proxy's bounds from INTYG_RPC_PROXY_*", () => {
    expect(
      loadConfig({
        ...base,
        INTYG_RPC_PROXY_RATE_LIMIT: "10",
        INTYG_RPC_PROXY_RATE_WINDOW_MS: "1000",
        INTYG_RPC_PROXY_MAX_BATCH: "5",
        INTYG_RPC_PROXY_BODY_LIMIT_BYTES: "4096",
      }).rpcProxy,
    ).to.deep.equal({ rateLimit: { requests: 10, windowMs: 1000 }, maxBatch: 5, maxBodyBytes: 4096 });
    expect(() => loadConfig({ ...base, INTYG_RPC_PROXY_MAX_BATCH: "0" })).to.throw(ConfigError);
  });
});
