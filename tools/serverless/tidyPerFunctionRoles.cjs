/**
 * Local Serverless plugin, listed after serverless-iam-roles-per-function in serverless.yml; it
 * runs on the compiled template once that plugin has given every function a role of its own.
 *
 * - That plugin also puts each function's role in the function's DependsOn, which its
 *   `Role: !GetAtt <role>.Arn` already implies: cfn-lint warns (W3005) once per function. The
 *   redundant entry is dropped.
 * - It builds each role from the framework's default role (IamRoleLambdaExecution), which then
 *   stays in the template though no function uses it. Unreferenced, it is dropped: every role
 *   left belongs to one function (or to the state machines).
 */
const DEFAULT_ROLE = "IamRoleLambdaExecution";

class TidyPerFunctionRoles {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { "before:package:finalize": () => this.tidy() };
  }

  tidy() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const role = resource.Properties?.Role?.["Fn::GetAtt"]?.[0];
      if (role && Array.isArray(resource.DependsOn)) {
        resource.DependsOn = resource.DependsOn.filter((dependency) => dependency !== role);
      }
    }
    if (!resources[DEFAULT_ROLE]) return;
    const { [DEFAULT_ROLE]: defaultRole, ...others } = resources;
    if (!JSON.stringify(others).includes(`"${DEFAULT_ROLE}"`)) delete resources[DEFAULT_ROLE];
  }
}

module.exports = TidyPerFunctionRoles;
