import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { drawFigure, type Figure } from "./figure.js";

interface ScheduledEvent {
  at: number;
  /** Order of scheduling: events at the same time run first in, first out. */
  sequence: number;
  action: () => void;
  cancelled?: boolean;
}

/**
 * How a simulation draws latencies: `random` from each figure's distribution (seeded), or
 * `median`, every figure at its p50 (one deterministic run: what a sweep of many points uses).
 */
export type DrawMode = "random" | "median";

/**
 * A discrete-event simulation: a virtual clock in ms and the events scheduled on it, run in time
 * order (a binary heap), with a seeded generator for every draw, so that a seed repeats a
 * forecast exactly. Nothing here sleeps: a 15-minute task is one event.
 */
export class Simulation {
  now = 0;
  private readonly heap: ScheduledEvent[] = [];
  private sequence = 0;
  private readonly generator;
  /** Events run so far: a bound on a runaway model. */
  eventsRun = 0;

  constructor(
    seed: number,
    readonly mode: DrawMode = "random",
  ) {
    this.generator = xoroshiro128plus(seed);
  }

  /** A uniform value in (0, 1). */
  uniform(): number {
    return ((this.generator.next() >>> 0) + 1) / 0x1_0000_0002;
  }

  /** One draw of `figure`: its median in `median` mode. */
  draw(figure: Figure): number {
    if (this.mode === "median") return drawFigure(figure, 0);
    // Box-Muller: one standard normal value from two uniform ones
    const normal =
      Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
    return drawFigure(figure, normal);
  }

  /**
   * Runs `action` `delayMs` from now (0: after what is already due now). Returns a cancel
   * function: a cancelled event neither runs nor moves the clock.
   */
  after(delayMs: number, action: () => void): () => void {
    return this.schedule(this.now + Math.max(0, delayMs), action);
  }

  schedule(at: number, action: () => void): () => void {
    const event: ScheduledEvent = { at: Math.max(at, this.now), sequence: this.sequence++, action };
    const heap = this.heap;
    heap.push(event);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!earlier(event, heap[parent] as ScheduledEvent)) break;
      heap[index] = heap[parent] as ScheduledEvent;
      heap[parent] = event;
      index = parent;
    }
    return () => {
      event.cancelled = true;
    };
  }

  /** Runs events in time order until none is left (or `untilMs` passes). */
  run(untilMs = Number.POSITIVE_INFINITY, maxEvents = 50_000_000): void {
    while (this.heap.length > 0) {
      const next = this.heap[0] as ScheduledEvent;
      if (next.at > untilMs) return;
      this.pop();
      if (next.cancelled) continue;
      this.now = next.at;
      this.eventsRun += 1;
      if (this.eventsRun > maxEvents) throw new Error(`simulation ran over ${maxEvents} events`);
      next.action();
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as ScheduledEvent;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let index = 0; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (
        left < heap.length &&
        earlier(heap[left] as ScheduledEvent, heap[smallest] as ScheduledEvent)
      )
        smallest = left;
      if (
        right < heap.length &&
        earlier(heap[right] as ScheduledEvent, heap[smallest] as ScheduledEvent)
      )
        smallest = right;
      if (smallest === index) return;
      const swap = heap[index] as ScheduledEvent;
      heap[index] = heap[smallest] as ScheduledEvent;
      heap[smallest] = swap;
      index = smallest;
    }
  }
}

function earlier(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}
