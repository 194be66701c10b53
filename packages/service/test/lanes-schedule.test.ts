// The lanes' schedule on its own (no chain, no database): at most `bound` lanes at once, one per organisation,
// least recently started first, a pass that waits only so long, and what a lane that outlived its pass did
// counted in a later pass.

import { expect } from "chai";
import { silentLogger } from "../src/logger";
import { createLanes } from "../src/worker/lanes";
import { emptySummary, type TickSummary } from "../src/worker/types";

const summary = (): TickSummary => emptySummary(true);

describe("worker lanes: the schedule", () => {
  it("runs at most `bound` lanes, one per organisation, skips one still running, serves the least recently started first", async () => {
    const release = new Map<string, () => void>();
    const started: string[] = [];
    let lateEnds = 0;
    const lanes = createLanes({
      bound: 2,
      log: silentLogger(),
      onLateEnd: () => {
        lateEnds += 1;
      },
      work: (organisation, s) => {
        started.push(organisation);
        // "stuck" never ends by itself; the others end at once.
        if (organisation !== "stuck") {
          s.batchesAnchored += 1;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          release.set(organisation, () => {
            s.batchesAnchored += 1;
            resolve();
          });
        });
      },
    });

    // The first pass: two slots for three organisations; it waits 50 ms, not for the stuck lane.
    const first = summary();
    const at = Date.now();
    await lanes.run(["stuck", "a", "b"], first, 50);
    expect(Date.now() - at).to.be.lessThan(1000);
    expect(started).to.deep.equal(["stuck", "a"]);
    expect(first.batchesAnchored).to.equal(1);
    expect([...lanes.running]).to.deep.equal(["stuck"]);

    // The next pass: "stuck" is still running (skipped); "b", never started, comes before "a".
    const second = summary();
    await lanes.run(["a", "b", "stuck"], second, 50);
    expect(started).to.deep.equal(["stuck", "a", "b"]);
    expect(second.batchesAnchored).to.equal(1);

    // Only one slot is free while "stuck" runs.
    const third = summary();
    await lanes.run(["a", "b"], third, 50);
    expect(started).to.deep.equal(["stuck", "a", "b", "a"]);

    // The stuck lane ends: the loop is woken, and a later pass counts what it did.
    release.get("stuck")!();
    await lanes.idle();
    expect(lateEnds).to.equal(1);
    const fourth = summary();
    lanes.collect(fourth);
    expect(fourth.batchesAnchored).to.equal(1);
    const fifth = summary();
    lanes.collect(fifth);
    expect(fifth.batchesAnchored).to.equal(0);
  });

  it("waits for every lane it started when told to (a test's runOnce), and counts a failed lane as an error", async () => {
    const lanes = createLanes({
      bound: 4,
      log: silentLogger(),
      onLateEnd: () => undefined,
      work: async (organisation, s) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (organisation === "broken") throw new Error("boom");
        s.singlesAnchored += 1;
      },
    });
    const s = summary();
    await lanes.run(["a", "broken", "b"], s, Number.POSITIVE_INFINITY);
    expect(s.singlesAnchored).to.equal(2);
    expect(s.errors).to.equal(1);
    expect(lanes.running.size).to.equal(0);
  });
});
