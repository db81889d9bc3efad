/** The deps' outputs go under this key of an own function's event unless the node says otherwise. */
export const DEFAULT_INPUTS_KEY = "inputs";

/** What a workflow node says of its own function's event. */
export interface EventShape {
  payload?: Record<string, unknown>;
  /** Where the deps' outputs go; null sends the payload as is. */
  inputsKey?: string | null;
}

/**
 * The event an own function receives: its node's `payload` with the deps' outputs, by dep id,
 * under `inputsKey` (`inputs` unless the node says otherwise); `inputsKey: null` sends the payload
 * as is. The same event whichever strategy invokes it.
 */
export function functionEvent(
  node: EventShape,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const payload = node.payload ?? {};
  const inputsKey = inputsKeyOf(node);
  return inputsKey === null ? payload : { ...payload, [inputsKey]: inputs };
}

export function inputsKeyOf(node: EventShape): string | null {
  return node.inputsKey === undefined ? DEFAULT_INPUTS_KEY : node.inputsKey;
}
