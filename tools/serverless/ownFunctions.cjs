/**
 * Local Serverless plugin: the user's own Lambda functions a deploy allows the service to invoke.
 *
 * `custom.ownFunctions.invokable` (the deploy parameter `invokableFunctions`: names, `name:alias`
 * or ARNs, comma-separated; empty allows none) is granted, and nothing else, to:
 * - each function with `ownFunctions: [invoke, describe]` (or one of them): `invoke` adds
 *   lambda:InvokeFunction on exactly the listed functions to its role, `describe`
 *   lambda:GetFunctionConfiguration (a run reads each function's memory and architecture before
 *   it starts); each also gets the list as INVOKABLE_FUNCTIONS, which a run checks first;
 * - each role named in `custom.ownFunctions.invokingRoles` (the state machines' role):
 *   lambda:InvokeFunction on them.
 * It runs before serverless-iam-roles-per-function turns `iamRoleStatements` into roles.
 */
const ACTIONS = { invoke: "lambda:InvokeFunction", describe: "lambda:GetFunctionConfiguration" };
const ARN = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;

/** The IAM resources of one listed function: it and its versions and aliases, or exactly it. */
function resourcesOf(entry) {
  if (ARN.test(entry)) {
    const qualified = entry.split(":").length === 8;
    return qualified ? [entry] : [entry, `${entry}:*`];
  }
  const [name, qualifier] = entry.split(":");
  const base = `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}`;
  return qualifier
    ? [{ "Fn::Sub": `${base}:${qualifier}` }]
    : [{ "Fn::Sub": base }, { "Fn::Sub": `${base}:*` }];
}

class OwnFunctions {
  constructor(serverless) {
    this.serverless = serverless;
    serverless.configSchemaHandler.defineFunctionProperties("aws", {
      properties: {
        ownFunctions: {
          type: "array",
          items: { enum: Object.keys(ACTIONS) },
          uniqueItems: true,
        },
      },
    });
    serverless.configSchemaHandler.defineCustomProperties({
      properties: {
        ownFunctions: {
          type: "object",
          properties: {
            invokable: { type: "string" },
            invokingRoles: { type: "array", items: { type: "string" } },
          },
          additionalProperties: false,
        },
      },
    });
    this.hooks = { "before:package:initialize": () => this.grant() };
  }

  grant() {
    const { service } = this.serverless;
    const settings = service.custom?.ownFunctions ?? {};
    const listed = String(settings.invokable ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    const resources = listed.flatMap(resourcesOf);
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (!fn.ownFunctions) continue;
      fn.environment = { ...fn.environment, INVOKABLE_FUNCTIONS: listed.join(",") };
      if (resources.length === 0) continue;
      fn.iamRoleStatements = [
        ...(fn.iamRoleStatements ?? []),
        {
          Effect: "Allow",
          Action: fn.ownFunctions.map((verb) => ACTIONS[verb]),
          Resource: resources,
        },
      ];
    }
    if (resources.length === 0) return;
    for (const roleId of settings.invokingRoles ?? []) {
      const role = service.resources?.Resources?.[roleId];
      if (!role) throw new Error(`custom.ownFunctions.invokingRoles: no resource ${roleId}`);
      const [policy] = role.Properties.Policies;
      policy.PolicyDocument.Statement.push({
        Effect: "Allow",
        Action: ACTIONS.invoke,
        Resource: resources,
      });
    }
  }
}

module.exports = OwnFunctions;
