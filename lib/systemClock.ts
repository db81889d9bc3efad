import { setTimeout as wait } from "node:timers/promises";
import type { Clock } from "./ports.js";

/** Reads Date.now() and timers at call time, so vitest's fake timers can stand in for it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => wait(ms, undefined, signal ? { signal } : undefined),
};
