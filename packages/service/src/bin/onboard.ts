// Onboards an organisation, the service operator's side: validates its profile and admin against the registry
// and writes what governance must approve — the accreditation as a Safe Transaction Builder batch (FILE) — and
// prints, as JSON, the profile hash, the id the organisation will get, the equivalent `intyg governance accredit`
// command line and the bootstrap command that gives its admin the first API key once governance has acted.
//
//   INTYG_RPC_URL=… INTYG_REGISTRY=0x… tsx src/bin/onboard.ts --name "Västkom" --legal-name "Västkom" \
//     --organisation-number 222000-1354 --url https://vastkom.se --admin 0x… --safe accredit-vastkom.json
//
// `--config FILE` reads rpcUrl and registry from a JSON file instead (e.g. `pnpm start`'s .intyg/dev.json).
// Nothing is sent and nothing is stored: exit 0 when the batch is written, 2 for bad input.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getAddress, isAddress } from "viem";
import { DEFAULT_RPC_CONFIG } from "../config";
import { ConfigError } from "../errors";
import { prepareOnboarding } from "../onboard";
import { runScript, scriptArgs } from "./script";

const USAGE =
  "usage: onboard --name N [--legal-name L] --organisation-number NNNNNN-NNNN --url https://… --admin 0x… --safe FILE [--safe-address 0x…] [--config FILE]\n" +
  "  the chain: INTYG_RPC_URL and INTYG_REGISTRY, or --config FILE (JSON with rpcUrl and registry)\n";

/** Where relative paths start: the directory pnpm was run from (it runs package scripts in the package). */
const cwd = process.env.INIT_CWD || process.cwd();

function chainFrom(configFile: string | undefined): { rpcUrl: string; registry: `0x${string}` } {
  let rpcUrl = process.env.INTYG_RPC_URL;
  let registry = process.env.INTYG_REGISTRY;
  if (configFile) {
    let file: { rpcUrl?: unknown; registry?: unknown };
    try {
      file = JSON.parse(readFileSync(path.resolve(cwd, configFile), "utf8"));
    } catch {
      throw new ConfigError(`--config ${configFile} is not a readable JSON file`);
    }
    rpcUrl = typeof file.rpcUrl === "string" ? file.rpcUrl : undefined;
    registry = typeof file.registry === "string" ? file.registry : undefined;
  }
  const where = configFile ? `--config ${configFile}: ` : "";
  if (!rpcUrl || !/^https?:\/\//.test(rpcUrl))
    throw new ConfigError(`${where}the chain's JSON-RPC URL is required (INTYG_RPC_URL, an http(s) URL)`);
  if (!registry || !isAddress(registry, { strict: false }))
    throw new ConfigError(`${where}the registry's address is required (INTYG_REGISTRY)`);
  return { rpcUrl, registry: getAddress(registry) };
}

async function run(): Promise<number> {
  const { values } = parseArgs({
    args: scriptArgs(),
    options: {
      name: { type: "string" },
      "legal-name": { type: "string" },
      "organisation-number": { type: "string" },
      url: { type: "string" },
      admin: { type: "string" },
      safe: { type: "string" },
      "safe-address": { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.safe) throw new ConfigError(`--safe FILE is required: where to write the batch\n${USAGE}`);
  const file = path.resolve(cwd, values.safe);
  if (existsSync(file))
    throw new ConfigError(`${values.safe} exists already: give another --safe file, or remove it`);
  const chain = chainFrom(values.config);
  const onboarding = await prepareOnboarding(
    { ...chain, timeoutMs: DEFAULT_RPC_CONFIG.timeoutMs },
    {
      profile: {
        name: values.name ?? "",
        legalName: values["legal-name"] ?? values.name ?? "",
        organisationNumber: values["organisation-number"]?.trim() ?? "",
        url: values.url ?? "",
      },
      admin: values.admin ?? "",
      ...(values["safe-address"] ? { safe: values["safe-address"] } : {}),
    },
  );
  writeFileSync(file, `${JSON.stringify(onboarding.batch, null, 2)}\n`, { flag: "wx" });
  process.stdout.write(
    `${JSON.stringify(
      {
        chainId: onboarding.chainId,
        registry: onboarding.registry,
        organisationId: onboarding.organisationId,
        profile: onboarding.profile,
        admin: onboarding.admin,
        profileHash: onboarding.profileHash,
        organisationNumberHash: onboarding.organisationNumberHash,
        batch: values.safe,
        governance: {
          multisig: `load ${values.safe} in the Safe Transaction Builder, check the call and sign`,
          command: onboarding.command,
        },
        afterAccreditation: onboarding.bootstrapCommand,
        note: `The profile hash names organisation id ${onboarding.organisationId}, the next free id now: if governance accredits another organisation first, onboard again.`,
      },
      null,
      2,
    )}\n`,
  );
  return 0;
}

runScript("onboard", "onboard.", run);
