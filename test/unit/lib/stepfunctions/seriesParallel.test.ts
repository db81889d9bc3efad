import { describe, expect, it } from "vitest";
import {
  addedEdgesOf,
  formCriticalPathMs,
  levelsForm,
  seriesParallelForm,
  tasksOf,
} from "../../../../lib/stepfunctions/seriesParallel.js";
import type { SpNode, SpTree } from "../../../../lib/stepfunctions/seriesParallelGraph.js";
import { seededRandom } from "../../../helpers/seededRandom.js";

const task = (id: string, deps: string[] = [], durationMs = 1000): SpNode => ({
  id,
  deps,
  durationMs,
});

/** A random DAG of `size` tasks: each earlier task is a dep with probability `density`. */
function randomDag(random: () => number, size: number, density: number): SpNode[] {
  const durations = [100, 300, 1000, 2000];
  return Array.from({ length: size }, (_, index) =>
    task(
      `t${index}`,
      Array.from({ length: index }, (_, dep) => `t${dep}`).filter(() => random() < density),
      durations[Math.floor(random() * durations.length)] ?? 1000,
    ),
  );
}

const durationIn = (nodes: SpNode[]) => (id: string) =>
  nodes.find((node) => node.id === id)?.durationMs ?? 0;

/** The DAG's own critical path (longest path by duration); nodes are in topological order. */
function dagCriticalPathMs(nodes: SpNode[]): number {
  const finish = new Map<string, number>();
  for (const node of nodes) {
    const start = Math.max(0, ...node.deps.map((dep) => finish.get(dep) ?? 0));
    finish.set(node.id, start + node.durationMs);
  }
  return Math.max(...finish.values());
}

interface Optimum {
  addedEdges: number;
  criticalPathMs: number;
}

/**
 * The true optimum by brute force: enumerates every SP form that keeps the DAG's order (every
 * series cut into a dependency-closed first part and the rest, every split into two independent
 * parts, recursively), keeping for each task subset and each (starting tasks, ending tasks) pair
 * the fewest false edges, then the shortest critical path: how a form joins its neighbours only
 * depends on those ends, so this is exact. Exponential: for graphs of up to 6 or 7 tasks.
 */
function bruteForceOptimum(nodes: SpNode[]): Optimum {
  const size = nodes.length;
  const index = new Map(nodes.map((node, position) => [node.id, position]));
  const reach = nodes.map(() => nodes.map(() => false));
  nodes.forEach((node, v) => {
    for (const dep of node.deps) {
      const u = index.get(dep) ?? 0;
      for (let w = 0; w < size; w += 1) {
        if (w === u || reach[w]?.[u]) (reach[w] as boolean[])[v] = true;
      }
    }
  });
  const precedes = (u: number, v: number) => reach[u]?.[v] === true;
  const members = (mask: number) =>
    Array.from({ length: size }, (_, v) => v).filter((v) => (mask >> v) & 1);
  const falseEdges = (from: number, to: number) =>
    members(from).reduce((sum, u) => sum + members(to).filter((v) => !precedes(u, v)).length, 0);
  type Form = Optimum & { starts: number; ends: number };
  const memo = new Map<number, Map<string, Form>>();
  const keep = (forms: Map<string, Form>, form: Form) => {
    const key = `${form.starts}/${form.ends}`;
    const known = forms.get(key);
    const better =
      !known ||
      form.addedEdges < known.addedEdges ||
      (form.addedEdges === known.addedEdges && form.criticalPathMs < known.criticalPathMs);
    if (better) forms.set(key, form);
  };
  const formsOf = (mask: number): Map<string, Form> => {
    const cached = memo.get(mask);
    if (cached) return cached;
    const forms = new Map<string, Form>();
    const tasks = members(mask);
    const [only] = tasks;
    if (tasks.length === 1 && only !== undefined) {
      const duration = nodes[only]?.durationMs ?? 0;
      keep(forms, { addedEdges: 0, criticalPathMs: duration, starts: mask, ends: mask });
    }
    for (let first = (mask - 1) & mask; first > 0; first = (first - 1) & mask) {
      const second = mask & ~first;
      const closed = members(second).every((u) => members(first).every((v) => !precedes(u, v)));
      const independent = members(first).every((u) =>
        members(second).every((v) => !precedes(u, v) && !precedes(v, u)),
      );
      for (const a of closed || independent ? formsOf(first).values() : []) {
        for (const b of formsOf(second).values()) {
          if (closed) {
            keep(forms, {
              addedEdges: a.addedEdges + b.addedEdges + falseEdges(a.ends, b.starts),
              criticalPathMs: a.criticalPathMs + b.criticalPathMs,
              starts: a.starts,
              ends: b.ends,
            });
          }
          if (independent) {
            keep(forms, {
              addedEdges: a.addedEdges + b.addedEdges,
              criticalPathMs: Math.max(a.criticalPathMs, b.criticalPathMs),
              starts: a.starts | b.starts,
              ends: a.ends | b.ends,
            });
          }
        }
      }
    }
    memo.set(mask, forms);
    return forms;
  };
  return [...formsOf((1 << size) - 1).values()].reduce<Optimum>(
    (best, form) =>
      form.addedEdges < best.addedEdges ||
      (form.addedEdges === best.addedEdges && form.criticalPathMs < best.criticalPathMs)
        ? { addedEdges: form.addedEdges, criticalPathMs: form.criticalPathMs }
        : best,
    { addedEdges: Number.POSITIVE_INFINITY, criticalPathMs: Number.POSITIVE_INFINITY },
  );
}

