import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
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
    dev = await startLocalStack({ apiKey, dataDir: path.join(stateDir, "data"), stateDir });
    const info = JSON.parse(await readFile(path.join(stateDir, "dev.json"), "utf8"));
    expect(Object.keys(info).sort()).to.deep.equal(["apiKey", "chainId", "registry", "rpcUrl", "serviceUrl"]);
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
});
