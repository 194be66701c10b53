// Creates an organisation and its first admin API key in the service's database, and prints them as JSON, once
// the registry has it accredited, active and with this profile (read from the service's node and registry).
//
//   INTYG_RPC_URL=… INTYG_REGISTRY=0x… DATABASE_URL=postgres://… (or INTYG_DATA_DIR=…) tsx src/bin/bootstrap.ts \
//     --name "Offentliga Rummet" --legal-name "Sveriges Kommuner och Regioner" \
//     --organisation-number 222000-0315 --url https://skr.se --chain-organisation-id 1 [--api-key …] [--reuse]
//
// The API key is printed once; only its SHA-256 is stored. Exit 2 for bad input, a missing setting, or an
// organisation the registry does not have as given (the message names the governance command that fixes it).

import { parseArgs } from "node:util";
import { bootstrap } from "../bootstrap";
import { loadConfig } from "../config";
import { serviceKeyring } from "../privacy/keyring";
import { createStore } from "../store/store";
import { runScript, scriptArgs } from "./script";

async function run(): Promise<number> {
  const { values } = parseArgs({
    args: scriptArgs(),
    options: {
      name: { type: "string" },
      "legal-name": { type: "string" },
      "organisation-number": { type: "string" },
      url: { type: "string" },
      "chain-organisation-id": { type: "string" },
      "key-name": { type: "string" },
      "api-key": { type: "string" },
      reuse: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: INTYG_RPC_URL=… INTYG_REGISTRY=0x… bootstrap --name N --legal-name L --organisation-number NNNNNN-NNNN --url https://… --chain-organisation-id ID [--key-name K] [--api-key KEY] [--reuse]\n",
    );
    return 0;
  }
  const config = loadConfig(process.env);
  // The keyring the service loads: INTYG_KEK or INTYG_KEK_FILE, else (embedded database only) the development
  // keystore beside the data.
  const keyring = serviceKeyring(process.env, config);
  const store = await createStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    keyring,
  });
  try {
    const result = await bootstrap(
      store,
      {
        profile: {
          name: values.name ?? "",
          legalName: values["legal-name"] ?? values.name ?? "",
          organisationNumber: values["organisation-number"] ?? "",
          url: values.url ?? "",
        },
        chainOrganisationId: Number(values["chain-organisation-id"] ?? "0"),
        ...(values["key-name"] ? { keyName: values["key-name"] } : {}),
        ...((values["api-key"] ?? process.env.INTYG_API_KEY)
          ? { apiKey: values["api-key"] ?? process.env.INTYG_API_KEY }
          : {}),
        reuse: values.reuse ?? false,
      },
      { rpcUrl: config.rpcUrl, registry: config.registry, timeoutMs: config.rpc.timeoutMs },
    );
    process.stdout.write(
      `${JSON.stringify(
        {
          organisationId: result.organisation.id,
          chainOrganisationId: result.organisation.chainOrganisationId,
          created: result.created,
          apiKeyId: result.apiKey.id,
          apiKey: result.secret,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

runScript("bootstrap", "bootstrap.", run);
