// `pnpm start`: everything on loopback with embedded defaults (@intyg/devchain's local stack). A local chain
// (`hardhat node`), the registry deployed, a demo organisation accredited with a signing key, the issuer service
// on its embedded database with an API key for the organisation, and `.intyg/dev.json` for the CLI and the demo.
// Ctrl-C stops everything; a second start begins afresh (the local chain keeps no state, so neither does
// the development database).
import path from "node:path";
import { freePort, repositoryRoot } from "@intyg/devchain";
import { loadConfig } from "@intyg/service";
import { type LocalStack, startLocalStack } from "@intyg/stack";
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
  const stateDir = path.join(repositoryRoot(), ".intyg");
  const rpcPort = await portOr(Number(process.env.INTYG_RPC_PORT ?? 8545));
  const servicePort = await portOr(Number(process.env.PORT ?? 8787));
  console.log(`Starting a local chain on 127.0.0.1:${rpcPort} …`);
  let stack: LocalStack | undefined;
  const stop = async (code: number) => {
    await stack?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once("SIGINT", () => {
    console.log("\nStopping …");
    void stop(0);
  });
  process.once("SIGTERM", () => void stop(0));

  try {
    stack = await startLocalStack({
      profile: DEMO_PROFILE,
      rpcPort,
      port: servicePort,
      dataDir: path.join(stateDir, "data"),
      stateDir,
      keyName: "development",
      // `pnpm bootstrap:local` gives further organisations their first API key in this running stack.
      operator: true,
      ...(process.env.INTYG_API_KEY ? { apiKey: process.env.INTYG_API_KEY } : {}),
      // The service reads the rest of its settings from the environment, as in production.
      configure: ({ rpcUrl, registry, port, dataDir }) =>
        loadConfig({
          ...process.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          INTYG_RPC_URL: rpcUrl,
          INTYG_REGISTRY: registry,
          INTYG_DATA_DIR: dataDir,
          LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        }),
    });
    const { serviceUrl, rpcUrl, chainId, registry, apiKey } = stack;
    const sample = await issueSample(serviceUrl, apiKey).catch(() => undefined);
    console.log(`
Intyg is running.

  service       ${serviceUrl}
  API reference ${serviceUrl}/docs   (OpenAPI: ${serviceUrl}/openapi.json)
  verifier page ${serviceUrl}/verify
  local chain   ${rpcUrl} (chain id ${chainId}), registry ${registry}
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
