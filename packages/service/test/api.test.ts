import { checkIntegrity, parseShareUrl } from "@intyg/credential";
import { expect } from "chai";
import { type AppHarness, CONFERENCE, createAppHarness, eventually, expectJson } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

for (const kind of STORE_KINDS) {
  describe(`organiser API end to end (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;

    before(async () => {
      h = await createAppHarness(kind);
    });
    after(async () => {
      await h?.close();
    });

    it("creates an event registered on chain", async () => {
      const event = await expectJson<{
        id: string;
        status: string;
        chainEventId: string;
        metadataHash: string;
      }>(await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }), 201);
      expect(event.status).to.equal("registered");
      const info = await h.chain.eventInfo(BigInt(event.chainEventId));
      expect(info.metadataHash).to.equal(event.metadataHash);
      expect(info.kind).to.equal(1);
      eventId = event.id;
    });

    it("issues in bulk and anchors the batch", async () => {
      const attendees = Array.from({ length: 50 }, (_, i) => ({
        subject: {
          name: `Åsa Öberg ${i}`,
          email: `asa${i}@example.se`,
          role: "participant",
          partsAttended: ["natverk"],
        },
        reference: `A-${i}`,
      }));
      const result = await expectJson<{ count: number; credentials: { id: string; holderUrl: string }[] }>(
        await h.call("POST", `/v1/events/${eventId}/credentials/bulk`, {
          body: { attendees },
          headers: { "idempotency-key": "bulk-1" },
        }),
        201,
      );
      expect(result.count).to.equal(50);
      const first = result.credentials[0]!;
      const anchored = await eventually(async () => {
        const c = await expectJson<{ status: string; credential: unknown; batch: { root: string } | null }>(
          await h.call("GET", `/v1/credentials/${first.id}`),
          200,
        );
        return c.status === "anchored" ? c : undefined;
      });
      expect(checkIntegrity(anchored.credential).ok).to.equal(true);
      const share = await expectJson<{ url: string }>(
        await h.call("GET", `/v1/credentials/${first.id}/share`),
        200,
      );
      const fromLink = parseShareUrl(share.url);
      expect(fromLink.anchor.batch?.root).to.equal(anchored.batch!.root);
      const pdf = await h.call("GET", `/v1/credentials/${first.id}/pdf?lang=sv`);
      expect(pdf.status).to.equal(200);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).to.equal("%PDF-");
    });
  });
}
