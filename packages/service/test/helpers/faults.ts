import type { ChainClient } from "../../src/chain/client";

export type FaultPoint =
  /** The batch is recorded; the process dies before anchorBatch reaches the node. */
  | "before-send"
  /** anchorBatch reached the node (and was mined); the process dies before it learns the hash. */
  | "after-send"
  /** The hash is stored; the process dies while waiting for the receipt. */
  | "before-receipt";

/**
 * Wraps the real chain client: at the fault point the call never returns, and neither does any later call —
 * as if the process had died there. Everything before it is real.
 */
export function crashingChain(real: ChainClient, point: FaultPoint, options: { afterCalls?: number } = {}) {
  let crashed = false;
  let calls = 0;
  let onCrash: () => void = () => undefined;
  const crashedPromise = new Promise<void>((resolve) => {
    onCrash = resolve;
  });
  const dead = <T>(): Promise<T> => new Promise<T>(() => undefined);
  const crash = <T>(): Promise<T> => {
    crashed = true;
    onCrash();
    return dead<T>();
  };
  const proxy = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (crashed) return dead();
        if (property === "anchorBatch") {
          calls += 1;
          if (calls > (options.afterCalls ?? 0)) {
            if (point === "before-send") return crash();
            if (point === "after-send")
              return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).then(() => crash());
          }
        }
        if (
          property === "waitForReceipt" &&
          point === "before-receipt" &&
          calls > (options.afterCalls ?? 0)
        ) {
          return crash();
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { chain: proxy as ChainClient, crashed: crashedPromise };
}

/** Counts the write calls made through a chain client. */
export function countingChain(real: ChainClient) {
  const counts: Record<string, number> = {};
  const proxy = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts[String(property)] = (counts[String(property)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { chain: proxy as ChainClient, counts };
}
