import { InvalidEventError } from "./errors.js";

/**
 * The dep output a single-input function reads: `inputs[from]` when the payload names a dep, else
 * the only input there is. So a workflow may call the dep anything ("listParts", "list", ...).
 */
export function selectInput(
  inputs: Record<string, unknown>,
  from: string | undefined,
): { id: string; value: unknown } {
  if (from !== undefined) {
    if (!(from in inputs)) {
      const known = Object.keys(inputs).join(", ") || "none";
      throw new InvalidEventError(`inputs.${from}`, `missing (the inputs are: ${known})`);
    }
    return { id: from, value: inputs[from] };
  }
  const ids = Object.keys(inputs);
  const [id] = ids;
  if (ids.length !== 1 || id === undefined) {
    throw new InvalidEventError(
      "inputs",
      `expected exactly one dep output, got ${ids.length} (${ids.join(", ") || "none"}): name one with "from"`,
    );
  }
  return { id, value: inputs[id] };
}
