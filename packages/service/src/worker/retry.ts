import type { WorkerConfig } from "../config";

/**
 * Per item (batch, credential, event) id: not before a time after a transient failure, doubling up to the
 * configured maximum. In memory: a new leader retries everything at once, after reconciling it with the chain.
 */
export function retrySchedule(config: Pick<WorkerConfig, "retryBaseMs" | "retryMaxMs">) {
  const retryAt = new Map<string, { at: number; attempts: number }>();
  return {
    due: (id: string) => (retryAt.get(id)?.at ?? 0) <= Date.now(),
    succeeded: (id: string) => retryAt.delete(id),
    failed(id: string) {
      const attempts = (retryAt.get(id)?.attempts ?? 0) + 1;
      retryAt.set(id, { at: Date.now() + backoff(config, attempts), attempts });
    },
  };
}

/** The wait after `failures` failures in a row. */
export function backoff(config: Pick<WorkerConfig, "retryBaseMs" | "retryMaxMs">, failures: number): number {
  return Math.min(config.retryBaseMs * 2 ** (failures - 1), config.retryMaxMs);
}
