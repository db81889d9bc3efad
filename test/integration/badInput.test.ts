import { expect, it } from "vitest";
import { describeBadInput, expectRefusal, send, strategyFor } from "../helpers/badInputOverHttp.js";

/**
 * Every malformed body a user or an attacker might send, through LocalStack's API Gateway to the
 * orchestrators: each gets our 400 naming the field (a 5xx would be a crashed function), and
 * none leaves a trace (describeBadInput: the queues stay empty, the runs after come out as the
 * runs before). Routes, methods, Content-Types, sizes and empty bodies: badRequests.test.ts.
 */

const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  fn: "writeLog",
  ...extra,
});
const workflowOf = (...tasks: unknown[]) => JSON.stringify({ workflow: { tasks } });
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describeBadInput("Bad input over HTTP: the body", () => {
  const cases: Array<[string, string | Uint8Array, string]> = [
    ["malformed JSON", "{not json", "body"],
    ["NaN, which JSON does not have", '{"scale":NaN}', "body"],
    ["Infinity, which JSON does not have", '{"scale":Infinity}', "body"],
    // LocalStack hands bytes that are not UTF-8 over base64-encoded (isBase64Encoded); we decode.
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "body"],
    ["a JSON array", "[]", "body"],
    ["a JSON string", '"run"', "body"],
    ["null", "null", "body"],
    ["a scale out of range", JSON.stringify({ scale: -1 }), "body.scale"],
    ["1e309 (Infinity once parsed)", '{"scale":1e309}', "body.scale"],
    ["a negative zero scale", '{"scale":-0}', "body.scale"],
    ["a scale as a string", JSON.stringify({ scale: "0.1" }), "body.scale"],
    [
      "an unknown state machine form",
      JSON.stringify({ stateMachineForm: "x" }),
      "body.stateMachineForm",
    ],
    ["10,000 levels of nested arrays", `{"workflow":${nested(10_000)}}`, "workflow"],
    [
      "10,000 levels of nested arrays in deps",
      `{"workflow":{"tasks":[{"id":"a","fn":"writeLog","deps":${nested(10_000)}}]}}`,
      "workflow.tasks[0].deps[0]",
    ],
    ["10,000 levels of nested objects", `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`, "body"],
    [
      "an object of 10,000 keys",
      JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
      "body",
    ],
    [
      "a workflow of 10,000 tasks",
      workflowOf(...Array.from({ length: 10_000 }, (_, i) => task(`t${i}`))),
      "workflow.tasks",
    ],
    [
      "a workflow of 1,001 tasks",
      workflowOf(...Array.from({ length: 1001 }, (_, i) => task(`t${i}`))),
      "workflow.tasks",
    ],
    ["a workflow without tasks", workflowOf(), "workflow.tasks"],
    [
      "a negative duration",
      workflowOf(task("a", { durationMs: -5 })),
      "workflow.tasks[0].durationMs",
    ],
    [
      "a duration of 1e308",
      workflowOf(task("a", { durationMs: 1e308 })),
      "workflow.tasks[0].durationMs",
    ],
    [
      "a fractional duration",
      workflowOf(task("a", { durationMs: 0.5 })),
      "workflow.tasks[0].durationMs",
    ],
    [
      "a duration as a string",
      workflowOf(task("a", { durationMs: "100" })),
      "workflow.tasks[0].durationMs",
    ],
    [
      "a negative outputBytes",
      workflowOf({ id: "q", fn: "queryData", outputBytes: -1 }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "outputBytes of 1e308",
      workflowOf({ id: "q", fn: "queryData", outputBytes: 1e308 }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "outputBytes over the largest record set",
      workflowOf({ id: "q", fn: "queryData", outputBytes: 100_000_000 }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "outputBytes on a task that makes no data",
      workflowOf(task("a", { outputBytes: 1000 })),
      "workflow.tasks[0].outputBytes",
    ],
    ["an unknown function", workflowOf(task("a", { fn: "rm -rf" })), "workflow.tasks[0].fn"],
    [
      "a function named constructor",
      workflowOf(task("a", { fn: "constructor" })),
      "workflow.tasks[0].fn",
    ],
    ["an unknown kind", workflowOf(task("a", { kind: "gpu" })), "workflow.tasks[0].kind"],
    ["an id with a path in it", workflowOf(task("../etc/passwd")), "workflow.tasks[0].id"],
    ["an unknown dep", workflowOf(task("a", { deps: ["ghost"] })), "workflow.tasks[0].deps[0]"],
    ["a duplicate id", workflowOf(task("a"), task("a")), "workflow.tasks[1].id"],
    [
      "a cycle",
      workflowOf(task("a", { deps: ["b"] }), task("b", { deps: ["a"] })),
      "workflow.tasks",
    ],
    ["__proto__ at the top", '{"__proto__":{"scale":0.001,"polluted":true}}', "body"],
    ["constructor.prototype at the top", '{"constructor":{"prototype":{"polluted":true}}}', "body"],
    [
      "__proto__ in the workflow",
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog"}],"__proto__":{"polluted":true}}}',
      "workflow",
    ],
    [
      "prototype in the workflow",
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog"}],"prototype":{"polluted":true}}}',
      "workflow",
    ],
    [
      "__proto__ in a task",
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog","__proto__":{"durationMs":1e9}}]}}',
      "workflow.tasks[0]",
    ],
    [
      "constructor in a task",
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog","constructor":{"prototype":{"polluted":true}}}]}}',
      "workflow.tasks[0]",
    ],
    // As ids they would be object keys downstream; a __proto__ input used to vanish on the way.
    [
      "a task named __proto__",
      workflowOf(
        { id: "__proto__", fn: "queryData" },
        { id: "p", fn: "processData", deps: ["__proto__"] },
      ),
      "workflow.tasks[0].id",
    ],
    ["a task named constructor", workflowOf(task("constructor")), "workflow.tasks[0].id"],
  ];

  it.each(
    cases.map(([name, body, field], index) => [name, strategyFor(index), field, body] as const),
  )("%s (to %s) gets a 400 naming %s", async (_case, strategy, field, body) => {
    const answer = await send("POST", `/runs/${strategy}`, { body });

    expectRefusal(answer, 400, "InvalidInput", field);
  });

  it("names the cycle in the problem", async () => {
    const body = workflowOf(
      task("a", { deps: ["c"] }),
      task("b", { deps: ["a"] }),
      task("c", { deps: ["b"] }),
    );

    const answer = await send("POST", "/runs/fanout", { body });

    expect(answer.body.problem).toMatch(
      /cycle (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/,
    );
  });

  it("answers many or huge unknown keys in a few hundred bytes instead of echoing them", async () => {
    const manyKeys = await send("POST", "/runs/queue", {
      body: JSON.stringify(
        Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
      ),
    });
    const hugeKey = await send("POST", "/runs/stepfunctions", {
      body: JSON.stringify({ ["k".repeat(900_000)]: 1 }),
    });

    expect(manyKeys.body.problem).toBe('unknown keys "k0", "k1", "k2", "k3", "k4" and 9,995 more');
    expect(hugeKey.body.problem).toMatch(/^unknown key "k{40}"… \(900,000 characters\)$/);
    expect(Math.max(manyKeys.bytes, hugeKey.bytes)).toBeLessThan(1000);
  });
});
