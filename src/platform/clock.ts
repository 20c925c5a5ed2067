/**
 * The one clock. Whatever depends on the time of day (edit windows, rate limits, the time-trap,
 * salts, the site memo, ids, audit entries) reads it here, never `Date.now()` itself, so that
 * tests move time forward instead of sleeping (test/worker/clock.ts).
 */
let source: () => number = Date.now;

/** Milliseconds since the epoch, now. */
export const nowMs = (): number => source();

/** Now, as a Date. */
export const now = (): Date => new Date(source());

/** Tests only: take the time from `time` until `resetClock`. */
export function setClock(time: () => number): void {
  source = time;
}

/** Tests only: back to the real time. */
export function resetClock(): void {
  source = Date.now;
}
