import { describe, expect, it } from "vitest";
import { PollerScaling, parseQueueScaling } from "../../../localEnvironment/pollerScaling.js";

/** A scaling on a hand-driven clock. */
function scalingAt(scaling: ConstructorParameters<typeof PollerScaling>[0]) {
  let now = 0;
  const model = new PollerScaling(scaling, () => now);
  return { model, advance: (ms: number) => (now += ms) };
}

describe("Class: PollerScaling", () => {
  it("aws: 5 batches at first, +300 a minute while messages remain, at most 1,000", () => {
    const { model, advance } = scalingAt({ mode: "aws" });
    expect(model.limit()).toBe(5);

    model.sawMessages();
    advance(60_000);
    expect(model.limit()).toBe(305);

    advance(5 * 60_000);
    expect(model.limit()).toBe(1000);
  });

  it("aws: scales back down while the queue is idle, never below 5", () => {
    const { model, advance } = scalingAt({ mode: "aws" });
    model.sawMessages();
    advance(30_000); // 155
    model.sawEmptyQueue();
    advance(20_000);

    expect(model.limit()).toBe(55);
    advance(60_000);
    expect(model.limit()).toBe(5);
  });

  it("aws with maximumConcurrency: capped", () => {
    const { model, advance } = scalingAt({ mode: "aws", maximumConcurrency: 20 });
    model.sawMessages();
    advance(60_000);

    expect(model.limit()).toBe(20);
  });

  it("fixed: the same pool whatever the queue does", () => {
    const { model, advance } = scalingAt({ mode: "fixed", concurrentBatches: 10 });
    model.sawMessages();
    advance(60_000);

    expect(model.limit()).toBe(10);
  });

  it.each([1, 1001, 2.5])("refuses maximumConcurrency %s (AWS allows 2 to 1,000)", (cap) => {
    expect(() => new PollerScaling({ mode: "aws", maximumConcurrency: cap })).toThrow(/2 to 1000/);
  });

  it("parses aws (with the event's cap) or a pool size, and refuses anything else", () => {
    expect(parseQueueScaling("aws", 50)).toEqual({ mode: "aws", maximumConcurrency: 50 });
    expect(parseQueueScaling("8")).toEqual({ mode: "fixed", concurrentBatches: 8 });
    expect(() => parseQueueScaling("-1")).toThrow(/"aws" or a whole number/);
  });
});
