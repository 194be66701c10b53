import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { encryptKeystore } from "../src/signer";
import { type Deployment, deployFresh } from "./helpers/chain";
import { CONFERENCE, DEMO_PROFILE } from "./helpers/harness";
import { runTs } from "./helpers/process";
import { TEST_DATABASE_URL } from "./helpers/stores";

describe("main.ts and the bootstrap script (child processes, real socket)", function () {
  // Child processes load TypeScript and start their own databases: slow on a busy machine.
  this.timeout(300_000);
  let deployment: Deployment;
  let root: string;
  let dataDir: string;
  let apiKey: string;

  before(async () => {
    deployment = await deployFresh();
    // The data directory's siblings (the development KEK, the key vault) stay inside this run's own directory.
    root = await mkdtemp(path.join(tmpdir(), "intyg-main-"));
    dataDir = path.join(root, "data");
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("bootstraps an organisation, serves the API on 127.0.0.1 and stops cleanly on SIGTERM", async () => {
    const env = {
      INTYG_DATA_DIR: dataDir,
      DATABASE_URL: "",
      INTYG_RPC_URL: deployment.rpcUrl,
      INTYG_REGISTRY: deployment.registry,
    };
    const boot = runTs(
      "src/bin/bootstrap.ts",
      [
        "--name",
        DEMO_PROFILE.name,
        "--legal-name",
        DEMO_PROFILE.legalName,
        "--organisation-number",
        DEMO_PROFILE.organisationNumber,
        "--url",
        DEMO_PROFILE.url,
        "--chain-organisation-id",
        String(deployment.organisationId),
      ],
      env,
    );
    expect(await boot.exited).to.equal(0);
    const printed = JSON.parse(boot.output()) as { apiKey: string; organisationId: string };
    apiKey = printed.apiKey;
    expect(printed.apiKey).to.match(/^intyg_[A-Za-z0-9_-]{43}$/);

    const service = runTs("src/main.ts", [], {
      ...env,
      PORT: "0",
      INTYG_RPC_URL: deployment.rpcUrl,
      INTYG_REGISTRY: deployment.registry,
      INTYG_SIGNER_KEY: deployment.signerKey,
      INTYG_WORKER_POLL_MS: "100",
      LOG_LEVEL: "info",
    });
    try {
      const match = await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
      const url = match[1]!;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).to.equal(200);
      expect(health.headers.get("x-request-id")).to.be.a("string");
      const body = (await health.json()) as {
        database: { ok: boolean; dialect: string };
        chain: { ok: boolean };
      };
      expect(body.database).to.deep.equal({ ok: true, dialect: "pglite" });
      expect(body.chain.ok).to.equal(true);

      const auth = { authorization: `Bearer ${printed.apiKey}`, "content-type": "application/json" };
      const created = await fetch(`${url}/v1/events`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ kind: "event", details: CONFERENCE }),
      });
      expect(created.status).to.equal(201);
      const event = (await created.json()) as { id: string };
      const issued = await fetch(`${url}/v1/events/${event.id}/credentials`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ subject: { name: "Karin Ängström" } }),
      });
      expect(issued.status).to.equal(201);
      const credential = (await issued.json()) as { id: string };
      let status = "";
      for (let i = 0; i < 100 && status !== "anchored"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const got = await fetch(`${url}/v1/credentials/${credential.id}`, { headers: auth });
        status = ((await got.json()) as { status: string }).status;
      }
      expect(status).to.equal("anchored");

      service.process.kill("SIGTERM");
      expect(await service.exited).to.equal(0);
      expect(service.output()).to.contain("intyg service stopped");
      // The key and the attendee's name never reach the logs.
      expect(service.output()).not.to.contain(printed.apiKey);
      expect(service.output()).not.to.contain(deployment.signerKey.slice(2));
      expect(service.output()).not.to.contain("Ängström");
    } finally {
      if (service.process.exitCode === null) service.process.kill("SIGKILL");
    }
  });

  it("takes the signing key from an encrypted keystore and stops cleanly on SIGINT", async () => {
    const keystore = path.join(root, "keystore.json");
    await writeFile(keystore, await encryptKeystore(deployment.signerKey, "hemligt lösenord", 1024));
    const service = runTs("src/main.ts", [], {
      INTYG_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PORT: "0",
      INTYG_RPC_URL: deployment.rpcUrl,
      INTYG_REGISTRY: deployment.registry,
      INTYG_SIGNER_KEY: "",
      INTYG_KEYSTORE: keystore,
      INTYG_KEYSTORE_PASSWORD: "hemligt lösenord",
    });
    try {
      const url = (await service.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
      const organisation = (await (
        await fetch(`${url}/v1/organisation`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json()) as { signer: string; chainOrganisationId: number };
      expect(organisation.signer).to.equal(privateKeyToAccount(deployment.signerKey).address);
      expect(organisation.chainOrganisationId).to.equal(deployment.organisationId);
      service.process.kill("SIGINT");
      expect(await service.exited).to.equal(0);
      expect(service.output()).not.to.contain("hemligt");
    } finally {
      if (service.process.exitCode === null) service.process.kill("SIGKILL");
    }
  });

  it("refuses to start on PostgreSQL without INTYG_KEK or INTYG_KEK_FILE (exit 2, what to set and how to make one), as does the bootstrap script", async () => {
    const env = {
      INTYG_DATA_DIR: dataDir,
      DATABASE_URL: TEST_DATABASE_URL,
      INTYG_RPC_URL: deployment.rpcUrl,
      INTYG_REGISTRY: deployment.registry,
      INTYG_SIGNER_KEY: deployment.signerKey,
      INTYG_KEK: "",
      INTYG_KEK_FILE: "",
    };
    const service = runTs("src/main.ts", [], { ...env, PORT: "0" });
    expect(await service.exited).to.equal(2);
    expect(service.output()).to.match(/intyg service: No key-encryption key for a PostgreSQL database/);
    expect(service.output()).to.match(/INTYG_KEK is id:base64key \(make one with: node -e/);
    expect(service.output()).not.to.contain(deployment.signerKey.slice(2));
    const boot = runTs("src/bin/bootstrap.ts", ["--name", "X", "--chain-organisation-id", "1"], env);
    expect(await boot.exited).to.equal(2);
    expect(boot.output()).to.match(/No key-encryption key for a PostgreSQL database/);
  });

  it("refuses to start without a signing key (exit 2, a clear message)", async () => {
    const service = runTs("src/main.ts", [], {
      INTYG_DATA_DIR: dataDir,
      INTYG_RPC_URL: deployment.rpcUrl,
      INTYG_REGISTRY: deployment.registry,
      INTYG_SIGNER_KEY: "",
      INTYG_KEYSTORE: "",
    });
    expect(await service.exited).to.equal(2);
    expect(service.output()).to.match(/signing key is required/);
  });
});
