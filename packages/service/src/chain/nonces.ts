import type { Address } from "viem";
import { isRefusal } from "./errors";

/**
 * Explicit nonce management per sending account: one send at a time, the next nonce kept in memory and taken
 * from the node's pending count on first use and after any failed send. A send that the node refuses for its
 * nonce (another process used it) resynchronises and tries again.
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
        if (attempt < 3 && isRefusal(error, "nonce")) continue;
        throw error;
      }
    }
  }
}
