import { describe, expect, inject, it } from "vitest";

const apiUrl = inject("apiUrl");

async function post(path: string, body: string) {
  const response = await fetch(`${apiUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const task = (id: string, deps: string[] = [], extra: Record<string, unknown> = {}) => ({
  id,
  fn: "writeLog",
  deps,
  ...extra,
});

describe("Bad input over HTTP", () => {
  it.each([
    ["malformed JSON", "/runs/fanout", "{not json", "body"],
    ["an unknown strategy", "/runs/threads", "{}", "strategy"],
    ["a scale out of range", "/runs/fanout", JSON.stringify({ scale: -1 }), "body.scale"],
    [
      "a cycle",
      "/runs/fanout",
      JSON.stringify({ workflow: { tasks: [task("a", ["b"]), task("b", ["a"])] } }),
      "workflow.tasks",
    ],
    [
      "outputBytes on a task that does not make data",
      "/runs/queue",
      JSON.stringify({ workflow: { tasks: [task("a", [], { outputBytes: 1000 })] } }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "outputBytes over the largest record set",
      "/runs/fanout",
      JSON.stringify({
        workflow: { tasks: [{ id: "q", fn: "queryData", outputBytes: 100_000_000 }] },
      }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "an unknown dep",
      "/runs/sequential",
      JSON.stringify({ workflow: { tasks: [task("a", ["ghost"])] } }),
      "workflow.tasks[0].deps[0]",
    ],
    [
      "a negative duration",
      "/runs/inline",
      JSON.stringify({ workflow: { tasks: [task("a", [], { durationMs: -5 })] } }),
      "workflow.tasks[0].durationMs",
    ],
    [
      "1,001 tasks",
      "/runs/queue",
      JSON.stringify({
        workflow: { tasks: Array.from({ length: 1001 }, (_, index) => task(`t${index}`)) },
      }),
      "workflow.tasks",
    ],
  ])("%s gets a 400 naming the field", async (_case, path, body, field) => {
    const response = await post(path, body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: "InvalidInput", field });
    expect(String(response.body.problem)).not.toBe("");
  });

  it("names the cycle in the problem", async () => {
    const body = JSON.stringify({
      workflow: { tasks: [task("a", ["c"]), task("b", ["a"]), task("c", ["b"])] },
    });

    const response = await post("/runs/fanout", body);

    expect(response.body.problem).toMatch(
      /cycle (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/,
    );
  });

  it("an unknown route gets API Gateway's own 403 (REST APIs answer Missing Authentication Token)", async () => {
    const response = await fetch(`${apiUrl}/nothing-here`, { method: "POST" });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: "Missing Authentication Token" });
  });
});
