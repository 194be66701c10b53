import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { expect } from "chai";
import { recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { loadConfig, loadSignerSource } from "../src/config";
import { ConfigError, SignerError } from "../src/errors";
import { encryptKeystore, keystoreSigner, privateKeySigner } from "../src/signer";

const typedData = {
  domain: {
    name: "Intyg",
    version: "1",
    chainId: 31337,
    verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  },
  types: { Ping: [{ name: "n", type: "uint256" }] },
  primaryType: "Ping",
  message: { n: 42n },
} as const;

describe("signer", () => {
  const key = DEV_PRIVATE_KEYS[2];
  const address = privateKeyToAccount(key).address;

  it("signs typed data with a key from the environment and never exposes it", async () => {
    const signer = privateKeySigner(key);
    expect(signer.address).to.equal(address);
    const signature = await signer.signTypedData(typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature })).to.equal(address);
    expect(JSON.stringify(signer)).not.to.contain(key.slice(2));
    expect(() => privateKeySigner("0x1234")).to.throw(SignerError);
  });

  it("decrypts an encrypted keystore; a wrong password is a SignerError", async () => {
    const json = await encryptKeystore(key, "lösenord", 1024);
    expect(json).not.to.contain(key.slice(2));
    const signer = await keystoreSigner({ json, password: "lösenord" });
    expect(signer.address).to.equal(address);
    expect(signer.kind).to.equal("keystore");
    const signature = await signer.signTypedData(typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature })).to.equal(address);
    try {
      await keystoreSigner({ json, password: "fel" });
      expect.fail("decrypted with a wrong password");
    } catch (error) {
      expect(error).to.be.instanceOf(SignerError);
      expect(String(error)).not.to.contain("fel");
    }
  });
});

describe("configuration", () => {
  const base = {
    INTYG_RPC_URL: "http://127.0.0.1:8545",
    INTYG_REGISTRY: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  };

  it("reads defaults: loopback, port 8787, embedded database in .intyg/data", () => {
    const config = loadConfig(base);
    expect(config.host).to.equal("127.0.0.1");
    expect(config.port).to.equal(8787);
    expect(config.databaseUrl).to.equal(undefined);
    expect(config.dataDir.endsWith(".intyg/data")).to.equal(true);
    expect(config.publicUrl).to.equal("http://127.0.0.1:8787");
  });

  it("reads PORT, HOST, DATABASE_URL and refuses malformed values", () => {
    const config = loadConfig({ ...base, PORT: "9000", HOST: "0.0.0.0", DATABASE_URL: "postgres://u@h/db" });
    expect(config.port).to.equal(9000);
    expect(config.host).to.equal("0.0.0.0");
    expect(config.databaseUrl).to.equal("postgres://u@h/db");
    expect(() => loadConfig({ ...base, PORT: "80a" })).to.throw(ConfigError);
    expect(() => loadConfig({ ...base, INTYG_REGISTRY: "0x12" })).to.throw(ConfigError);
    expect(() => loadConfig({ INTYG_REGISTRY: base.INTYG_REGISTRY })).to.throw(ConfigError);
    expect(() => loadConfig({ ...base, DATABASE_URL: "sqlite://x" })).to.throw(ConfigError);
  });

  it("bounds chain requests: INTYG_RPC_TIMEOUT_MS, INTYG_RPC_RETRIES, INTYG_RECEIPT_TIMEOUT_MS", () => {
    expect(loadConfig(base).rpc).to.deep.include({
      timeoutMs: 20_000,
      retryCount: 2,
      receiptTimeoutMs: 120_000,
    });
    const config = loadConfig({
      ...base,
      INTYG_RPC_TIMEOUT_MS: "1500",
      INTYG_RPC_RETRIES: "0",
      INTYG_RECEIPT_TIMEOUT_MS: "30000",
    });
    expect(config.rpc).to.deep.include({ timeoutMs: 1500, retryCount: 0, receiptTimeoutMs: 30_000 });
    // No timeout at all is not an option: a node that never answers would block the worker.
    expect(() => loadConfig({ ...base, INTYG_RPC_TIMEOUT_MS: "0" })).to.throw(ConfigError);
    expect(() => loadConfig({ ...base, INTYG_RPC_RETRIES: "-1" })).to.throw(ConfigError);
  });

  it("takes the signing key from INTYG_SIGNER_KEY or INTYG_KEYSTORE with its password", () => {
    expect(loadSignerSource({ INTYG_SIGNER_KEY: "0xabc" })).to.deep.equal({
      kind: "env",
      privateKey: "0xabc",
    });
    expect(loadSignerSource({ INTYG_KEYSTORE: "/k.json", INTYG_KEYSTORE_PASSWORD: "p" })).to.deep.equal({
      kind: "keystore",
      path: "/k.json",
      password: "p",
    });
    expect(() => loadSignerSource({ INTYG_KEYSTORE: "/k.json" })).to.throw(ConfigError);
    expect(() => loadSignerSource({})).to.throw(ConfigError);
  });
});