function found(nodes: SpNode[]): Optimum & { tree: SpTree } {
  const tree = seriesParallelForm(nodes);
  return {
    tree,
    addedEdges: addedEdgesOf(tree, nodes).length,
    criticalPathMs: formCriticalPathMs(tree, durationIn(nodes)),
  };
}

/** Every pair (u, v) such that the form makes v wait for u. */
function waitsFor(tree: SpTree): Set<string> {
  if (tree.kind === "task") return new Set();
  const pairs = new Set(tree.children.flatMap((child) => [...waitsFor(child)]));
  if (tree.kind === "series") {
    tree.children.forEach((earlier, position) => {
      for (const later of tree.children.slice(position + 1)) {
        for (const u of tasksOf(earlier)) for (const v of tasksOf(later)) pairs.add(`${u}>${v}`);
      }
    });
  }
  return pairs;
}

const N_SHAPE = (a: number, b: number, c: number, d: number) => [
  task("a", [], a),
  task("b", [], b),
  task("c", ["a"], c),
  task("d", ["a", "b"], d),
];

describe("Function: seriesParallelForm", () => {
  it.each([
    ["a single task", [task("a")]],
    ["a chain", [task("a"), task("b", ["a"]), task("c", ["b"])]],
    ["the diamond", [task("a"), task("b", ["a"]), task("c", ["a"]), task("d", ["b", "c"])]],
    [
      "a fan-out and fan-in",
      [task("s"), ...["x", "y", "z"].map((id) => task(id, ["s"])), task("e", ["x", "y", "z"])],
    ],
    ["the seed", [task("queryData"), task("processData", ["queryData"]), task("writeLog")]],
    [
      "nested diamonds",
      [
        task("a"),
        task("b", ["a"]),
        task("c", ["a"]),
        task("d", ["b"]),
        task("e", ["b"]),
        task("f", ["d", "e"]),
        task("g", ["c", "f"]),
      ],
    ],
  ] as Array<[string, SpNode[]]>)(
    "adds nothing to %s, which already is series-parallel",
    (_, nodes) => {
      const { tree, criticalPathMs } = found(nodes);

      expect(addedEdgesOf(tree, nodes)).toEqual([]);
      expect(criticalPathMs).toBe(dagCriticalPathMs(nodes));
      expect(tasksOf(tree).sort()).toEqual(nodes.map((node) => node.id).sort());
    },
  );

  it("runs independent components side by side and a clean chain in sequence", () => {
    const nodes = [task("a"), task("b", ["a"]), task("c")];

    expect(seriesParallelForm(nodes)).toEqual({
      kind: "parallel",
      children: [
        {
          kind: "series",
          children: [
            { kind: "task", id: "a" },
            { kind: "task", id: "b" },
          ],
        },
        { kind: "task", id: "c" },
      ],
    });
  });

  it.each([
    // c -> d costs nothing: b (1000) + d (100) already is the critical path; b -> c would cost 700.
    ["d waits for c", N_SHAPE(100, 1000, 800, 100), { from: "c", to: "d" }, 0],
    // b waits for a: 50 ms later; every other choice costs 400 ms or more.
    ["b waits for a", N_SHAPE(50, 500, 1000, 600), { from: "a", to: "b" }, 50],
    // Equal durations: running level after level (b -> c) costs nothing.
    ["c waits for b", N_SHAPE(1000, 1000, 1000, 1000), { from: "b", to: "c" }, 0],
  ])(
    "adds one false edge to the N shape, the cheapest on the durations: %s",
    (_, nodes, edge, delayMs) => {
      const { tree, criticalPathMs } = found(nodes);

      expect(addedEdgesOf(tree, nodes)).toEqual([edge]);
      expect(criticalPathMs - dagCriticalPathMs(nodes)).toBe(delayMs);
    },
  );

  it("matches the brute-force optimum (false edges, then critical path) on named knots", () => {
    const knots = [
      N_SHAPE(100, 1000, 800, 100),
      // Two interlocked N shapes.
      [
        task("a"),
        task("b"),
        task("c"),
        task("d", ["a"]),
        task("e", ["a", "b"]),
        task("f", ["b", "c"]),
      ],
      // A crown: every source but one feeds every sink.
      [
        task("a"),
        task("b"),
        task("c"),
        task("x", ["b", "c"]),
        task("y", ["a", "c"]),
        task("z", ["a", "b"]),
      ],
    ];

    for (const nodes of knots) {
      const { addedEdges, criticalPathMs } = found(nodes);

      expect({ addedEdges, criticalPathMs }).toEqual(bruteForceOptimum(nodes));
    }
  });

  it("matches the brute-force optimum on 300 random DAGs of up to 6 tasks", () => {
    const random = seededRandom(2026);
    const misses: string[] = [];

    for (let run = 0; run < 300; run += 1) {
      const nodes = randomDag(random, 2 + Math.floor(random() * 5), 0.2 + random() * 0.5);
      const { addedEdges, criticalPathMs } = found(nodes);
      const optimum = bruteForceOptimum(nodes);
      if (addedEdges !== optimum.addedEdges || criticalPathMs !== optimum.criticalPathMs) {
        misses.push(JSON.stringify({ nodes, addedEdges, criticalPathMs, optimum }));
      }
    }

    expect(misses).toEqual([]);
  });

  it("keeps every original dependency on 200-task DAGs, quickly", () => {
    const random = seededRandom(7);

    for (const density of [0.02, 0.1, 0.5]) {
      const nodes = randomDag(random, 200, density);
      const started = performance.now();

      const tree = seriesParallelForm(nodes);

      expect(performance.now() - started).toBeLessThan(5000);
      const pairs = waitsFor(tree);
      const missing = nodes.flatMap((node) =>
        node.deps
          .filter((dep) => !pairs.has(`${dep}>${node.id}`))
          .map((dep) => `${dep}>${node.id}`),
      );
      expect(missing).toEqual([]);
      expect(tasksOf(tree)).toHaveLength(200);
    }
  });

  it("refuses an empty graph", () => {
    expect(() => seriesParallelForm([])).toThrow(/at least one task/);
  });
});

describe("Function: levelsForm", () => {
  it("runs level after level, a lone task without a Parallel", () => {
    expect(levelsForm([["a", "b"], ["c"]])).toEqual({
      kind: "series",
      children: [
        {
          kind: "parallel",
          children: [
            { kind: "task", id: "a" },
            { kind: "task", id: "b" },
          ],
        },
        { kind: "task", id: "c" },
      ],
    });
  });
});

describe("Function: addedEdgesOf", () => {
  it("lists the form's waits that the DAG does not imply, each once, in topological order", () => {
    const nodes = [task("a"), task("b"), task("c", ["a"]), task("d", ["a", "b"]), task("e", ["c"])];
    const levels = levelsForm([["a", "b"], ["c", "d"], ["e"]]);

    // b -> c is false; d -> e is false; a -> d, b -> d, a -> c, c -> e are the DAG's own.
    expect(addedEdgesOf(levels, nodes)).toEqual([
      { from: "b", to: "c" },
      { from: "d", to: "e" },
    ]);
  });
});
