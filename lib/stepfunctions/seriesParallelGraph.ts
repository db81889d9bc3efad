/**
 * The pieces the series-parallel search (seriesParallel.ts) works with: the DAG indexed in
 * topological order with its reachability, solved subgraphs and how they combine, the subgraph
 * measures (components, levels, ends, longest path) and the candidate cuts between two parts.
 */
import { inTopologicalOrder } from "../workflow/dag.js";

/** One task as the SP search sees it: its dependencies and how long it runs. */
export interface SpNode {
  id: string;
  deps: readonly string[];
  durationMs: number;
}

/** A series-parallel form: a task, a sequence of forms, or forms that run side by side. */
export type SpTree =
  | { kind: "task"; id: string }
  | { kind: "series"; children: SpTree[] }
  | { kind: "parallel"; children: SpTree[] };

/** A dependency the SP form adds to the DAG: `to` now also waits for `from`. */
export interface AddedEdge {
  from: string;
  to: string;
}

/**
 * Above this many tasks, a knot (a subgraph without a clean cut) is not searched: its candidate
 * cuts are ranked by a one-step estimate and only the best is solved. Real knots are far smaller.
 */
export const EXHAUSTIVE_LIMIT = 24;

/** Knots up to this many tasks try every dependency-closed subset as the first side of the cut. */
export const ALL_CUTS_LIMIT = 10;

/** The DAG indexed in topological order, with its reachability precomputed. */
export interface Graph {
  ids: string[];
  durations: number[];
  preds: number[][];
  succs: number[][];
  /** `reach[u * n + v]` is 1 when u must finish before v starts (a path u -> ... -> v). */
  reach: Uint8Array;
}

/** A solved subgraph: its form and what the enclosing search needs to combine it. */
export interface Solution {
  /** How it is composed; turned into an {@link SpTree} only once the search is over. */
  shape: { kind: "task"; task: number } | { kind: "series" | "parallel"; parts: Solution[] };
  addedEdges: number;
  criticalPathMs: number;
  /** Tasks of the form that wait for nothing else in it (they start it). */
  sources: number[];
  /** Tasks of the form that nothing else in it waits for (they end it). */
  sinks: number[];
}

export function buildGraph(nodes: readonly SpNode[]): Graph {
  const ordered = inTopologicalOrder(nodes);
  const indexOf = new Map(ordered.map((node, index) => [node.id, index]));
  const n = ordered.length;
  const preds = ordered.map((node) => node.deps.map((dep) => indexOf.get(dep) ?? -1));
  const succs: number[][] = ordered.map(() => []);
  preds.forEach((list, v) => {
    for (const u of list) succs[u]?.push(v);
  });
  const reach = new Uint8Array(n * n);
  // In topological order, v's ancestors are its preds and their ancestors, all already known.
  for (let v = 0; v < n; v += 1) {
    for (const u of preds[v] ?? []) {
      reach[u * n + v] = 1;
      for (let w = 0; w < n; w += 1) if (reach[w * n + u]) reach[w * n + v] = 1;
    }
  }
  return {
    ids: ordered.map((node) => node.id),
    durations: ordered.map((node) => node.durationMs),
    preds,
    succs,
    reach,
  };
}

export const precedes = (graph: Graph, u: number, v: number): boolean =>
  graph.reach[u * graph.ids.length + v] === 1;

/** False edges between the end of one form and the start of the next one. */
export function crossingFalseEdges(graph: Graph, sinks: number[], sources: number[]): number {
  let count = 0;
  for (const u of sinks) for (const v of sources) if (!precedes(graph, u, v)) count += 1;
  return count;
}

export function leafSolution(graph: Graph, v: number): Solution {
  return {
    shape: { kind: "task", task: v },
    addedEdges: 0,
    criticalPathMs: graph.durations[v] ?? 0,
    sources: [v],
    sinks: [v],
  };
}

/** The solution's form, flattened: series(series(a, b), c) is series(a, b, c). */
export function treeOf(graph: Graph, solution: Solution): SpTree {
  const { shape } = solution;
  if (shape.kind === "task") return { kind: "task", id: graph.ids[shape.task] ?? "" };
  const children = shape.parts
    .map((part) => treeOf(graph, part))
    .flatMap((child) => (child.kind === shape.kind ? child.children : [child]));
  return { kind: shape.kind, children };
}

