import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type LocalStack, startLocalStack } from "../src";

describe("the local stack (what `pnpm start`, the demo and the end-to-end tests bring up)", function () {
  // A fresh on-disk database and a second hardhat node: slow on a busy machine.
  this.timeout(300_000);
  let root: string;
  let dev: LocalStack | undefined;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), "intyg-dev-"));
  });
  after(async () => {
    await dev?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("starts chain, registry, demo organisation and service, and writes .intyg/dev.json", async () => {
    const apiKey = "intyg_dev_key_for_tests_0123456789abcdefghij";
    const stateDir = path.join(root, ".intyg");
    dev = await startLocalStack({ apiKey, dataDir: path.join(stateDir, "data"), stateDir, operator: true });
    const info = JSON.parse(await readFile(path.join(stateDir, "dev.json"), "utf8"));
    expect(Object.keys(info).sort()).to.deep.equal([
      "apiKey",
      "chainId",
      "operatorToken",
      "operatorUrl",
      "registry",
      "rpcUrl",
      "serviceUrl",
    ]);
    expect(
      (await stat(path.join(stateDir, "dev.json"))).mode & 0o077,
      "dev.json is the owner's only",
    ).to.equal(0);
    expect(info.apiKey).to.equal(apiKey);
    expect(info.serviceUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.rpcUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.chainId).to.equal(31337);
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const event = await fetch(`${info.serviceUrl}/v1/events`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        kind: "event",
        details: { name: "Offentliga Rummet 2026", startDate: "2026-05-12", endDate: "2026-05-14" },
      }),
    });
    expect(event.status).to.equal(201);
    const { id } = (await event.json()) as { id: string };
    const issued = await fetch(`${info.serviceUrl}/v1/events/${id}/credentials`, {
      method: "POST",
      headers,
      body: JSON.stringify({ subject: { name: "Demo" } }),
    });
    const credential = (await issued.json()) as { holderUrl: string; links: { self: string } };
    // Links use the real port, not the configured 0.
    expect(credential.holderUrl.startsWith(`${info.serviceUrl}/holder/`)).to.equal(true);
    expect(credential.links.self.startsWith(info.serviceUrl)).to.equal(true);
  });

  it("bootstraps a further organisation into the running stack once governance has accredited it (pnpm bootstrap:local)", async () => {
    const stateDir = path.join(root, ".intyg");
    const config = path.join(stateDir, "dev.json");
    const info = JSON.parse(await readFile(config, "utf8"));
    const profile = {
      name: "Västkom",
      legalName: "Västkom",
      organisationNumber: "222000-1354",
      url: "https://vastkom.se",
    };
    const args = [
      "--name",
      profile.name,
      "--organisation-number",
      profile.organisationNumber,
      "--url",
      profile.url,
      "--chain-organisation-id",
      "2",
      "--config",
      config,
    ];
    const script = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            path.join(__dirname, "..", "..", "..", "scripts", "bootstrap-local.ts"),
            ...args,
          ],
          { env: { PATH: process.env.PATH ?? "" } },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });

    const early = await script();
    expect(early.code).to.equal(2);
    expect(early.stderr)
      .to.contain("Organisation 2 is not accredited")
      .and.to.contain("intyg governance accredit");
    const unauthorised = await fetch(`${info.operatorUrl}/bootstrap`, { method: "POST", body: "{}" });
    expect(unauthorised.status).to.equal(401);

    // Governance accredits it.
    const governor = createWalletClient({
      transport: http(info.rpcUrl),
      account: privateKeyToAccount(DEV_PRIVATE_KEYS[0]),
    });
    const hash = await governor.writeContract({
      address: info.registry,
      abi: intygRegistryAbi,
      functionName: "accreditOrganisation",
      args: [
        privateKeyToAccount(DEV_PRIVATE_KEYS[4]).address,
        organisationProfileHash(profile, 2),
        organisationNumberHash(profile.organisationNumber),
      ],
      chain: null,
    });
    await createPublicClient({ transport: http(info.rpcUrl) }).waitForTransactionReceipt({ hash });

    const done = await script();
    expect(done.code, done.stderr).to.equal(0);
    const { apiKey, chainOrganisationId } = JSON.parse(done.stdout) as {
      apiKey: string;
      chainOrganisationId: number;
    };
    expect(chainOrganisationId).to.equal(2);
    const own = await fetch(`${info.serviceUrl}/v1/organisation`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(((await own.json()) as { name: string }).name).to.equal("Västkom");
  });
});
