import { eventMetadataHash } from "@intyg/credential";
import { expect } from "chai";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

type Event = {
  id: string;
  kind: string;
  parentId: string | null;
  status: string;
  chainEventId: string;
  metadataHash: string;
  details: Record<string, unknown>;
  children?: string[];
  credentials?: Record<string, number>;
};

const COURSE = {
  name: "Blockkedjor för tillförlitliga data i vård och skola",
  description: "Grundkurs för offentlig sektor",
  hours: 16,
  credits: 1.5,
  learningOutcomes: ["Förklara hur en Merkle-rot förankras", "Bedöma när en blockkedja behövs"],
  skills: [
    { id: "http://data.europa.eu/esco/skill/0a2d2b9e-0e5f-4a3c-9c1b-2a7d1c3e4f5a", name: "blockkedjeteknik" },
    { name: "informationssäkerhet" },
  ],
  assessment: "Skriftlig inlämning",
};

for (const kind of STORE_KINDS) {
  describe(`events, parts and courses (${kind})`, () => {
    let h: AppHarness;
    let conference: Event;

    before(async () => {
      h = await createAppHarness(kind, { autoStartWorker: false });
      conference = await expectJson<Event>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      );
    });
    after(async () => {
      await h?.close();
    });

    it("registers the parts of a conference as child events (parentId) on chain", async () => {
      const hackathon = await expectJson<Event>(
        await h.call("POST", "/v1/events", {
          body: {
            kind: "event",
            parentId: conference.id,
            details: {
              name: "Hackathon: tillförlitliga data",
              startDate: "2026-05-14",
              endDate: "2026-05-14",
              location: "Göteborg",
            },
          },
        }),
        201,
      );
      expect(hackathon.parentId).to.equal(conference.id);
      const info = await h.chain.eventInfo(BigInt(hackathon.chainEventId));
      expect(info.parentId.toString()).to.equal(conference.chainEventId);
      // Event ids are the organisation id in the high 32 bits.
      expect(BigInt(hackathon.chainEventId) >> 32n).to.equal(BigInt(h.deployment.organisationId));
      const parent = await expectJson<Event>(await h.call("GET", `/v1/events/${conference.id}`), 200);
      expect(parent.children).to.deep.equal([hackathon.id]);
      const parts = await expectJson<{ items: Event[] }>(
        await h.call("GET", `/v1/events?parentId=${conference.id}`),
        200,
      );
      expect(parts.items.map((e) => e.id)).to.deep.equal([hackathon.id]);
    });

    it("registers a course; a course cannot have parts", async () => {
      const course = await expectJson<Event>(
        await h.call("POST", "/v1/events", { body: { kind: "course", details: COURSE } }),
        201,
      );
      expect((await h.chain.eventInfo(BigInt(course.chainEventId))).kind).to.equal(2);
      await expectProblem(
        await h.call("POST", "/v1/events", {
          body: { kind: "event", parentId: course.id, details: CONFERENCE },
        }),
        409,
      );
      const courses = await expectJson<{ items: Event[] }>(
        await h.call("GET", "/v1/events?kind=course"),
        200,
      );
      expect(courses.items.map((e) => e.id)).to.deep.equal([course.id]);
    });

    it("updates the details: the new metadata hash goes on chain, and matches what new credentials carry", async () => {
      const details = { ...CONFERENCE, location: "Svenska Mässan, Göteborg (hall C)" };
      const updated = await expectJson<Event>(
        await h.call("PATCH", `/v1/events/${conference.id}`, { body: { details } }),
        200,
      );
      expect(updated.metadataHash).not.to.equal(conference.metadataHash);
      expect((await h.chain.eventInfo(BigInt(conference.chainEventId))).metadataHash).to.equal(
        updated.metadataHash,
      );
      const issued = await expectJson<{
        credential: { credentialSubject: { achievement: Record<string, unknown> } };
      }>(
        await h.call("POST", `/v1/events/${conference.id}/credentials`, {
          body: { subject: { name: "Ny plats" } },
        }),
        201,
      );
      expect(issued.credential.credentialSubject.achievement.location).to.equal(details.location);
      expect(eventMetadataHash(issued.credential.credentialSubject.achievement as never)).to.equal(
        updated.metadataHash,
      );
      await expectProblem(
        await h.call("PATCH", `/v1/events/${conference.id}`, { body: { details: COURSE } }),
        400,
      );
    });

    it("issues course credentials; different expiry dates go in different batches", async () => {
      const course = (
        await expectJson<{ items: Event[] }>(await h.call("GET", "/v1/events?kind=course"), 200)
      ).items[0]!;
      const bulk = await expectJson<{ credentials: { id: string }[] }>(
        await h.call("POST", `/v1/events/${course.id}/credentials/bulk`, {
          body: {
            validUntil: "2029-06-30T00:00:00Z",
            attendees: [
              { subject: { name: "Kursdeltagare 1", result: [{ type: ["Result"], status: "Completed" }] } },
              { subject: { name: "Kursdeltagare 2" } },
              { subject: { name: "Kursdeltagare 3" }, validUntil: "2028-06-30T00:00:00Z" },
            ],
          },
          headers: { "idempotency-key": "course" },
        }),
        201,
      );
      await h.worker.runOnce();
      const batches = (await h.store.anchoring.listBatches(h.organisation.id)).filter(
        (b) => b.chainEventId === course.chainEventId,
      );
      expect(batches.map((b) => b.size).sort()).to.deep.equal([1, 2]);
      for (const batch of batches) {
        expect((await h.chain.record(h.deployment.organisationId, batch.root)).validUntil).to.equal(
          batch.validUntil,
        );
      }
      const first = await expectJson<{
        status: string;
        credential: { validUntil: string; credentialSubject: { achievement: { hours: number } } };
      }>(await h.call("GET", `/v1/credentials/${bulk.credentials[0]!.id}`), 200);
      expect(first.status).to.equal("anchored");
      expect(first.credential.validUntil).to.equal("2029-06-30T00:00:00Z");
      expect(first.credential.credentialSubject.achievement.hours).to.equal(16);
      const pdf = await h.call("GET", `/v1/credentials/${bulk.credentials[0]!.id}/pdf?lang=sv`);
      expect(pdf.status).to.equal(200);
      await expectProblem(
        await h.call("POST", `/v1/events/${course.id}/credentials`, {
          body: { subject: { name: "Redan utgånget" }, validUntil: "2020-01-01T00:00:00Z" },
        }),
        422,
      );
    });

    it("counts an event's credentials by status", async () => {
      const event = await expectJson<Event>(await h.call("GET", `/v1/events/${conference.id}`), 200);
      expect(event.credentials).to.deep.equal({ anchored: 1 });
    });
  });
}
