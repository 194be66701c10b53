import { discloseCredential, shareUrl } from "@intyg/credential";
import { intygRegistryAbi, REVOCATION_REASONS } from "@intyg/registry";
import { expect } from "chai";
import { zeroHash } from "viem";
import {
  type Check,
  recordSnapshot,
  type VerificationReport,
  verifyCredential,
  verifyCredentials,
} from "../src";
import { account, createFixture, type Fixture, PROFILE } from "./fixture";

function statuses(report: VerificationReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check: Check) => [check.id, check.status]));
}

function check(report: VerificationReport, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

describe("verification against a real chain", function () {
  this.timeout(120_000);
  let fx: Fixture;
  const opts = () => ({ rpcUrl: fx.rpcUrl, registry: fx.registry });

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it("verifies a valid single credential, all checks in order, holder skipped", async () => {
    const credential = await fx.issue();
    const report = await verifyCredential(credential, { ...opts(), lang: "en" });
    expect(report.verified).to.equal(true);
    expect(report.checks.map((c) => c.id)).to.deep.equal([
      "format",
      "integrity",
      "signature",
      "issuer",
      "anchor",
      "revocation",
      "validity",
      "holder",
      "event",
    ]);
    expect(report.checks.filter((c) => c.status !== "passed").map((c) => c.id)).to.deep.equal(["holder"]);
    expect(report.verdict).to.match(/^Verified/);
    expect(report.credential!.issuer?.name).to.equal("Region Exempel");
    expect(report.credential!.issuer?.organisationNumber).to.match(/^232100-001\d$/);
    expect(report.credential!.achievement?.name).to.equal("Offentliga Rummet 2026");
    expect(report.credential!.subject?.map((claim) => claim.path)).to.include("name");
    expect(report.credential!.signer).to.equal(account(2).address);
    expect(report.chain?.chainId).to.equal(31337);
    expect(report.chain?.registrySource).to.equal("options");
    expect(Number(report.chain?.blockNumber)).to.be.greaterThan(0);
    expect(report.credential!.anchoredAt).to.be.a("string");
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
  });

  it("speaks Swedish by default and English on request", async () => {
    const credential = await fx.issue();
    const sv = await verifyCredential(credential, opts());
    const en = await verifyCredential(credential, { ...opts(), lang: "en" });
    expect(sv.lang).to.equal("sv");
    expect(sv.verdict).to.match(/^Verifierat/);
    expect(check(sv, "revocation").message).to.match(/inte återkallat/);
    expect(check(en, "revocation").message).to.match(/not revoked/);
  });

  it("verifies a course credential, a batch, a disclosed copy and a share link", async () => {
    const course = await fx.issue({ course: true });
    const batch = await fx.issueBatch(3);
    const disclosed = discloseCredential(await fx.issue(), { reveal: ["/credentialSubject/name"] });
    const link = shareUrl("https://intyg.example.se/verify", await fx.issue());
    const reports = await verifyCredentials([course, ...batch, disclosed, link], opts());
    for (const report of reports) expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
    expect(reports[0]!.credential!.kind).to.equal("training");
    expect(reports[1]!.credential!.batch?.size).to.equal(3);
    expect(reports[4]!.credential!.hiddenClaims).to.equal(4);
    expect(reports[4]!.credential!.subject?.map((c) => c.path)).to.deep.equal(["name", "identifier"]);
  });

  it("does not trust a registry that only the credential names, unless told to", async () => {
    const credential = await fx.issue();
    const report = await verifyCredential(credential, { rpcUrl: fx.rpcUrl, lang: "en" });
    expect(report.verified).to.equal(false);
    expect(check(report, "issuer")).to.include({ status: "failed", code: "untrusted-registry" });
    expect(check(report, "anchor").status).to.equal("passed");
    expect(report.chain?.registrySource).to.equal("credential");
    const trusting = await verifyCredential(credential, { rpcUrl: fx.rpcUrl, trustCredentialRegistry: true });
    expect(trusting.verified).to.equal(true);
  });

  it("fails a revoked credential with the reason, and says what superseded it", async () => {
    const revoked = await fx.issue();
    await fx.write(2, "revoke", [fx.organisationId, revoked.commitment.root, REVOCATION_REASONS.withdrawn]);
    const old = await fx.issue();
    const replacement = await fx.issue();
    await fx.write(1, "supersede", [
      fx.organisationId,
      old.commitment.root,
      zeroHash,
      replacement.commitment.root,
    ]);
    const [a, b, c] = await verifyCredentials([revoked, old, replacement], { ...opts(), lang: "en" });
    expect(a!.verified).to.equal(false);
    expect(check(a!, "revocation")).to.include({ status: "failed", code: "revoked" });
    expect(check(a!, "revocation").message).to.match(/the issuer withdrew it/);
    expect(a!.status?.revocationReason).to.equal("withdrawn");
    expect(a!.verdict).to.match(/^Not verified: The credential was revoked/);
    expect(a!.credential, "a revoked credential proves no claim").to.equal(undefined);
    expect(check(b!, "revocation").status).to.equal("failed");
    expect(check(b!, "revocation").message).to.match(/superseded/);
    expect(check(b!, "revocation").message).to.include(replacement.commitment.root);
    expect(b!.status?.supersededBy).to.equal(replacement.commitment.root);
    expect(c!.verified).to.equal(true);
  });

  it("fails a revoked leaf of a batch, and every credential of a revoked batch", async () => {
    const batch = await fx.issueBatch(4);
    await fx.write(2, "revokeLeaf", [
      fx.organisationId,
      batch[1]!.anchor.batch!.root,
      batch[1]!.anchor.batch!.leaf,
      1,
    ]);
    const reports = await verifyCredentials(batch, { ...opts(), lang: "en" });
    expect(reports.map((r) => r.verified)).to.deep.equal([true, false, true, true]);
    expect(check(reports[1]!, "revocation").message).to.match(/issued in error/);

    const whole = await fx.issueBatch(2);
    await fx.write(1, "revoke", [fx.organisationId, whole[0]!.anchor.batch!.root, REVOCATION_REASONS.fraud]);
    const wholeReports = await verifyCredentials(whole, { ...opts(), lang: "en" });
    for (const report of wholeReports) {
      expect(check(report, "revocation").message).to.match(/whole batch.*fraud/);
    }
  });

  it("fails an expired credential and one not yet valid", async () => {
    const now = await fx.latestTimestamp();
    const expiring = await fx.issue({ validUntil: new Date((now + 600) * 1000) });
    const future = await fx.issue({ validFrom: new Date((now + 86_400) * 1000) });
    const later = (now + 3600) * 1000;
    const [a] = await verifyCredentials([expiring], { ...opts(), now: later });
    expect(statuses(a!)).to.include({ validity: "failed", anchor: "passed", revocation: "passed" });
    expect(check(a!, "validity").code).to.equal("expired");
    const [b] = await verifyCredentials([future], { ...opts(), now: now * 1000 });
    expect(check(b!, "validity").code).to.equal("not-yet-valid");
    expect((await verifyCredential(expiring, { ...opts(), now: now * 1000 })).verified).to.equal(true);
  });

  it("fails a credential not yet anchored, and skips what depends on the anchor", async () => {
    const credential = await fx.issue({ anchor: false });
    const report = await verifyCredential(credential, opts());
    expect(report.verified).to.equal(false);
    expect(check(report, "anchor")).to.include({ status: "failed", code: "not-anchored" });
    expect(check(report, "revocation")).to.include({ status: "skipped", code: "depends-on-failed-check" });
  });

  it("fails a credential of another chain and of another registry", async () => {
    const otherChain = await fx.issue({ chainId: 11155111, anchor: false });
    const report = await verifyCredential(otherChain, { ...opts(), lang: "en" });
    expect(check(report, "signature").status).to.equal("passed");
    expect(check(report, "anchor")).to.include({ status: "failed", code: "wrong-chain" });
    expect(check(report, "anchor").message).to.match(/chain 11155111.*chain 31337/);
    expect(check(report, "issuer").status).to.equal("skipped");
    expect(check(report, "event").status).to.equal("skipped");

    const credential = await fx.issue();
    const elsewhere = await verifyCredential(credential, {
      rpcUrl: fx.rpcUrl,
      registry: "0x000000000000000000000000000000000000dEaD",
    });
    expect(elsewhere.verified).to.equal(false);
    expect(check(elsewhere, "issuer").code).to.equal("no-registry");
  });

  it("fails the credentials of a suspended issuer, and passes them again once reinstated", async () => {
    const credential = await fx.issue();
    await fx.write(0, "suspendOrganisation", [fx.organisationId]);
    try {
      const report = await verifyCredential(credential, { ...opts(), lang: "en" });
      expect(check(report, "issuer")).to.include({ status: "failed", code: "organisation-suspended" });
      expect(check(report, "issuer").message).to.match(/suspended/);
      expect(check(report, "anchor").status).to.equal("passed");
    } finally {
      await fx.write(0, "reinstateOrganisation", [fx.organisationId]);
    }
    expect((await verifyCredential(credential, opts())).verified).to.equal(true);
  });

  it("keeps what a removed key signed while valid, and fails what it signed after removal", async () => {
    // Key #4 is authorised, signs one credential, then is removed; key #3 stays valid and anchors the second.
    await fx.authorise(4);
    await fx.authorise(3);
    const before = await fx.issue({ signer: 4 });
    await fx.increaseTime(5);
    await fx.write(1, "removeKey", [account(4).address]);
    await fx.increaseTime(5);
    const after = await fx.issue({ signer: 4, anchorFrom: 3 });
    const [a, b] = await verifyCredentials([before, after], { ...opts(), lang: "en" });
    expect(a!.verified, JSON.stringify(a!.checks)).to.equal(true);
    expect(check(b!, "issuer")).to.include({ status: "failed", code: "key-not-valid-at-issuance" });
    expect(check(b!, "anchor").status).to.equal("passed");
    // The report names the key and its window, so credentials of co-hosting organisations are told apart.
    const signingKey = a!.credential!.signingKey!;
    expect(signingKey.address).to.equal(account(4).address);
    expect(signingKey.validUntil, "the removed key's window ends at its removal").to.be.a("string");
    expect(Date.parse(signingKey.validFrom)).to.be.below(Date.parse(signingKey.validUntil!));
    expect(check(a!, "issuer").message).to.match(/the key signs for it from .+ until /);
    const current = await verifyCredential(await fx.issue({ signer: 3 }), { ...opts(), lang: "sv" });
    expect(current.credential!.signingKey).to.include({ address: account(3).address });
    expect(current.credential!.signingKey!.validUntil).to.equal(undefined);
    expect(check(current, "issuer").message).to.contain("tills vidare");
  });

  it("fails a credential signed by a key no organisation registered", async () => {
    const credential = await fx.issue({ signer: 5, anchorFrom: 2 });
    const report = await verifyCredential(credential, opts());
    expect(check(report, "issuer")).to.include({ status: "failed", code: "key-unknown" });
  });

  it("words a key window open from the start as such, not as 1 January 1970 (both languages)", async () => {
    // The demo's key (#2) is authorised with validFrom 0, as organisations' own keys are: valid from the start.
    const credential = await fx.issue();
    const en = await verifyCredential(credential, { ...opts(), lang: "en" });
    expect(en.verified, JSON.stringify(en.checks)).to.equal(true);
    expect(check(en, "issuer").message).to.contain("the key signs for it from the start with no end date");
    expect(check(en, "issuer").message).not.to.match(/1970/);
    const sv = await verifyCredential(credential, { ...opts(), lang: "sv" });
    expect(check(sv, "issuer").message).to.contain("nyckeln signerar för den från början tills vidare");
    expect(check(sv, "issuer").message).not.to.match(/1970/);
    // A key whose window has a start still names it (key #5: unregistered until now).
    await fx.authorise(5, (await fx.latestTimestamp()) - 60);
    const dated = await verifyCredential(await fx.issue({ signer: 5 }), { ...opts(), lang: "sv" });
    expect(dated.verified, JSON.stringify(dated.checks)).to.equal(true);
    expect(check(dated, "issuer").message).to.match(/nyckeln signerar för den från \d+ \p{L}+ 20\d\d/u);
  });

  it("fails without a chain, and when the chain cannot be reached, saying so", async () => {
    const credential = await fx.issue();
    const none = await verifyCredential(credential, { lang: "en" });
    expect(check(none, "issuer")).to.include({ status: "failed", code: "no-chain" });
    expect(check(none, "validity").status).to.equal("passed");
    const down = await verifyCredential(credential, { rpcUrl: "http://127.0.0.1:9", registry: fx.registry });
    expect(check(down, "issuer")).to.include({ status: "failed", code: "chain-unavailable" });
    expect(down.verified).to.equal(false);
  });

  it("fails an issuer profile or an event description that is not the registered one", async () => {
    const impostor = await fx.issue({ issuer: { name: "Region Stockholm", legalName: "Region Stockholm" } });
    const renamed = await fx.issue({ event: { name: "Offentliga Rummet 2026 (förlängt)" } });
    const [a, b] = await verifyCredentials([impostor, renamed], { ...opts(), lang: "en" });
    expect(check(a!, "issuer")).to.include({ status: "failed", code: "profile-mismatch" });
    expect(check(a!, "anchor").status).to.equal("passed");
    expect(check(b!, "event")).to.include({ status: "failed", code: "metadata-mismatch" });
    const lax = await verifyCredentials([impostor, renamed], { ...opts(), checkMetadata: false });
    expect(lax.map((r) => r.verified)).to.deep.equal([true, true]);
  });

  it("keeps credentials valid after the organisation updates its profile or the event its description", async () => {
    const credential = await fx.issue();
    const newHash = `0x${"11".repeat(32)}` as const;
    const renamed = { ...PROFILE, url: "https://renamed.example.se" };
    const read = async () => ({
      metadata: (
        await fx.publicClient.readContract({
          address: fx.registry,
          abi: intygRegistryAbi,
          functionName: "eventInfo",
          args: [fx.eventId],
        })
      ).metadataHash,
    });
    const before = await read();
    await fx.setProfile(renamed);
    await fx.write(1, "updateEventMetadata", [fx.eventId, newHash]);
    try {
      const report = await verifyCredential(credential, opts());
      expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      expect((await verifyCredential(credential, { snapshot })).verified).to.equal(true);
    } finally {
      await fx.setProfile(PROFILE);
      await fx.write(1, "updateEventMetadata", [fx.eventId, before.metadata]);
    }
  });

  it("accepts only the profile in force when the credential was issued, never a later or an earlier one", async () => {
    const renamed = { ...PROFILE, name: "Region Exempel (ny)" };
    // Signed and anchored while PROFILE is in force, but carrying the profile approved afterwards.
    const early = await fx.issue({ issuer: { name: renamed.name } });
    await fx.increaseTime(5);
    await fx.setProfile(renamed);
    try {
      const late = await fx.issue({ issuer: { name: renamed.name } });
      // Issued under the new profile while carrying the old one.
      const stale = await fx.issue();
      const [a, b, c] = await verifyCredentials([early, late, stale], { ...opts(), lang: "en" });
      expect(check(a!, "issuer")).to.include({ status: "failed", code: "profile-mismatch" });
      expect(b!.verified, JSON.stringify(b!.checks)).to.equal(true);
      expect(check(c!, "issuer")).to.include({ status: "failed", code: "profile-mismatch" });
      const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
      const offline = await verifyCredentials([early, late], { snapshot });
      expect(offline.map((r) => r.verified)).to.deep.equal([false, true]);
    } finally {
      await fx.increaseTime(5);
      await fx.setProfile(PROFILE);
    }
  });

  it("flags an issuer name that mixes scripts, and shows the organisation number and registry id", async () => {
    // "Regiоn" with a Cyrillic о: accredited by governance, but a person should be told.
    const lookalike = { ...PROFILE, name: "Regi\u043en Exempel" };
    await fx.increaseTime(5);
    await fx.setProfile(lookalike);
    try {
      const credential = await fx.issue({ issuer: { name: lookalike.name } });
      const report = await verifyCredential(credential, { ...opts(), lang: "en" });
      expect(report.verified, JSON.stringify(report.checks)).to.equal(true);
      const issuer = check(report, "issuer");
      expect(issuer.message).to.include(PROFILE.organisationNumber);
      expect(issuer.message).to.include(`registry organisation ${fx.organisationId}`);
      expect(issuer.message).to.match(/mixes letters of different scripts/);
      const plain = await verifyCredential(await fx.issue({ issuer: { name: lookalike.name } }), {
        ...opts(),
        lang: "sv",
      });
      expect(check(plain, "issuer").message).to.match(/olika skriftsystem/);
    } finally {
      await fx.increaseTime(5);
      await fx.setProfile(PROFILE);
    }
  });

  it("fails a credential whose event the registry records as the other kind", async () => {
    // The course's id in an attendance credential: signed and anchored for the course, described as an event.
    const credential = await fx.issue({ eventId: fx.courseId });
    const report = await verifyCredential(credential, { ...opts(), checkMetadata: false, lang: "en" });
    expect(check(report, "event")).to.include({ status: "failed", code: "event-kind" });
  });
});
