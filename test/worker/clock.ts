import { resetClock, setClock } from "../../src/platform/clock";

/*
 * Moving Parley's clock (src/platform/clock.ts) instead of sleeping: the Worker runs in this
 * test's isolate, so what the test sets is what the Worker reads. Every test gets the real time
 * back after it (test/worker/setup.ts).
 */

let ahead = 0;

/** Back to the real time. */
export function restoreClock(): void {
  ahead = 0;
  resetClock();
}

/** From now on, the Worker's clock runs `ms` further ahead of the real one. */
export function moveClock(ms: number): void {
  ahead += ms;
  const offset = ahead;
  setClock(() => Date.now() + offset);
}
