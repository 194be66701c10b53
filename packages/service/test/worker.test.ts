import { verifyBatchProof } from "@intyg/credential";
import { expect } from "chai";
import { createEvent } from "../src/events";
import { prepareCredentials } from "../src/issuance";
import { startWorker } from "../src/worker/worker";
import { CONFERENCE, createHarness, type Harness, issuanceContextOf } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`anchoring worker (${kind})`, () => {
    let h: Harness;

    before(async () => {
      h = await createHarness(kind);
    });
    after(async () => {
      await h?.close();
    });

    it("anchors the 200 credentials of one issuance as one batch whose proofs check on chain", async () => {
      const event = await createEvent(h, h.organisation, { kind: "event", details: CONFERENCE });
      expect(event.status).to.equal("registered");
      const ctx = issuanceContextOf(h, event);
      const attendees = Array.from({ length: 200 }, (_, i) => ({
        subject: { name: `Deltagare ${i}`, role: "participant" as const, partsAttended: ["seminarier"] },
      }));
      const { credentials } = await prepareCredentials(ctx, attendees);
      await h.store.issuance.commit({
        organisationId: h.organisation.id,
        requestHash: "x",
        response: { status: 201, body: {} },
        credentials,
      });
      const worker = startWorker(h, { autoStart: false });
      const summary = await worker.runOnce();
      await worker.stop();
      expect(summary.batchesAnchored).to.equal(1);
      expect(summary.credentialsAnchored).to.equal(200);
      const batches = await h.store.anchoring.listBatches(h.organisation.id);
      expect(batches).to.have.length(1);
      const batch = batches[0]!;
      expect(batch.status).to.equal("anchored");
      const record = await h.chain.record(h.deployment.organisationId, batch.root);
      expect(record.issuedAt).to.be.greaterThan(0);
      expect(record.batchSize).to.equal(200);
      expect(record.eventId.toString()).to.equal(event.chainEventId);
      const members = await h.store.anchoring.batchMembers(batch.id);
      expect(members).to.have.length(200);
      for (const member of members.slice(0, 20)) {
        expect(member.status).to.equal("anchored");
        expect(
          await h.chain.isBatchMember(h.deployment.organisationId, batch.root, member.leaf!, member.proof!),
        ).to.equal(true);
        expect(verifyBatchProof(batch.root, member.commitment, member.proof!)).to.equal(true);
      }
      // A wrong proof does not check.
      expect(
        await h.chain.isBatchMember(
          h.deployment.organisationId,
          batch.root,
          members[0]!.leaf!,
          members[1]!.proof!,
        ),
      ).to.equal(false);
    });
  });
}
