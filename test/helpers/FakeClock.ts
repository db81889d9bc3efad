import { setImmediate as macrotask } from "node:timers/promises";
import type { Clock } from "../../lib/ports.js";

interface Timer {
  at: number;
  resolve: () => void;
}

/**
 * Virtual time for deterministic tests: `sleep` waits until `drive` moves time forward, and time
 * moves only when every pending promise has settled, straight to the next timer.
 */
export class FakeClock implements Clock {
  private time: number;
  private timers: Timer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = { at: this.time + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener("abort", () => {
        this.timers = this.timers.filter((candidate) => candidate !== timer);
        reject(signal.reason);
      });
    });
  }

  /** Runs `work` to completion, advancing virtual time whenever nothing else can happen. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    // Observed here so a rejection is not reported as unhandled before it is returned.
    watched.catch(() => {});
    while (!settled) {
      await macrotask();
      if (settled) break;
      const next = this.timers.sort((a, b) => a.at - b.at).shift();
      if (!next) {
        await macrotask();
        if (!settled) throw new Error("FakeClock: the work is stuck with no timer left");
        break;
      }
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    return watched;
  }
}
