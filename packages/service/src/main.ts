// The service's entry point: configuration from the environment, the HTTP server and the anchoring worker,
// a clean stop on SIGINT and SIGTERM.
//
//   INTYG_RPC_URL=http://127.0.0.1:8545 INTYG_REGISTRY=0x… INTYG_SIGNER_KEY=0x… tsx src/main.ts
//
// See loadConfig() for every variable: PORT, HOST (127.0.0.1), DATABASE_URL (postgres://…; embedded PGlite in
// INTYG_DATA_DIR, default .intyg/data, otherwise), INTYG_KEYSTORE + INTYG_KEYSTORE_PASSWORD instead of
// INTYG_SIGNER_KEY, INTYG_RELAYER_KEY, INTYG_PUBLIC_URL, LOG_LEVEL …

import { loadConfig, loadSignerSource } from "./config";
import { ConfigError, SignerError } from "./errors";
import { createLogger, errorText, type Logger, type SerializedError, serializeError } from "./logger";
import { KeyringError, serviceKeyring } from "./privacy/keyring";
import { loadSigner, type RunningService, startService } from "./service";
import { privateKeySigner } from "./signer";
import { databaseUnavailableReason } from "./store/unavailable";

/**
 * Last-resort handlers: a database connection that fails outside any request or pass (a stray socket error) is
 * an outage to log and ride out; anything else is a programmer error, logged and fatal (the state is unknown).
 */
export function guardProcess(logger: Logger, exit: (code: number) => void = process.exit): void {
  const fault = (kind: string) => (error: unknown) => {
    const database = databaseUnavailableReason(error);
    if (database) {
      logger.warn({ cause: database, kind }, "a database connection failed outside any request; carrying on");
      return;
    }
    logger.fatal({ err: error, kind }, "programmer error: stopping");
    exit(1);
  };
  process.on("uncaughtException", fault("uncaughtException"));
  process.on("unhandledRejection", fault("unhandledRejection"));
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  if (require.main === module) guardProcess(logger);
  // INTYG_KEK or INTYG_KEK_FILE; the development keystore beside the data directory (not in it) for the embedded
  // database only, as the store and bootstrap expect; PostgreSQL without either stops here, saying what to set.
  const keyring = serviceKeyring(env as NodeJS.ProcessEnv, config);
  const signer = await loadSigner(loadSignerSource(env));
  const relayer = env.INTYG_RELAYER_KEY ? privateKeySigner(env.INTYG_RELAYER_KEY) : undefined;
  const service = await startService({ config, signer, keyring, ...(relayer ? { relayer } : {}), logger });
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return service;
}

if (require.main === module) {
  main().catch((error) => {
    if (error instanceof ConfigError || error instanceof SignerError || error instanceof KeyringError) {
      process.stderr.write(`intyg service: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `intyg service failed to start: ${error instanceof Error ? (serializeError(error) as SerializedError).stack : errorText(error)}\n`,
    );
    process.exit(1);
  });
}
