import type { DurableContext } from "@aws/durable-execution-sdk-js";
import type { DurableScheduler } from "../lib/ports.js";

/** The durable execution SDK's context as the durable strategy's port: named operations only. */
export function schedulerOf(context: DurableContext): DurableScheduler {
  return {
    runInChildContext: (name, body) =>
      context.runInChildContext(name, (child) => body(schedulerOf(child))),
    invoke: (name, functionName, input) => context.invoke(name, functionName, input),
    wait: (name, seconds) => context.wait(name, { seconds }),
    step: (name, body) => context.step(name, () => body()),
  };
}
