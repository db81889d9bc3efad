import { APIGatewayClient, GetApiKeyCommand } from "@aws-sdk/client-api-gateway";
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
} from "@aws-sdk/client-cloudformation";
import { localClientOptions } from "./localClients.js";
import { LOCAL_STACK_NAME, LOCALSTACK_ENDPOINT } from "./settings.js";

/**
 * The value of the API key the local stage's stack created (serverless.yml,
 * `provider.apiGateway.apiKeys`), or undefined if it has none.
 *
 * The local stage's routes are private like dev's: LocalStack 4.14 checks `x-api-key` against the
 * stage's usage plans (its API Gateway's ApiKeyValidationHandler), so the local stack exercises
 * the same path as AWS. The key's value is read back here, from this stack's own ApiKey resource,
 * so that `npm start`, the tests and the benchmarks send it without the user passing one.
 */
export async function readLocalApiKey(): Promise<string | undefined> {
  const clientOptions = localClientOptions();
  const cloudFormation = new CloudFormationClient(clientOptions);
  const apiGateway = new APIGatewayClient(clientOptions);
  try {
    const { StackResources: resources = [] } = await cloudFormation.send(
      new DescribeStackResourcesCommand({ StackName: LOCAL_STACK_NAME }),
    );
    const key = resources.find((resource) => resource.ResourceType === "AWS::ApiGateway::ApiKey");
    if (!key?.PhysicalResourceId) return undefined;
    const { value } = await apiGateway.send(
      new GetApiKeyCommand({ apiKey: key.PhysicalResourceId, includeValue: true }),
    );
    return value;
  } finally {
    cloudFormation.destroy();
    apiGateway.destroy();
  }
}

/**
 * The key to send to `apiUrl`: the one given, else, when `apiUrl` is the local stack's (e.g. the
 * URL `npm run serve` printed), the local stage's own.
 */
export async function apiKeyFor(apiUrl: string, given?: string): Promise<string | undefined> {
  if (given) return given;
  if (!apiUrl.startsWith(LOCALSTACK_ENDPOINT)) return undefined;
  // Not deployed or not running: the request itself will say so (refused, or 403 without a key).
  return readLocalApiKey().catch(() => undefined);
}
