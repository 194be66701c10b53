// `tsx src/bin/dev.ts [root]`: the local chain, the registry, a demo organisation and the service; writes
// <root>/.intyg/dev.json (serviceUrl, rpcUrl, chainId, registry, apiKey). INTYG_API_KEY sets the demo key, PORT
// the service port. Stops on SIGINT/SIGTERM.

import path from "node:path";
import { startDev } from "../dev";
import { createLogger } from "../logger";

async function run() {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "info" });
  const dev = await startDev({
    root,
    ...(process.env.INTYG_API_KEY ? { apiKey: process.env.INTYG_API_KEY } : {}),
    ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}),
    logger,
  });
  logger.info(
    { serviceUrl: dev.serviceUrl, rpcUrl: dev.rpcUrl, registry: dev.registry },
    "dev setup ready; see .intyg/dev.json",
  );
  const stop = () => {
    dev.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

run().catch((error) => {
  process.stderr.write(`dev setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
