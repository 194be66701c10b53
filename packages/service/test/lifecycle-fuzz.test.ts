// Property-based: random sequences of what organisers do to credentials (issue, erase, revoke, re-issue,
// claim, deliver) interleaved with passes of the anchoring worker. Whatever the order: never a 5xx, a refused
// step writes nothing, and afterwards the worker finishes all the work: no revocation stays "requested"
// forever, and what the API promised (202: queued) is what happens.

import { expect } from "chai";
import fc from "fast-check";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson } from "./helpers/harness";
import { expectCleanProblem, storeFingerprint } from "./helpers/routes";

const HOLDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const NAME = "Livia Cykelsson";

type Step =
  | { op: "issue"; holder: boolean }
  | { op: "erase" | "revoke" | "reissue" | "claim" | "share"; at: number; subject?: boolean }
  | { op: "work" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("issue" as const), holder: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom(
        "erase" as const,
        "revoke" as const,
        "reissue" as const,
        "claim" as const,
        "share" as const,
      ),
      at: fc.nat(),
      subject: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: "work" as const }) },
);

type Resource = {
  id: string;
  status: string;
  erasedAt: string | null;
  credential: unknown;
  revocation: { status: string } | null;
  supersededBy: string | null;
};

describe("credential lifecycle in any order (property-based, pglite)", () => {
  let h: AppHarness;
  let eventId: string;

  before(async () => {
    h = await createAppHarness("pglite", { autoStartWorker: false });
    eventId = (
      await expectJson<{ id: string }>(
        await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
        201,
      )
    ).id;
  });
  after(async () => {
    await h?.close();
  });

  it("leaves no work the worker cannot finish, and keeps what the API answered", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const ids: string[] = [];
        /** Credentials whose revocation the API queued (202): the worker must confirm it. */
        const queued = new Set<string>();
        const issue = async (holder: boolean) => {
          const issued = await expectJson<{ id: string }>(
            await h.call("POST", `/v1/events/${eventId}/credentials`, {
              body: { subject: { name: NAME }, ...(holder ? { holder: HOLDER } : {}) },
            }),
            201,
          );
          ids.push(issued.id);
        };
        for (const s of steps) {
          if (s.op === "issue") {
            await issue(s.holder);
            continue;
          }
          if (s.op === "work") {
            await h.worker.runOnce();
            continue;
          }
          if (ids.length === 0) await issue(false);
          const id = ids[s.at % ids.length]!;
          const [method, path, body] = {
            erase: ["POST", `/v1/credentials/${id}/erase`, undefined],
            revoke: ["POST", `/v1/credentials/${id}/revoke`, { reason: "withdrawn" }],
            reissue: ["POST", `/v1/credentials/${id}/reissue`, s.subject ? { subject: { name: NAME } } : {}],
            claim: ["POST", `/v1/credentials/${id}/claim-voucher`, { holder: HOLDER }],
            share: ["GET", `/v1/credentials/${id}/share`, undefined],
          }[s.op] as [string, string, unknown];
          const before = await storeFingerprint(h.store);
          const response = await h.call(method, path, body === undefined ? {} : { body });
          const label = `${s.op} ${id}`;
          expect(response.status, `${label}: ${await response.clone().text()}`).to.be.below(500);
          if (response.status >= 400) {
            await expectCleanProblem(response, label, [NAME]);
            expect(await storeFingerprint(h.store), `${label} (${response.status}) wrote`).to.deep.equal(
              before,
            );
          }
          if (s.op === "revoke" && response.status === 202) queued.add(id);
          if (s.op === "reissue" && response.status === 201) {
            ids.push(((await response.json()) as { id: string }).id);
          }
        }
        // The worker finishes this run's work in a few passes (only this run's credentials count, so that a
        // failure does not spill into the runs fast-check shrinks with).
        const get = async (id: string) =>
          expectJson<Resource>(await h.call("GET", `/v1/credentials/${id}`), 200);
        const unfinished = async () => {
          const left: Resource[] = [];
          for (const id of ids) {
            const r = await get(id);
            if (!["anchored", "cancelled"].includes(r.status) || r.revocation?.status === "requested")
              left.push(r);
          }
          return left;
        };
        for (let pass = 0; pass < 4 && (await unfinished()).length > 0; pass++) await h.worker.runOnce();
        expect(await unfinished(), "work left that the worker never finishes").to.deep.equal([]);
        for (const id of ids) {
          const resource = await get(id);
          if (queued.has(id)) expect(resource.revocation?.status, id).to.equal("confirmed");
          if (resource.erasedAt) expect(resource.credential, id).to.equal(null);
        }
      }),
      {
        numRuns: 60,
        // Found by this property: a revocation of a credential erased before anchoring stayed "requested"
        // forever (202, and the worker's drain never ended).
        examples: [
          [
            [
              { op: "erase", at: 0 },
              { op: "revoke", at: 0 },
            ],
          ],
          [
            [
              { op: "erase", at: 0 },
              { op: "reissue", at: 0, subject: true },
            ],
          ],
        ],
      },
    );
  });
});
