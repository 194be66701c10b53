// `intyg governance` as a child process against a real chain: the view, each action sent with a governance
// key, and a multisig batch that, executed by the governing account, accredits an organisation.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { organisationNumberHash, organisationProfileHash } from "@intyg/credential";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { intygRegistryAbi } from "@intyg/registry";
import { expect } from "chai";
import type { Hex } from "viem";
import { account, createFixture, type Fixture } from "../../verifier/test/fixture";

const BIN = path.join(__dirname, "..", "bin", "intyg.js");

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string> = {}, cwd = tmpdir()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    for (const name of [
      "INTYG_RPC_URL",
      "INTYG_REGISTRY",
      "INTYG_GOVERNANCE_KEY",
      "INTYG_LANG",
      "LC_ALL",
      "LANG",
    ])
      delete base[name];
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const GOVERNOR = { INTYG_GOVERNANCE_KEY: DEV_PRIVATE_KEYS[0] };

describe("intyg governance", function () {
  this.timeout(180_000);
  let fx: Fixture;
  let dir: string;
  let chain: string[];

  before(async () => {
    fx = await createFixture();
    dir = mkdtempSync(path.join(tmpdir(), "intyg-governance-"));
    chain = ["--rpc", fx.rpcUrl, "--registry", fx.registry];
  });
  after(async () => {
    await fx?.stop();
  });

  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    fx.publicClient.readContract({
      address: fx.registry,
      abi: intygRegistryAbi,
      functionName,
      args,
    } as never) as Promise<T>;

  it("shows every organisation with its status, admin, profile and keys", async () => {
    const result = await run(["governance", "organisations", ...chain, "--json"]);
    expect(result.code, result.stderr).to.equal(0);
    const view = JSON.parse(result.stdout);
    expect(view.organisations).to.have.length(1);
    const [first] = view.organisations;
    expect(first).to.include({ organisationId: 1, status: "active", admin: account(1).address });
    expect(first.keys.map((k: { address: string }) => k.address)).to.include(account(2).address);
    const text = await run(["governance", "organisations", ...chain, "--lang", "sv"]);
    expect(text.stdout).to.match(/Organisation 1: aktiv, administratör 0x/);
    expect(text.stdout).to.contain(
      `nyckel ${account(2).address}: signerar sedan den godkändes, utan slutdatum`,
    );
  });

  it("writes a multisig batch that, executed by governance, accredits organisations under the ids their profiles name", async () => {
    const file = path.join(dir, "batch.json");
    const accredit = (name: string, number: string, admin: string) =>
      run([
        "governance",
        "accredit",
        ...chain,
        "--lang",
        "en",
        "--admin",
        admin,
        "--name",
        name,
        "--organisation-number",
        number,
        "--url",
        "https://example.se",
        "--safe",
        file,
      ]);
    const first = await accredit("Västkom", "222000-1354", account(4).address);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain("organisation id 2");
    const second = await accredit("Västra Götalandsregionen", "232100-0131", account(5).address);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.contain("organisation id 3");

    const batch = JSON.parse(readFileSync(file, "utf8"));
    expect(batch).to.include({ version: "1.0", chainId: "31337" });
    expect(batch.transactions).to.have.length(2);
    expect(batch.transactions[0].to).to.equal(fx.registry);
    expect(batch.transactions[0].contractMethod.name).to.equal("accreditOrganisation");
    expect(batch.transactions[1].contractInputsValues.admin).to.equal(account(5).address);
    expect(batch.meta.description).to.contain("Västkom").and.to.contain("Västra Götalandsregionen");

    // The multisig executes the batch: here the governing account sends each transaction as written.
    for (const tx of batch.transactions as { to: Hex; data: Hex }[]) {
      const hash = await fx.wallet(0).sendTransaction({
        to: tx.to,
        data: tx.data,
        account: account(0),
        chain: null,
      });
      expect((await fx.publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    }
    expect(await read<number>("organisationCount")).to.equal(3);
    const vgr = await read<{ status: number; admin: string; profileHash: Hex; organisationNumberHash: Hex }>(
      "organisation",
      [3],
    );
    expect(vgr.status).to.equal(1);
    expect(vgr.admin).to.equal(account(5).address);
    expect(vgr.organisationNumberHash).to.equal(organisationNumberHash("232100-0131"));
    const profile = {
      name: "Västra Götalandsregionen",
      legalName: "Västra Götalandsregionen",
      organisationNumber: "232100-0131",
      url: "https://example.se",
    };
    expect(vgr.profileHash, "the profile hash names the id the organisation got").to.equal(
      organisationProfileHash(profile, 3),
    );

    // A batch for another chain is not added to.
    const foreign = path.join(dir, "foreign.json");
    writeFileSync(foreign, JSON.stringify({ ...batch, chainId: "1" }));
    const refused = await run(["governance", "suspend", "2", ...chain, "--lang", "en", "--safe", foreign]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain("batch for chain 1");
  });

  it("sends suspension, reinstatement and accreditation with the governance key, and refuses what the registry would", async () => {
    const suspended = await run(["governance", "suspend", "1", ...chain, "--lang", "en", "--send"], GOVERNOR);
    expect(suspended.code, suspended.stderr).to.equal(0);
    expect(suspended.stdout).to.match(/Transaction 0x[0-9a-f]{64}, mined in block \d+/);
    expect((await read<{ status: number }>("organisation", [1])).status).to.equal(2);
    const again = await run(["governance", "suspend", "1", ...chain, "--lang", "en", "--send"], GOVERNOR);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain("IntygRegistryOrganisationAlreadySuspended(1)");
    const back = await run(["governance", "reinstate", "1", ...chain, "--send"], GOVERNOR);
    expect(back.code, back.stderr).to.equal(0);
    expect((await read<{ status: number }>("organisation", [1])).status).to.equal(1);

    // A key without the governor role is refused by the registry before anything is sent.
    const outsider = await run(["governance", "suspend", "1", ...chain, "--lang", "en", "--send"], {
      INTYG_GOVERNANCE_KEY: DEV_PRIVATE_KEYS[5],
    });
    expect(outsider.code).to.equal(1);
    expect(outsider.stderr).to.contain("AccessControlUnauthorizedAccount");

    // An organisation number already accredited is refused before a transaction is prepared.
    const keyFile = path.join(dir, "governance.key");
    writeFileSync(keyFile, `${DEV_PRIVATE_KEYS[0]}\n`, { mode: 0o600 });
    const taken = await run([
      "governance",
      "accredit",
      ...chain,
      "--lang",
      "sv",
      "--admin",
      account(4).address,
      "--name",
      "Kopia",
      "--organisation-number",
      "222000-1354",
      "--url",
      "https://example.se",
      "--send",
      "--key-file",
      keyFile,
    ]);
    expect(taken.code).to.equal(2);
    expect(taken.stderr).to.contain("Organisationsnumret 222000-1354 är redan godkänt, som organisation 2");
  });

  it("says what is missing, in the chosen language, with exit code 2", async () => {
    const noOutput = await run(["governance", "suspend", "1", ...chain, "--lang", "sv"]);
    expect(noOutput.code).to.equal(2);
    expect(noOutput.stderr).to.contain("--send för att skicka den nu");
    const noKey = await run(["governance", "suspend", "1", ...chain, "--lang", "en", "--send"]);
    expect(noKey.code).to.equal(2);
    expect(noKey.stderr).to.contain("set INTYG_GOVERNANCE_KEY or give --key-file");
    const badKey = await run(["governance", "suspend", "1", ...chain, "--lang", "en", "--send"], {
      INTYG_GOVERNANCE_KEY: "0x1234",
    });
    expect(badKey.code).to.equal(2);
    expect(badKey.stderr).to.contain("INTYG_GOVERNANCE_KEY does not hold a private key");
    expect(badKey.stderr).not.to.contain("0x1234");
    const noPending = await run(
      ["governance", "approve-profile", "1", ...chain, "--lang", "sv", "--send"],
      GOVERNOR,
    );
    expect(noPending.code).to.equal(2);
    expect(noPending.stderr).to.contain("har inte föreslagit någon profiländring");
    const unknown = await run(
      ["governance", "reinstate", "99", ...chain, "--lang", "en", "--send"],
      GOVERNOR,
    );
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain("The registry has no organisation 99");
    const badNumber = await run([
      "governance",
      "accredit",
      ...chain,
      "--lang",
      "en",
      "--admin",
      account(4).address,
      "--name",
      "X",
      "--organisation-number",
      "222000-1355",
      "--url",
      "https://example.se",
      "--send",
    ]);
    expect(badNumber.code).to.equal(2);
    expect(badNumber.stderr).to.contain("not a Swedish organisation number");
  });

  it("approves exactly the profile an organisation's admin proposed", async () => {
    const proposed = `0x${"ab".repeat(32)}` as Hex;
    await fx.write(1, "proposeOrganisationProfile", [1, proposed]);
    const wrong = await run(
      [
        "governance",
        "approve-profile",
        "1",
        ...chain,
        "--lang",
        "en",
        "--send",
        "--profile-hash",
        `0x${"cd".repeat(32)}`,
      ],
      GOVERNOR,
    );
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain("governance approves only the exact proposal");
    const view = JSON.parse((await run(["governance", "organisations", ...chain, "--json"])).stdout);
    expect(view.organisations[0].pendingProfileHash).to.equal(proposed);
    const approved = await run(["governance", "approve-profile", "1", ...chain, "--send"], GOVERNOR);
    expect(approved.code, approved.stderr).to.equal(0);
    expect((await read<{ profileHash: Hex }>("organisation", [1])).profileHash).to.equal(proposed);
  });

  it("schedules, grants and revokes the governor role through the admin delay, with the registry's own role id", async () => {
    const candidate = account(5).address;
    const governorRole = await read<Hex>("GOVERNOR_ROLE");
    const step = (name: string) =>
      run(["governance", "role", name, "governor", candidate, ...chain, "--send"], GOVERNOR);
    // Granting before it was scheduled is refused by the registry, by name.
    const early = await run(
      ["governance", "role", "grant", "governor", candidate, ...chain, "--lang", "en", "--send"],
      GOVERNOR,
    );
    expect(early.code).to.equal(1);
    expect(early.stderr).to.contain("IntygRegistryRoleGrantNotReady");
    expect((await step("schedule")).code).to.equal(0);
    expect(await read<number>("roleGrantReadyAt", [governorRole, candidate])).to.be.above(0);
    expect((await step("grant")).code).to.equal(0);
    expect(await read<boolean>("hasRole", [governorRole, candidate])).to.equal(true);
    expect((await step("revoke")).code).to.equal(0);
    expect(await read<boolean>("hasRole", [governorRole, candidate])).to.equal(false);
    const wrong = await run([
      "governance",
      "role",
      "promote",
      "governor",
      candidate,
      ...chain,
      "--lang",
      "sv",
      "--send",
    ]);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('"promote" är inget steg');
  });
});
