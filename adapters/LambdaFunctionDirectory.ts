import {
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { FUNCTION_REFERENCE_PATTERN } from "../lib/ownFunctions/functionReference.js";
import type { FunctionConfiguration, FunctionDirectory } from "../lib/ports.js";
import { createLambdaClient } from "./lambdaClient.js";

/** Lambda's default when a configuration names none: x86_64. */
const DEFAULT_ARCHITECTURE = "x86_64";

/**
 * Own functions' configurations from GetFunctionConfiguration, kept for the execution
 * environment's life: memory and architecture price every invocation, and a redeploy of the
 * function between runs is rare enough that the next cold start picks it up.
 */
export class LambdaFunctionDirectory implements FunctionDirectory {
  private readonly known = new Map<string, Promise<FunctionConfiguration | undefined>>();

  constructor(private readonly client: LambdaClient = createLambdaClient()) {}

  describe(reference: string): Promise<FunctionConfiguration | undefined> {
    let found = this.known.get(reference);
    if (!found) {
      found = this.lookUp(reference);
      // A missing function may be deployed next: only what exists is kept.
      found.then(
        (configuration) => configuration ?? this.known.delete(reference),
        () => this.known.delete(reference),
      );
      this.known.set(reference, found);
    }
    return found;
  }

  private async lookUp(reference: string): Promise<FunctionConfiguration | undefined> {
    // `name:alias` and an ARN's qualifier go in Qualifier: FunctionName takes the rest.
    const qualifier = FUNCTION_REFERENCE_PATTERN.exec(reference)?.[9];
    const functionName = qualifier ? reference.slice(0, -(qualifier.length + 1)) : reference;
    try {
      const configuration = await this.client.send(
        new GetFunctionConfigurationCommand({
          FunctionName: functionName,
          ...(qualifier ? { Qualifier: qualifier } : {}),
        }),
      );
      return {
        arn: configuration.FunctionArn ?? reference,
        memoryMb: configuration.MemorySize ?? 128,
        architecture: configuration.Architectures?.[0] ?? DEFAULT_ARCHITECTURE,
        timeoutS: configuration.Timeout ?? 3,
      };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }
}
