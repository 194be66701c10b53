import type { Address } from "viem";
import { isRefusal } from "./errors";

/** How often a send refused for its nonce is tried again before the refusal is the answer. */
export const NONCE_RETRIES = 8;

/**
 * A random pause before try `attempt + 1` of a send another sender beat to its nonce, growing with each try:
 * two replicas retrying at once would otherwise keep colliding in step.
 */
export const retryPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));

/**
 * Explicit nonce management per sending account: one send at a time, the next nonce kept in memory and taken
 * from the node's pending count on first use and after any failed send. A send that the node refuses for its
 * nonce (another process used it) resynchronises and tries again, after a random pause that grows with each
 * try: two replicas sending from one account at once would otherwise keep taking the same nonce in step.
 */
export class NonceManager {
  private next = new Map<Address, number>();
  private queues = new Map<Address, Promise<unknown>>();

  constructor(private readonly pendingCount: (address: Address) => Promise<number>) {}

  async send<T>(address: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    const previous = this.queues.get(address) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.sendNow(address, fn));
    this.queues.set(address, run);
    return run;
  }

  private async sendNow<T>(address: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const nonce = this.next.get(address) ?? (await this.pendingCount(address));
      try {
        const result = await fn(nonce);
        this.next.set(address, nonce + 1);
        return result;
      } catch (error) {
        this.next.delete(address);
        if (attempt >= NONCE_RETRIES || !isRefusal(error, "nonce")) throw error;
        await retryPause(attempt);
      }
    }
  }
}
