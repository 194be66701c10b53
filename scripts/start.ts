// `pnpm start`: everything on loopback with embedded defaults. A local chain (`hardhat node`), the registry
// deployed, a demo organisation accredited with a signing key, the issuer service on its embedded database
// with an API key for the organisation, and `.intyg/dev.json` for the CLI and the demo.
// Ctrl-C stops everything; a second start begins afresh (the local chain keeps no state, so neither does
// the development database).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  DEV_PRIVATE_KEYS,
  type DevChain,
  deployRegistry,
  freePort,
  repositoryRoot,
  seedOrganisation,
  startDevChain,
} from "@intyg/devchain";
import {
  bootstrap,
  createLogger,
  loadConfig,
  privateKeySigner,
  type RunningService,
  startService,
} from "@intyg/service";
import QRCode from "qrcode";

const DEMO_PROFILE = {
  name: "Intyg Demo",
  legalName: "Intyg Demo (utvecklingsmiljö)",
  organisationNumber: "556677-8899",
  url: "https://example.se",
};

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => freePort().then(resolve));
    probe.listen(preferred, "127.0.0.1", () => probe.close(() => resolve(preferred)));
  });
}

async function issueSample(serviceUrl: string, apiKey: string): Promise<string | undefined> {
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const event = await fetch(`${serviceUrl}/v1/events`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      kind: "event",
      details: {
        name: "Digitaliseringsdagen (demo)",
        startDate: "2026-05-23",
        endDate: "2026-05-25",
        location: "Göteborg",
      },
    }),
  });
  if (!event.ok) return undefined;
  const { id } = (await event.json()) as { id: string };
  const issued = await fetch(`${serviceUrl}/v1/events/${id}/credentials`, {
    method: "POST",
    headers: { ...headers, "idempotency-key": "start-sample" },
    body: JSON.stringify({
      subject: { name: "Åsa Öberg", email: "asa.oberg@example.se", role: "participant" },
    }),
  });
  if (!issued.ok) return undefined;
  const { id: credentialId } = (await issued.json()) as { id: string };
  // The worker anchors within seconds; the share link carries the batch proof, so it waits for it.
  for (let i = 0; i < 60; i++) {
    const current = await fetch(`${serviceUrl}/v1/credentials/${credentialId}`, { headers });
    if (current.ok && ((await current.json()) as { status: string }).status === "anchored") break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const share = await fetch(`${serviceUrl}/v1/credentials/${credentialId}/share`, { headers });
  if (!share.ok) return undefined;
  return ((await share.json()) as { url: string }).url;
}

async function main() {
  const root = repositoryRoot();
  const stateDir = path.join(root, ".intyg");
  const dataDir = path.join(stateDir, "data");
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });

  const rpcPort = await portOr(Number(process.env.INTYG_RPC_PORT ?? 8545));
  const servicePort = await portOr(Number(process.env.PORT ?? 8787));
  console.log(`Starting a local chain on 127.0.0.1:${rpcPort} …`);
  let chain: DevChain | undefined;
  let service: RunningService | undefined;
  const stop = async (code: number) => {
    await service?.stop().catch(() => undefined);
    await chain?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once("SIGINT", () => {
    console.log("\nStopping …");
    void stop(0);
  });
  process.once("SIGTERM", () => void stop(0));

  try {
    chain = await startDevChain({ port: rpcPort });
    const registry = await deployRegistry({ rpcUrl: chain.rpcUrl, governorKey: DEV_PRIVATE_KEYS[0] });
    const organisationId = await seedOrganisation({
      rpcUrl: chain.rpcUrl,
      registry,
      governorKey: DEV_PRIVATE_KEYS[0],
      adminKey: DEV_PRIVATE_KEYS[1],
      signingKey: DEV_PRIVATE_KEYS[2],
      profile: DEMO_PROFILE,
    });

    const config = loadConfig({
      ...process.env,
      PORT: String(servicePort),
      HOST: "127.0.0.1",
      INTYG_RPC_URL: chain.rpcUrl,
      INTYG_REGISTRY: registry,
      INTYG_DATA_DIR: dataDir,
      INTYG_SIGNER_KEY: DEV_PRIVATE_KEYS[2],
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    });
    const logger = createLogger({ level: config.logLevel });
    service = await startService({
      config,
      signer: privateKeySigner(DEV_PRIVATE_KEYS[2]),
      relayer: privateKeySigner(DEV_PRIVATE_KEYS[3]),
      logger,
    });
    const { secret } = await bootstrap(service.store, {
      profile: DEMO_PROFILE,
      chainOrganisationId: organisationId,
      keyName: "development",
      reuse: true,
      ...(process.env.INTYG_API_KEY ? { apiKey: process.env.INTYG_API_KEY } : {}),
    });

    const dev = {
      serviceUrl: service.url,
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      registry,
      apiKey: secret,
      organisationId,
    };
    writeFileSync(path.join(stateDir, "dev.json"), `${JSON.stringify(dev, null, 2)}\n`, { mode: 0o600 });

    const sample = await issueSample(service.url, secret).catch(() => undefined);
    console.log(`
Intyg is running.

  service       ${service.url}
  API reference ${service.url}/docs   (OpenAPI: ${service.url}/openapi.json)
  verifier page ${service.url}/verify
  local chain   ${chain.rpcUrl} (chain id ${chain.chainId}), registry ${registry}
  API key       in .intyg/dev.json (the demo organisation's; set INTYG_API_KEY to choose it)
`);
    if (sample) {
      console.log(`A sample credential, anchored: ${sample}\n`);
      console.log(
        await QRCode.toString(sample, { type: "terminal", small: true, errorCorrectionLevel: "L" }),
      );
    }
    console.log("Try `pnpm demo` in another terminal. Ctrl-C stops everything.");
  } catch (error) {
    console.error("pnpm start failed:", error instanceof Error ? error.message : error);
    await stop(1);
  }
}

void main();
