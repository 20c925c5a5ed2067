import { afterEach } from "vitest";
import { resetClock, setClock } from "../../src/platform/clock";

/*
 * Moving Parley's clock (src/platform/clock.ts) instead of sleeping: the Worker runs in this
 * test's isolate, so what the test sets is what the Worker reads. Every test file that imports
 * this gets the real time back after each test.
 */

let ahead = 0;

afterEach(() => {
  ahead = 0;
  resetClock();
});

/** From now on, the Worker's clock runs `ms` further ahead of the real one. */
export function moveClock(ms: number): void {
  ahead += ms;
  const offset = ahead;
  setClock(() => Date.now() + offset);
}