export function parallelSolution(parts: Solution[]): Solution {
  return {
    shape: { kind: "parallel", parts },
    addedEdges: parts.reduce((sum, part) => sum + part.addedEdges, 0),
    criticalPathMs: Math.max(...parts.map((part) => part.criticalPathMs)),
    sources: parts.flatMap((part) => part.sources),
    sinks: parts.flatMap((part) => part.sinks),
  };
}

export function seriesSolution(graph: Graph, parts: Solution[]): Solution {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!first || !last) throw new Error("a series needs at least one part");
  const crossing = parts
    .slice(1)
    .reduce(
      (sum, part, index) =>
        sum + crossingFalseEdges(graph, parts[index]?.sinks ?? [], part.sources),
      0,
    );
  return {
    shape: { kind: "series", parts },
    addedEdges: parts.reduce((sum, part) => sum + part.addedEdges, crossing),
    criticalPathMs: parts.reduce((sum, part) => sum + part.criticalPathMs, 0),
    sources: first.sources,
    sinks: last.sinks,
  };
}

/** Weakly connected components of the subgraph induced by `set`, each sorted, by first task. */
export function components(graph: Graph, set: number[]): number[][] {
  const inSet = new Set(set);
  const seen = new Set<number>();
  const result: number[][] = [];
  for (const start of set) {
    if (seen.has(start)) continue;
    const component: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const v = stack.pop() ?? start;
      component.push(v);
      for (const w of [...(graph.preds[v] ?? []), ...(graph.succs[v] ?? [])]) {
        if (inSet.has(w) && !seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    result.push(component.sort((a, b) => a - b));
  }
  return result;
}

/** Longest chain of edges ending at each task of `set` (its level inside the subgraph). */
export function levelsWithin(graph: Graph, set: number[]): Map<number, number> {
  const inSet = new Set(set);
  const levels = new Map<number, number>();
  for (const v of set) {
    const depLevels = (graph.preds[v] ?? [])
      .filter((u) => inSet.has(u))
      .map((u) => levels.get(u) ?? 0);
    levels.set(v, depLevels.length === 0 ? 0 : Math.max(...depLevels) + 1);
  }
  return levels;
}

/** Longest chain of edges starting at each task of `set` (how far it is from the end). */
export function heightsWithin(graph: Graph, set: number[]): Map<number, number> {
  const inSet = new Set(set);
  const heights = new Map<number, number>();
  for (const v of [...set].reverse()) {
    const succHeights = (graph.succs[v] ?? [])
      .filter((w) => inSet.has(w))
      .map((w) => heights.get(w) ?? 0);
    heights.set(v, succHeights.length === 0 ? 0 : Math.max(...succHeights) + 1);
  }
  return heights;
}

/**
 * Splits a connected subgraph at every clean cut: a level k such that every task at level <= k
 * precedes every task above it. Such a cut adds no false edge and costs nothing in critical path,
 * and an optimal form can always use it, so it is taken without search. (Clean cuts are always
 * level cuts: everything after a clean cut sits strictly above everything before it.)
 */
export function cleanBlocks(graph: Graph, set: number[]): number[][] {
  const levels = levelsWithin(graph, set);
  const maxLevel = Math.max(...levels.values());
  const blocks: number[][] = [];
  let block: number[] = [];
  for (let k = 0; k <= maxLevel; k += 1) {
    block.push(...set.filter((v) => levels.get(v) === k));
    const before = set.filter((v) => (levels.get(v) ?? 0) <= k);
    const after = set.filter((v) => (levels.get(v) ?? 0) > k);
    const clean =
      after.length > 0 && after.every((v) => before.every((u) => precedes(graph, u, v)));
    if (clean || k === maxLevel) {
      blocks.push(block.sort((a, b) => a - b));
      block = [];
    }
  }
  return blocks;
}

/**
 * Candidate series cuts of a knot (a connected subgraph with no clean cut): the tasks to run
 * first, each a non-empty, proper, dependency-closed subset. They are the ASAP level cuts (run the
 * lowest levels first), the ALAP level cuts (leave the tasks nearest the end for last), each
 * task's ancestry (that task and all it needs first) and the complement of each task's
 * descendants (that task and all that needs it last). Deduplicated, in that order.
 */
export function candidateCuts(graph: Graph, set: number[]): number[][] {
  const levels = levelsWithin(graph, set);
  const heights = heightsWithin(graph, set);
  const maxLevel = Math.max(...levels.values());
  const cuts: number[][] = [];
  for (let k = 0; k < maxLevel; k += 1) cuts.push(set.filter((v) => (levels.get(v) ?? 0) <= k));
  for (let k = 0; k < maxLevel; k += 1) {
    cuts.push(set.filter((v) => maxLevel - (heights.get(v) ?? 0) <= k));
  }
  for (const v of set) cuts.push(set.filter((u) => u === v || precedes(graph, u, v)));
  for (const v of set) cuts.push(set.filter((u) => u !== v && !precedes(graph, v, u)));
  const seen = new Set<string>();
  return cuts.filter((cut) => {
    const key = cut.join(",");
    if (cut.length === 0 || cut.length === set.length || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every non-empty, proper, dependency-closed subset of `set`, smallest first. */
export function allCuts(graph: Graph, set: number[]): number[][] {
  const inSet = new Set(set);
  const cuts: number[][] = [[]];
  // Extends each closed prefix of the topological order by the next task when its deps are in.
  for (const v of set) {
    const needs = (graph.preds[v] ?? []).filter((u) => inSet.has(u));
    const extended = cuts
      .filter((cut) => needs.every((u) => cut.includes(u)))
      .map((cut) => [...cut, v]);
    cuts.push(...extended);
  }
  return cuts
    .filter((cut) => cut.length > 0 && cut.length < set.length)
    .sort((a, b) => a.length - b.length);
}

/**
 * Every split of parts into two groups, the first group holding the first part, skipping the
 * split into one part and all others when there are only two parts (that is side by side).
 */
export function twoGroupSplits(parts: number[][]): Array<[number[], number[]]> {
  const splits: Array<[number[], number[]]> = [];
  const rest = parts.length - 1;
  for (let mask = 0; mask < 2 ** rest - 1; mask += 1) {
    const group = parts.filter((_, index) => index === 0 || (mask & (1 << (index - 1))) !== 0);
    const others = parts.filter((_, index) => index > 0 && (mask & (1 << (index - 1))) === 0);
    if (group.length > 1 || others.length > 1) {
      splits.push([group.flat().sort((a, b) => a - b), others.flat().sort((a, b) => a - b)]);
    }
  }
  return splits;
}

/** Marks the tasks of `set`: `marks[v]` is 1 when v is in it. */
export function membership(graph: Graph, set: number[]): Uint8Array {
  const marks = new Uint8Array(graph.ids.length);
  for (const v of set) marks[v] = 1;
  return marks;
}

/** Tasks of `set` with no successor (resp. predecessor) inside `set`, as in the original DAG. */
export function ends(graph: Graph, set: number[], side: "sources" | "sinks"): number[] {
  const marks = membership(graph, set);
  const neighbours = side === "sources" ? graph.preds : graph.succs;
  return set.filter((v) => !(neighbours[v] ?? []).some((w) => marks[w] === 1));
}

/** Longest path through `set` in the original DAG, weighted by duration. */
export function longestPathMs(graph: Graph, set: number[]): number {
  const marks = membership(graph, set);
  const finish = new Float64Array(graph.ids.length);
  let longest = 0;
  for (const v of set) {
    let start = 0;
    for (const u of graph.preds[v] ?? []) {
      if (marks[u] === 1) start = Math.max(start, finish[u] ?? 0);
    }
    finish[v] = start + (graph.durations[v] ?? 0);
    longest = Math.max(longest, finish[v] ?? 0);
  }
  return longest;
}

/**
 * For knots too large to search: ranks a cut by what it costs on its own, before either side is
 * solved (false edges between the first side's sinks and the second side's sources, then the sum
 * of both sides' own critical paths), and returns the best. Both are bounds the solved sides can
 * only improve on (edges) or match (critical path).
 */
export function bestCutByEstimate(graph: Graph, set: number[], cuts: number[][]): number[] {
  let best: { cut: number[]; edges: number; pathMs: number } | undefined;
  for (const cut of cuts) {
    const inCut = membership(graph, cut);
    const rest = set.filter((v) => inCut[v] !== 1);
    const edges = crossingFalseEdges(
      graph,
      ends(graph, cut, "sinks"),
      ends(graph, rest, "sources"),
    );
    const pathMs = longestPathMs(graph, cut) + longestPathMs(graph, rest);
    if (!best || edges < best.edges || (edges === best.edges && pathMs < best.pathMs)) {
      best = { cut, edges, pathMs };
    }
  }
  return best?.cut ?? set.slice(0, 1);
}
