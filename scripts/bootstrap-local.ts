// `pnpm bootstrap:local -- --name … --chain-organisation-id N`: the service's bootstrap for a running `pnpm start`.
// Gives an organisation that governance has accredited on the local chain its first admin API key, in the
// stack's embedded database (which only the running stack may open), through the stack's loopback operator
// endpoint named in .intyg/dev.json. The same flags, checks and output as `pnpm --filter @intyg/service bootstrap`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot } from "@intyg/devchain";

const USAGE =
  "usage: pnpm bootstrap:local -- --name N [--legal-name L] --organisation-number NNNNNN-NNNN --url https://… --chain-organisation-id ID [--key-name K] [--config .intyg/dev.json]\n";

async function run(): Promise<number> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: {
      name: { type: "string" },
      "legal-name": { type: "string" },
      "organisation-number": { type: "string" },
      url: { type: "string" },
      "chain-organisation-id": { type: "string" },
      "key-name": { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = values.config
    ? path.resolve(process.env.INIT_CWD || process.cwd(), values.config)
    : path.join(repositoryRoot(), ".intyg", "dev.json");
  let dev: { operatorUrl?: string; operatorToken?: string };
  try {
    dev = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    process.stderr.write(`Cannot read ${file}: is \`pnpm start\` running?\n`);
    return 2;
  }
  if (!dev.operatorUrl || !dev.operatorToken) {
    process.stderr.write(`${file} names no operator endpoint: restart \`pnpm start\`.\n`);
    return 2;
  }
  const response = await fetch(`${dev.operatorUrl}/bootstrap`, {
    method: "POST",
    headers: { authorization: `Bearer ${dev.operatorToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      profile: {
        name: values.name ?? "",
        legalName: values["legal-name"] ?? values.name ?? "",
        organisationNumber: values["organisation-number"]?.trim() ?? "",
        url: values.url ?? "",
      },
      chainOrganisationId: Number(values["chain-organisation-id"] ?? "0"),
      ...(values["key-name"] ? { keyName: values["key-name"] } : {}),
    }),
  }).catch(() => null);
  if (!response) {
    process.stderr.write(`No answer from ${dev.operatorUrl}: is \`pnpm start\` running?\n`);
    return 2;
  }
  const body = (await response.json()) as {
    error?: string;
    errors?: { path: string; message: string }[];
  };
  if (!response.ok) {
    const issues = body.errors?.map((e) => `\n  ${e.path}: ${e.message}`).join("") ?? "";
    process.stderr.write(`${body.error}${issues}\n`);
    return response.status < 500 ? 2 : 1;
  }
  process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  return 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bootstrap failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
