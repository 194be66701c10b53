import { REVOCATION_REASONS } from "@intyg/registry";
import { expect } from "chai";
import { parseSnapshot, recordSnapshot, SnapshotError, verifyCredential, verifyCredentials } from "../src";
import { createFixture, type Fixture } from "./fixture";

describe("offline verification on a snapshot", function () {
  this.timeout(120_000);
  let fx: Fixture;

  before(async () => {
    fx = await createFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  it("records the registry from its events and verifies with no network, stating the snapshot's block and age", async () => {
    const valid = await fx.issue();
    const revoked = await fx.issue();
    await fx.write(2, "revoke", [revoked.commitment.root, REVOCATION_REASONS.issuedInError]);
    const batch = await fx.issueBatch(3);
    await fx.write(2, "revokeLeaf", [batch[0]!.anchor.batch!.root, batch[0]!.anchor.batch!.leaf, 3]);
    const unanchored = await fx.issue({ anchor: false });

    const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    expect(Object.keys(snapshot.organisations)).to.deep.equal(["1"]);
    expect(Object.keys(snapshot.events)).to.have.length(2);
    expect(Object.keys(snapshot.leafRevocations)).to.have.length(1);
    const text = JSON.stringify(snapshot);

    // A revocation after the snapshot is not in it.
    await fx.write(2, "revoke", [valid.commitment.root, REVOCATION_REASONS.other]);

    const blockTime = snapshot.blockTimestamp;
    const now = (blockTime + 7200) * 1000;
    const reports = await verifyCredentials([valid, revoked, ...batch, unanchored], {
      snapshot: text,
      now,
      lang: "en",
    });
    expect(reports.map((r) => r.verified)).to.deep.equal([true, false, false, true, true, false]);
    expect(reports[1]!.checks.find((c) => c.id === "revocation")!.message).to.match(/issued in error/);
    expect(reports[2]!.checks.find((c) => c.id === "revocation")!.message).to.match(/the issuer withdrew it/);
    expect(reports[5]!.checks.find((c) => c.id === "anchor")!.code).to.equal("not-anchored");
    const chain = reports[0]!.chain!;
    expect(chain.source).to.equal("snapshot");
    expect(chain.snapshot?.blockNumber).to.equal(snapshot.blockNumber);
    expect(chain.snapshot?.ageSeconds).to.equal(7200);
    expect(chain.note).to.equal(
      `Offline verification on a registry snapshot of block ${snapshot.blockNumber} (2 h old).`,
    );

    // Online, the later revocation shows.
    expect((await verifyCredential(valid, { rpcUrl: fx.rpcUrl, registry: fx.registry })).verified).to.equal(
      false,
    );
  });

  it("refuses a damaged snapshot, and reports it instead of throwing when verifying", async () => {
    expect(() => parseSnapshot("{")).to.throw(SnapshotError);
    expect(() => parseSnapshot({ format: "other" })).to.throw(SnapshotError);
    const snapshot = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry });
    const damaged = { ...snapshot, records: { nothex: { eventId: "1" } } };
    expect(() => parseSnapshot(damaged)).to.throw(SnapshotError);
    // Found by fuzzing: a value that cannot even be made a string is a damaged snapshot too, not a TypeError.
    const organisation = { ...snapshot.organisations["1"]!, admin: { toString: null } };
    expect(() => parseSnapshot({ ...snapshot, organisations: { 1: organisation } } as never)).to.throw(
      SnapshotError,
      /organisations\.1\.admin/,
    );
    const credential = await fx.issue({ anchor: false });
    const report = await verifyCredential(credential, { snapshot: JSON.stringify(damaged) });
    expect(report.verified).to.equal(false);
    expect(report.checks.find((c) => c.id === "issuer")!.code).to.equal("bad-snapshot");
  });

  it("records in chunks of blocks when asked, with the same result", async () => {
    const whole = await recordSnapshot({ rpcUrl: fx.rpcUrl, registry: fx.registry, now: new Date(0) });
    const chunked = await recordSnapshot({
      rpcUrl: fx.rpcUrl,
      registry: fx.registry,
      blockNumber: BigInt(whole.blockNumber),
      logChunkSize: 3n,
      now: new Date(0),
    });
    expect(chunked).to.deep.equal(whole);
  });
});
