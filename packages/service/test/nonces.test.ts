// The nonce manager against a node shared with other senders of the same account: it resynchronises after a
// refusal for the nonce, keeps trying while another replica keeps winning, and never retries anything else.

import { expect } from "chai";
import type { Address } from "viem";
import { NonceManager } from "../src/chain/nonces";

const ACCOUNT = "0x1Ab3eB6B5740689D6C0Ec42f44e114C9eA0d0532" as Address;

describe("NonceManager", () => {
  it("sends one at a time per account, each with the next nonce", async () => {
    const manager = new NonceManager(async () => 7);
    let running = 0;
    const seen: number[] = [];
    await Promise.all(
      [0, 1, 2].map(() =>
        manager.send(ACCOUNT, async (nonce) => {
          running++;
          expect(running).to.equal(1);
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(nonce);
          running--;
        }),
      ),
    );
    expect(seen).to.deep.equal([7, 8, 9]);
  });

  it("keeps trying, from the node's count, while another sender takes the nonce five times in a row", async () => {
    let chainNonce = 3;
    const manager = new NonceManager(async () => chainNonce);
    const tried: number[] = [];
    const result = await manager.send(ACCOUNT, async (nonce) => {
      tried.push(nonce);
      if (tried.length <= 5) {
        chainNonce = nonce + 1; // the other replica's transaction was mined with it
        throw new Error(`Nonce too low. Expected nonce to be ${nonce + 1} but got ${nonce}.`);
      }
      return nonce;
    });
    expect(tried).to.deep.equal([3, 4, 5, 6, 7, 8]);
    expect(result).to.equal(8);
  });

  it("gives up after its retries, and does not retry a refusal of another kind", async () => {
    const manager = new NonceManager(async () => 0);
    /** How many times a send whose every try the node refuses with `message` is tried, and what it ends with. */
    const refusedWith = async (message: string) => {
      let calls = 0;
      const answer = await manager
        .send(ACCOUNT, async () => {
          calls++;
          throw new Error(message);
        })
        .catch((error: Error) => error.message);
      return { calls, answer };
    };
    expect(await refusedWith("nonce too low")).to.deep.equal({ calls: 9, answer: "nonce too low" });
    expect(await refusedWith("execution reverted")).to.deep.equal({ calls: 1, answer: "execution reverted" });
    // The node has this very transaction: signing it again with the next nonce would send it twice.
    expect(await refusedWith("already known")).to.deep.equal({ calls: 1, answer: "already known" });
  });
});
