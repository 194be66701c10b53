// The worker's loop paces its passes: a wake after a pass waits out the gathering pause (so that a stream of single
// issuances is anchored together), while a wake for work ready to send as it is (a batch signed at issuance)
// starts the next pass at once, including one woken during that pause.

import { expect } from "chai";
import { silentLogger } from "../src/logger";
import { createLoop, type Loop } from "../src/worker/loop";
import { emptySummary } from "../src/worker/types";

const GATHER_MS = 400;

describe("the worker's loop", () => {
  let loop: Loop | undefined;
  afterEach(async () => {
    await loop?.stop(true);
    loop = undefined;
  });

  /**
   * A started loop whose passes find nothing to do, once its first pass has run; the times its passes began (ms
   * since it started), and a promise of the next pass.
   */
  async function idleLoop() {
    const started = performance.now();
    const passes: number[] = [];
    const waiters: (() => void)[] = [];
    loop = createLoop({
      config: { pollIntervalMs: 60_000, retryBaseMs: 1000, retryMaxMs: 60_000 },
      log: silentLogger(),
      gatherMs: GATHER_MS,
      runOnce: async () => {
        passes.push(performance.now() - started);
        for (const resolve of waiters.splice(0)) resolve();
        return emptySummary(true);
      },
      outstanding: async () => 0,
    });
    const nextPass = () => new Promise<void>((resolve) => waiters.push(resolve));
    const first = nextPass();
    loop.start();
    await first;
    return { loop, passes, nextPass };
  }

  it("waits out the gathering pause after a plain wake", async () => {
    const { loop, passes, nextPass } = await idleLoop();
    const second = nextPass();
    loop.wake();
    await second;
    expect(passes[1]! - passes[0]!).to.be.at.least(GATHER_MS - 20);
  });

  it("starts the next pass at once for work ready to send, even woken during the pause", async () => {
    const { loop, passes, nextPass } = await idleLoop();
    const second = nextPass();
    loop.wake(true);
    await second;
    expect(passes[1]! - passes[0]!).to.be.below(GATHER_MS / 2);
    // A plain wake starts the pause; a ready one during it ends the pause.
    const third = nextPass();
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    loop.wake(true);
    await third;
    expect(passes[2]! - passes[1]!).to.be.below(GATHER_MS / 2);
  });
});
