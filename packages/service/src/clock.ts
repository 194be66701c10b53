/** Where the service reads the time. Tests may pass a fixed or stepping clock. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** Seconds since the epoch, as the registry counts them. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}
