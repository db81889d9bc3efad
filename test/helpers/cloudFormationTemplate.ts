/** Reading a packaged CloudFormation template: its resources, IAM statements and ARNs. */

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface Template {
  Resources: Record<string, TemplateResource>;
}

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** One IAM statement, comparable: actions and resources sorted, ARNs rendered as text. */
export interface NormalizedStatement {
  effect: string;
  actions: string[];
  resources: string[];
  condition?: unknown;
}

export function resourcesOfType(
  template: Template,
  type: string,
): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** `${name}`: how renderIntrinsic writes a Ref (`AWS::Region`) or a GetAtt (`WorkQueue.Arn`). */
export function placeholder(name: string): string {
  return `\${${name}}`;
}

/**
 * An ARN built with intrinsic functions, as text: `{ Ref: "AWS::Region" }` becomes
 * `${AWS::Region}`, `{ "Fn::GetAtt": ["WorkQueue", "Arn"] }` becomes `${WorkQueue.Arn}`, and
 * `Fn::Join` / `Fn::Sub` are joined or taken as they are.
 */
export function renderIntrinsic(value: unknown): string {
  if (typeof value === "string") return value;
  const node = (value ?? {}) as Record<string, unknown>;
  if (typeof node.Ref === "string") return placeholder(node.Ref);
  const getAtt = node["Fn::GetAtt"];
  if (Array.isArray(getAtt)) return placeholder(getAtt.join("."));
  if (typeof node["Fn::Sub"] === "string") return node["Fn::Sub"];
  const join = node["Fn::Join"];
  if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
    return join[1].map(renderIntrinsic).join(join[0]);
  }
  throw new Error(`cannot render ${JSON.stringify(value)} as text`);
}

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function normalize(statement: PolicyStatement): NormalizedStatement {
  // NotAction / NotResource allow everything but a list: wildcards in disguise, never normalized.
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
    throw new Error(`NotAction / NotResource in ${JSON.stringify(statement)}`);
  }
  return {
    effect: statement.Effect ?? "",
    actions: asList(statement.Action).map(String).sort(),
    resources: asList(statement.Resource).map(renderIntrinsic).sort(),
    ...(statement.Condition !== undefined ? { condition: statement.Condition } : {}),
  };
}

/** Every statement of a role's inline policies, normalized and in a stable order. */
export function roleStatements(role: TemplateResource): NormalizedStatement[] {
  const policies = (role.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: PolicyStatement[] };
  }>;
  return sortStatements(
    policies.flatMap((policy) => policy.PolicyDocument.Statement.map(normalize)),
  );
}

export function sortStatements(statements: NormalizedStatement[]): NormalizedStatement[] {
  return [...statements].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/**
 * Every statement of every IAM role and policy in the template, with where it is, for the checks
 * that no statement allows every action of a service or every resource.
 */
export function allIamStatements(
  template: Template,
): Array<{ where: string; statement: NormalizedStatement }> {
  const found: Array<{ where: string; statement: NormalizedStatement }> = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === "AWS::IAM::Role") {
      for (const statement of roleStatements(resource)) found.push({ where: id, statement });
    } else if (
      resource.Type === "AWS::IAM::Policy" ||
      resource.Type === "AWS::IAM::ManagedPolicy"
    ) {
      const document = resource.Properties.PolicyDocument as { Statement: PolicyStatement[] };
      for (const statement of document.Statement)
        found.push({ where: id, statement: normalize(statement) });
    }
  }
  return found;
}

/** `*`, `sqs:*`, `sqs:Get*`: an action that is not one named operation. */
export function isWildcardAction(action: string): boolean {
  return action.includes("*");
}
