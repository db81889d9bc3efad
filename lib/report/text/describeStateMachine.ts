import type { StrategyComparison } from "../compareRuns.js";
import { formatNumber } from "./formatNumber.js";

type ComparedStateMachine = NonNullable<StrategyComparison["stateMachine"]>;

/** The workflow type's short label: "Standard" or "Express". */
export function stateMachineLabel(stateMachine: ComparedStateMachine): string {
  return stateMachine.type === "standard" ? "Standard" : "Express";
}

/**
 * What a strategy's state machine ran as and how that is priced, for the notes under a table.
 *
 * @example
 * describeStateMachine(entry.strategy, { type: "standard", transitions: 5 });
 * // "<strategy> ran as a Step Functions Standard workflow, priced per state transition (5 in the median run)"
 */
export function describeStateMachine(strategy: string, stateMachine: ComparedStateMachine): string {
  const pricing =
    stateMachine.type === "standard"
      ? `priced per state transition (${
          stateMachine.transitions === undefined
            ? "not counted"
            : formatNumber(stateMachine.transitions)
        } in the median run)`
      : "priced per request and GB-s";
  return `${strategy} ran as a Step Functions ${stateMachineLabel(stateMachine)} workflow, ${pricing}`;
}
