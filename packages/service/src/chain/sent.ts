import type { Hex } from "viem";

export type SentEntry = {
  /** When it was sent (ms), or — sent before a restart — when this client first waited for it. */
  at: number;
  /** The fee cap of the first send of its nonce: a replacement's limit is a multiple of it. */
  origin: bigint | null;
};

/**
 * What this client sent, by hash: a replacement's clock keeps running across waits that time out. Forgotten
 * once mined; bounded, the oldest forgotten first.
 */
export class SentTransactions {
  private readonly entries = new Map<Hex, SentEntry>();

  constructor(private readonly limit = 10_000) {}

  get(hash: Hex): SentEntry | undefined {
    return this.entries.get(hash);
  }

  remember(hash: Hex, entry: SentEntry): void {
    this.entries.set(hash, entry);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  forget(hashes: readonly Hex[]): void {
    for (const hash of hashes) this.entries.delete(hash);
  }
}
