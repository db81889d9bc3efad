/**
 * Local Serverless plugin: Lambda durable functions on osls 3 (which has no `durableConfig`).
 *
 * A function with `durableConfig: { executionTimeout, retentionPeriodInDays }` (osls 4's own
 * spelling, so an upgrade drops this plugin and nothing else) gets, in the compiled template:
 * - `DurableConfig` on its AWS::Lambda::Function (durable execution can only be enabled when a
 *   function is created);
 * - an alias `durable` on the version the framework publishes: a durable function must be
 *   invoked by a qualified ARN;
 * - its API Gateway integration and invoke permission moved from the function to that alias.
 *
 * `custom.durableFunctions.alias: false` leaves the alias out (the local stage: LocalStack 4.14.0's
 * CloudFormation fails every stack update that touches an AWS::Lambda::Alias with "Alias already
 * exists"; there API Gateway invokes $LATEST, and our front door starts the execution on it).
 *
 * Why not osls 4, which does this natively: serverless-localstack 1.4.0 (the local stage's
 * deploy) calls provider.getCredentials(), which osls 4 removed: `serverless print --stage
 * local` fails with "provider.getCredentials() is no longer available" (tried 2026-12-03).
 */
const ALIAS_NAME = "durable";

/** Replaces, anywhere in `node`, `Fn::GetAtt [functionId, Arn]` with `replacement`. */
function replaceFunctionArn(node, functionId, replacement) {
  if (Array.isArray(node))
    return node.map((item) => replaceFunctionArn(item, functionId, replacement));
  if (!node || typeof node !== "object") return node;
  const getAtt = node["Fn::GetAtt"];
  if (Array.isArray(getAtt) && getAtt[0] === functionId && getAtt[1] === "Arn") return replacement;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      replaceFunctionArn(value, functionId, replacement),
    ]),
  );
}

class DurableFunctions {
  constructor(serverless) {
    this.serverless = serverless;
    serverless.configSchemaHandler.defineFunctionProperties("aws", {
      properties: {
        durableConfig: {
          type: "object",
          properties: {
            executionTimeout: { type: "integer", minimum: 1, maximum: 31622400 },
            retentionPeriodInDays: { type: "integer", minimum: 1, maximum: 90 },
          },
          required: ["executionTimeout"],
          additionalProperties: false,
        },
      },
    });
    this.hooks = { "before:package:finalize": () => this.compile() };
  }

  compile() {
    const { service } = this.serverless;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const naming = this.serverless.getProvider("aws").naming;
    for (const name of service.getAllFunctions()) {
      const { durableConfig } = service.getFunction(name);
      if (!durableConfig) continue;
      const functionId = naming.getLambdaLogicalId(name);
      const versionId = Object.keys(resources).find(
        (id) =>
          resources[id].Type === "AWS::Lambda::Version" &&
          resources[id].Properties?.FunctionName?.Ref === functionId,
      );
      if (!versionId) {
        throw new this.serverless.classes.Error(
          `durable function '${name}' has no published version: durable functions are invoked by a qualified ARN, so versionFunctions must stay on`,
        );
      }
      resources[functionId].Properties.DurableConfig = {
        ExecutionTimeout: durableConfig.executionTimeout,
        ...(durableConfig.retentionPeriodInDays === undefined
          ? {}
          : { RetentionPeriodInDays: durableConfig.retentionPeriodInDays }),
      };
      if (service.custom?.durableFunctions?.alias === false) continue;
      const aliasId = `${functionId}DurableAlias`;
      resources[aliasId] = {
        Type: "AWS::Lambda::Alias",
        Properties: {
          FunctionName: { Ref: functionId },
          FunctionVersion: { "Fn::GetAtt": [versionId, "Version"] },
          Name: ALIAS_NAME,
        },
      };
      for (const resource of Object.values(resources)) {
        if (
          resource.Type !== "AWS::ApiGateway::Method" &&
          resource.Type !== "AWS::Lambda::Permission"
        )
          continue;
        const moved = replaceFunctionArn(resource.Properties, functionId, { Ref: aliasId });
        resource.Properties = moved;
      }
    }
  }
}

module.exports = DurableFunctions;
