// Onboarding an organisation end to end on a real chain: the service operator's `onboard` and
// `intyg governance accredit --safe` write the same batch; bootstrap refuses the organisation until the batch
// is executed (by the governing account, as a multisig would), refuses a profile other than the accredited one
// and a suspended organisation, each naming the governance command that fixes it; and the organisation view of
// `intyg governance organisations` and of the service's GET /organisations/{id} agree.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { organisationProfileHash } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { bootstrap, prepareOnboarding, ServiceError } from "@intyg/service";
import { expect } from "chai";
import { createPublicClient, createWalletClient, encodeFunctionData, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { stopDevChain } from "../../service/test/helpers/chain";
import { type AppHarness, createAppHarness, expectJson } from "../../service/test/helpers/harness";
import { intyg } from "./helpers/run";

const SERVICE = path.join(__dirname, "..", "..", "service");

/** A script of the service as the operator runs it (`pnpm --filter @intyg/service …`), in a child process. */
function service(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: SERVICE,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const VASTKOM = {
  name: "Västkom",
  legalName: "Västkom",
  organisationNumber: "222000-1354",
  url: "https://vastkom.se",
};

// The service's store on PostgreSQL needs a key-encryption key (the service's own tests set one for their run).
process.env.INTYG_KEK ??= `test:${Buffer.alloc(32, 42).toString("base64")}`;

describe("onboarding an organisation: governance batch, then bootstrap (real chain)", function () {
  this.timeout(300_000);
  let h: AppHarness;
  let dir: string;
  let chain: string[];
  let env: Record<string, string>;
  const admin = privateKeyToAccount(DEV_PRIVATE_KEYS[4]);
  const governor = privateKeyToAccount(DEV_PRIVATE_KEYS[0]);

  before(async () => {
    h = await createAppHarness("postgres", { autoStartWorker: false });
    dir = mkdtempSync(path.join(tmpdir(), "intyg-onboarding-"));
    chain = ["--rpc", h.deployment.rpcUrl, "--registry", h.deployment.registry];
    env = { INTYG_RPC_URL: h.deployment.rpcUrl, INTYG_REGISTRY: h.deployment.registry };
  });
  after(async () => {
    await h?.close();
    await stopDevChain();
  });

  const registry = () => ({ rpcUrl: h.deployment.rpcUrl, registry: h.deployment.registry });
  const refusal = async (input: Parameters<typeof bootstrap>[1]): Promise<ServiceError> => {
    try {
      await bootstrap(h.store, input, registry());
    } catch (error) {
      expect(error).to.be.instanceOf(ServiceError);
      return error as ServiceError;
    }
    throw new Error("bootstrap accepted it");
  };
  async function send(account: typeof admin, tx: { to: Hex; data: Hex }) {
    const wallet = createWalletClient({ transport: http(h.deployment.rpcUrl), account });
    const hash = await wallet.sendTransaction({ to: tx.to, data: tx.data, chain: null });
    const receipt = await createPublicClient({
      transport: http(h.deployment.rpcUrl),
    }).waitForTransactionReceipt({
      hash,
    });
    expect(receipt.status).to.equal("success");
  }

  it("refuses bootstrap before accreditation, with the command that accredits", async () => {
    const error = await refusal({ profile: VASTKOM, chainOrganisationId: 2 });
    expect(error.code).to.equal("bootstrap.not-accredited");
    expect(error.message)
      .to.contain("Organisation 2 is not accredited")
      .and.to.contain("intyg governance accredit")
      .and.to.contain("--organisation-number 222000-1354");
    expect(await h.store.organisations.findByChainId(2)).to.equal(null);

    // The operator's script says the same with exit 2 (bad input), and stores nothing.
    const script = await service(
      "src/bin/bootstrap.ts",
      [
        "--name",
        VASTKOM.name,
        "--organisation-number",
        VASTKOM.organisationNumber,
        "--url",
        VASTKOM.url,
        "--chain-organisation-id",
        "2",
      ],
      { ...env, INTYG_DATA_DIR: path.join(dir, "data"), DATABASE_URL: "" },
    );
    expect(script.code, script.stderr).to.equal(2);
    expect(script.stderr).to.contain("is not accredited").and.to.contain("intyg governance accredit");
  });

  it("writes the same accreditation from `onboard` and from `intyg governance accredit --safe`, and executing it accredits", async () => {
    const file = path.join(dir, "accredit.json");
    const cli = await intyg(
      [
        "governance",
        "accredit",
        ...chain,
        "--lang",
        "en",
        "--admin",
        admin.address,
        "--name",
        VASTKOM.name,
        "--organisation-number",
        VASTKOM.organisationNumber,
        "--url",
        VASTKOM.url,
        "--safe",
        file,
      ],
      { cwd: dir },
    );
    expect(cli.code, cli.stderr).to.equal(0);
    const batch = JSON.parse(readFileSync(file, "utf8")) as {
      chainId: string;
      transactions: { to: Hex; data: Hex; contractInputsValues: Record<string, string> }[];
    };

    const onboarding = await prepareOnboarding(registry(), { profile: VASTKOM, admin: admin.address });
    expect(onboarding.organisationId).to.equal(2);
    expect(onboarding.profileHash).to.equal(organisationProfileHash(VASTKOM, 2));
    expect(onboarding.batch.chainId).to.equal(batch.chainId);
    expect(onboarding.batch.transactions.map(({ to, data }) => ({ to, data }))).to.deep.equal(
      batch.transactions.map(({ to, data }) => ({ to, data })),
    );
    expect(onboarding.command).to.contain(`--admin ${admin.address}`);

    // The operator's script writes it to a file of its own and refuses bad input with exit 2.
    const written = path.join(dir, "onboard.json");
    const profileArgs = [
      "--name",
      VASTKOM.name,
      "--organisation-number",
      VASTKOM.organisationNumber,
      "--url",
      VASTKOM.url,
    ];
    const script = await service(
      "src/bin/onboard.ts",
      [...profileArgs, "--admin", admin.address, "--safe", written],
      env,
    );
    expect(script.code, script.stderr).to.equal(0);
    expect(JSON.parse(script.stdout)).to.include({ organisationId: 2, profileHash: onboarding.profileHash });
    const fromScript = JSON.parse(readFileSync(written, "utf8")) as typeof batch;
    expect(fromScript.transactions[0]!.data).to.equal(batch.transactions[0]!.data);
    const badAdmin = await service(
      "src/bin/onboard.ts",
      [...profileArgs, "--admin", "0x1234", "--safe", path.join(dir, "bad.json")],
      env,
    );
    expect(badAdmin.code).to.equal(2);
    expect(badAdmin.stderr).to.contain("admin: must be an Ethereum address");

    // The multisig executes the batch: here the governing account sends each transaction as written.
    for (const tx of batch.transactions) await send(governor, tx);
    const taken = await service(
      "src/bin/onboard.ts",
      [...profileArgs, "--admin", admin.address, "--safe", path.join(dir, "again.json")],
      env,
    );
    expect(taken.code).to.equal(2);
    expect(taken.stderr).to.contain("222000-1354 is accredited already, as organisation 2");
  });

  it("refuses a profile other than the accredited one, then bootstraps the accredited one (again with --reuse)", async () => {
    const wrong = await refusal({
      profile: { ...VASTKOM, url: "https://vastkom.se/other" },
      chainOrganisationId: 2,
    });
    expect(wrong.code).to.equal("bootstrap.profile-differs");
    expect(wrong.message)
      .to.contain(`the registry holds ${organisationProfileHash(VASTKOM, 2)}`)
      .and.to.contain("intyg governance approve-profile 2");
    const otherNumber = await refusal({
      profile: { ...VASTKOM, organisationNumber: "232100-0131" },
      chainOrganisationId: 2,
    });
    expect(otherNumber.message).to.contain("another organisation number");
    expect(await h.store.organisations.findByChainId(2)).to.equal(null);

    const first = await bootstrap(h.store, { profile: VASTKOM, chainOrganisationId: 2 }, registry());
    expect(first.created).to.equal(true);
    expect(first.apiKey.role).to.equal("admin");
    const again = await bootstrap(
      h.store,
      { profile: VASTKOM, chainOrganisationId: 2, reuse: true },
      registry(),
    );
    expect(again.created).to.equal(false);
    expect(again.organisation.id).to.equal(first.organisation.id);
    const own = await h.call("GET", "/v1/organisation", { auth: first.secret });
    expect(await expectJson(own, 200)).to.include({ chainOrganisationId: 2, name: VASTKOM.name });
  });

  it("refuses a proposed profile not yet approved and a suspended organisation, naming the command that fixes each", async () => {
    const moved = { ...VASTKOM, url: "https://vastkom.se/intyg" };
    const proposed = organisationProfileHash(moved, 2);
    await send(admin, {
      to: h.deployment.registry,
      data: encodeFunctionData({
        abi: intygRegistryAbi,
        functionName: "proposeOrganisationProfile",
        args: [2, proposed],
      }),
    });
    const pending = await refusal({ profile: moved, chainOrganisationId: 2 });
    expect(pending.code).to.equal("bootstrap.profile-pending");
    expect(pending.message)
      .to.contain(`intyg governance approve-profile 2 --registry`)
      .and.to.contain(proposed);

    const suspend = await intyg(["governance", "suspend", "2", ...chain, "--send"], {
      cwd: dir,
      env: { INTYG_GOVERNANCE_KEY: DEV_PRIVATE_KEYS[0] },
    });
    expect(suspend.code, suspend.stderr).to.equal(0);
    const suspended = await refusal({ profile: VASTKOM, chainOrganisationId: 2, reuse: true });
    expect(suspended.code).to.equal("bootstrap.suspended");
    expect(suspended.message).to.contain("intyg governance reinstate 2");
  });

  it("shows the same organisations through `intyg governance organisations` and GET /organisations/{id}", async () => {
    const cli = await intyg(["governance", "organisations", ...chain, "--json"], { cwd: dir });
    expect(cli.code, cli.stderr).to.equal(0);
    const view = JSON.parse(cli.stdout) as {
      organisations: {
        organisationId: number;
        status: string;
        admin: string;
        profileHash: Hex;
        pendingProfileHash?: Hex;
        keys: { address: string; validFrom: number; validUntil: number; suspended: boolean }[];
      }[];
    };
    expect(view.organisations).to.have.length(2);
    for (const o of view.organisations) {
      const api = await expectJson<{
        status: string;
        admin: string;
        profileHash: Hex;
        pendingProfileHash: Hex | null;
        keys: { address: string; validFrom: string | null; validUntil: string | null; suspended: boolean }[];
      }>(await h.call("GET", `/organisations/${o.organisationId}`, { auth: null }), 200);
      expect(api).to.include({
        status: o.status,
        admin: o.admin,
        profileHash: o.profileHash,
        pendingProfileHash: o.pendingProfileHash ?? null,
      });
      expect(api.keys.map((k) => [k.address, k.suspended])).to.deep.equal(
        o.keys.map((k) => [k.address, k.suspended]),
      );
      expect(api.keys.map((k) => k.validFrom)).to.deep.equal(
        o.keys.map((k) => (k.validFrom === 0 ? null : new Date(k.validFrom * 1000).toISOString())),
      );
    }
  });
});
