// Trust anchors: only the verifier's own options decide which registry and chain a verdict trusts. A second
// registry on the same chain, deployed by someone who accredits themselves with a genuine issuer's profile,
// is the attacker here; so is a snapshot of it, one of another chain, and a node of another chain.

import { expect } from "chai";
import {
  type Check,
  type RegistrySnapshot,
  recordSnapshot,
  type VerificationReport,
  verifyCredential,
} from "../src";
import { createFixture, type Fixture } from "./fixture";

function check(report: VerificationReport, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

describe("trust anchors", function () {
  this.timeout(180_000);
  let fx: Fixture;
  /** An attacker's registry on the same chain: its governor accredits an organisation with the same profile. */
  let rogue: Fixture;

  before(async () => {
    fx = await createFixture();
    rogue = await createFixture({ chain: fx.chain, accounts: { governor: 4, admin: 5, signer: 4 } });
  });
  after(async () => {
    await rogue?.stop();
    await fx?.stop();
  });

  it("a credential of another registry never verifies against the pinned one, though it verifies in its own", async () => {
    const forged = await rogue.issue();
    const own = await verifyCredential(forged, { rpcUrl: fx.rpcUrl, registry: rogue.registry });
    expect(own.verified, "the attacker's registry is self-consistent").to.equal(true);
    const report = await verifyCredential(forged, { rpcUrl: fx.rpcUrl, registry: fx.registry, lang: "en" });
    expect(report.verified).to.equal(false);
    expect(check(report, "anchor")).to.include({ status: "failed", code: "wrong-registry" });
    expect(report.credential, "no claim of a forgery is reported").to.equal(undefined);
    expect(report.trust).to.include({ source: "caller", registry: fx.registry });
  });

  it("states the trust anchor of every verdict: registry, chain, organisation and who chose them", async () => {
    const credential = await fx.issue();
    const report = await verifyCredential(credential, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      chainId: fx.chainId,
      trustSource: { source: "config-file", detail: "/etc/intyg.json" },
      lang: "en",
    });
    expect(report.verified).to.equal(true);
    expect(report.trust).to.deep.include({
      source: "config-file",
      detail: "/etc/intyg.json",
      registry: fx.registry,
      chainId: fx.chainId,
      organisationId: fx.organisationId,
    });
    expect(report.trust.message).to.include(fx.registry).and.include("/etc/intyg.json");
    const none = await verifyCredential(credential, { rpcUrl: fx.rpcUrl, lang: "sv" });
    expect(none.verified).to.equal(false);
    expect(none.trust.source).to.equal("none");
    expect(none.trust.message).to.match(/^Inget förtroendeankare/);
  });

  it("refuses a node on another chain than the pinned chain id before using any of its answers", async () => {
    const credential = await fx.issue();
    const report = await verifyCredential(credential, {
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      chainId: 1,
      lang: "en",
    });
    expect(report.verified).to.equal(false);
    expect(check(report, "anchor")).to.include({ status: "failed", code: "wrong-chain" });
    expect(check(report, "anchor").message).to.match(
      /node .* is on chain 31337, but the verifier trusts chain 1/,
    );
    expect(check(report, "issuer").status).to.equal("skipped");
    expect(report.credential).to.equal(undefined);
  });

  it("refuses a snapshot of another registry or another chain, and says so in a check", async () => {
    const credential = await fx.issue();
    const ofRogue = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: rogue.registry });
    const report = await verifyCredential(credential, {
      snapshot: ofRogue,
      registry: fx.registry,
      lang: "en",
    });
    expect(report.verified).to.equal(false);
    expect(check(report, "anchor")).to.include({ status: "failed", code: "wrong-registry" });
    expect(check(report, "anchor").message).to.include(rogue.registry).and.include(fx.registry);

    // The attacker's credential with the attacker's snapshot: still not the pinned registry.
    const forged = await rogue.issue();
    const forgedReport = await verifyCredential(forged, { snapshot: ofRogue, registry: fx.registry });
    expect(forgedReport.verified).to.equal(false);

    const genuine = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const otherChain: RegistrySnapshot = { ...genuine, chainId: 1 };
    const wrongChain = await verifyCredential(credential, {
      snapshot: otherChain,
      registry: fx.registry,
      chainId: fx.chainId,
    });
    expect(check(wrongChain, "anchor")).to.include({ status: "failed", code: "wrong-chain" });

    const ok = await verifyCredential(credential, {
      snapshot: genuine,
      registry: fx.registry,
      chainId: fx.chainId,
    });
    expect(ok.verified, JSON.stringify(ok.checks)).to.equal(true);
    expect(ok.chain?.snapshot?.ageSeconds).to.be.a("number");
  });

  it("with a node it trusts, refuses a snapshot whose block hash is not on that node's chain", async () => {
    const credential = await fx.issue();
    const genuine = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    expect(genuine.blockHash).to.match(/^0x[0-9a-f]{64}$/);
    const confirmed = await verifyCredential(credential, {
      snapshot: genuine,
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
    });
    expect(confirmed.verified, JSON.stringify(confirmed.checks)).to.equal(true);
    const invented = { ...genuine, blockHash: `0x${"ab".repeat(32)}` as const };
    const report = await verifyCredential(credential, {
      snapshot: invented,
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
    });
    expect(report.verified).to.equal(false);
    expect(check(report, "anchor")).to.include({ status: "failed", code: "snapshot-not-on-chain" });
  });

  it("reports no claims for a failed credential; a revoked one keeps only the chain's status", async () => {
    const credential = await fx.issue();
    await fx.write(2, "revoke", [fx.organisationId, credential.commitment.root, 3]);
    const report = await verifyCredential(credential, { rpcUrl: fx.rpcUrl, registry: fx.registry });
    expect(report.verified).to.equal(false);
    expect(report.credential).to.equal(undefined);
    expect(report.status?.revokedAt).to.be.a("string");
    expect(JSON.stringify(report)).to.not.include("Anna Andersson");
  });
});
