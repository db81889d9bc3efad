/**
 * Series-parallel (SP) forms of a task DAG.
 *
 * A Step Functions machine can only say "run these one after the other" (a sequence of states)
 * and "run these side by side, then wait for all" (a Parallel state). Nested, those express
 * exactly the series-parallel orders. Most task graphs are SP already (chains, diamonds,
 * fan-out/fan-in); the rest (the N shape a->c, a->d, b->d and anything containing it) can only
 * be run after adding false dependencies. This module finds an SP form that keeps every original
 * dependency, adds as few false ones as it can, and, among those, keeps the critical path short.
 */

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
const EXHAUSTIVE_LIMIT = 24;

/** Knots up to this many tasks try every dependency-closed subset as the first side of the cut. */
const ALL_CUTS_LIMIT = 10;

/** The DAG indexed in topological order, with its reachability precomputed. */
interface Graph {
  ids: string[];
  durations: number[];
  preds: number[][];
  succs: number[][];
  /** `reach[u * n + v]` is 1 when u must finish before v starts (a path u -> ... -> v). */
  reach: Uint8Array;
}

/** A solved subgraph: its form and what the enclosing search needs to combine it. */
interface Solution {
  /** How it is composed; turned into an {@link SpTree} only once the search is over. */
  shape: { kind: "task"; task: number } | { kind: "series" | "parallel"; parts: Solution[] };
  addedEdges: number;
  criticalPathMs: number;
  /** Tasks of the form that wait for nothing else in it (they start it). */
  sources: number[];
  /** Tasks of the form that nothing else in it waits for (they end it). */
  sinks: number[];
}

/** Orders `nodes` so that deps come first (stable: declaration order among ready nodes). */
function topologicalNodes(nodes: readonly SpNode[]): SpNode[] {
  const done = new Set<string>();
  const pending = [...nodes];
  const order: SpNode[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((node) => node.deps.every((dep) => done.has(dep)));
    const [next] = index < 0 ? [] : pending.splice(index, 1);
    if (!next) throw new Error("seriesParallel needs an acyclic graph whose deps are all known");
    order.push(next);
    done.add(next.id);
  }
  return order;
}

function buildGraph(nodes: readonly SpNode[]): Graph {
  const ordered = topologicalNodes(nodes);
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

const precedes = (graph: Graph, u: number, v: number): boolean =>
  graph.reach[u * graph.ids.length + v] === 1;

/** False edges between the end of one form and the start of the next one. */
function crossingFalseEdges(graph: Graph, sinks: number[], sources: number[]): number {
  let count = 0;
  for (const u of sinks) for (const v of sources) if (!precedes(graph, u, v)) count += 1;
  return count;
}

function leafSolution(graph: Graph, v: number): Solution {
  return {
    shape: { kind: "task", task: v },
    addedEdges: 0,
    criticalPathMs: graph.durations[v] ?? 0,
    sources: [v],
    sinks: [v],
  };
}

/** The solution's form, flattened: series(series(a, b), c) is series(a, b, c). */
function treeOf(graph: Graph, solution: Solution): SpTree {
  const { shape } = solution;
  if (shape.kind === "task") return { kind: "task", id: graph.ids[shape.task] ?? "" };
  const children = shape.parts
    .map((part) => treeOf(graph, part))
    .flatMap((child) => (child.kind === shape.kind ? child.children : [child]));
  return { kind: shape.kind, children };
}

function parallelSolution(parts: Solution[]): Solution {
  return {
    shape: { kind: "parallel", parts },
    addedEdges: parts.reduce((sum, part) => sum + part.addedEdges, 0),
    criticalPathMs: Math.max(...parts.map((part) => part.criticalPathMs)),
    sources: parts.flatMap((part) => part.sources),
    sinks: parts.flatMap((part) => part.sinks),
  };
}

function seriesSolution(graph: Graph, parts: Solution[]): Solution {
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
function components(graph: Graph, set: number[]): number[][] {
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
function levelsWithin(graph: Graph, set: number[]): Map<number, number> {
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
function heightsWithin(graph: Graph, set: number[]): Map<number, number> {
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
function cleanBlocks(graph: Graph, set: number[]): number[][] {
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
function candidateCuts(graph: Graph, set: number[]): number[][] {
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
function allCuts(graph: Graph, set: number[]): number[][] {
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
function twoGroupSplits(parts: number[][]): Array<[number[], number[]]> {
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
function membership(graph: Graph, set: number[]): Uint8Array {
  const marks = new Uint8Array(graph.ids.length);
  for (const v of set) marks[v] = 1;
  return marks;
}

/** Tasks of `set` with no successor (resp. predecessor) inside `set`, as in the original DAG. */
function ends(graph: Graph, set: number[], side: "sources" | "sinks"): number[] {
  const marks = membership(graph, set);
  const neighbours = side === "sources" ? graph.preds : graph.succs;
  return set.filter((v) => !(neighbours[v] ?? []).some((w) => marks[w] === 1));
}

/** Longest path through `set` in the original DAG, weighted by duration. */
function longestPathMs(graph: Graph, set: number[]): number {
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
function bestCutByEstimate(graph: Graph, set: number[], cuts: number[][]): number[] {
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

/**
 * What surrounds a subgraph inside the form being built, as the false edges each of its tasks
 * would make with it: `onStart[v]` if v starts the subgraph's form (the tasks that end the part
 * before it which v does not already depend on), `onEnd[v]` if v ends it. A subgraph's form is
 * charged for them, so that at equal cost inside it prefers the form that starts (or ends) with
 * tasks its neighbours already depend on. Indexed by task; only the subgraph's entries are read.
 */
interface Surroundings {
  onStart: ReadonlyMap<number, number>;
  onEnd: ReadonlyMap<number, number>;
}

const OPEN: Surroundings = { onStart: new Map(), onEnd: new Map() };

/**
 * Work (tasks examined per cut or grouping tried) the search may spend before it stops
 * exploring alternatives and makes greedy choices: it bounds the time on large, knotted graphs
 * while leaving small ones (the realistic case) a full search.
 */
const SEARCH_BUDGET = 50_000;

/** Searches SP forms of subgraphs, remembering each solved task set in its surroundings. */
class SpSearch {
  private readonly memo = new Map<string, Solution>();
  private work = 0;

  constructor(private readonly graph: Graph) {}

  private get greedy(): boolean {
    return this.work > SEARCH_BUDGET;
  }

  /** `around`, with the tasks of `set` charged for not depending on each task of `leaders`. */
  private after(around: Surroundings, set: number[], leaders: number[]): Surroundings {
    const onStart = new Map<number, number>();
    for (const v of set) onStart.set(v, crossingFalseEdges(this.graph, leaders, [v]));
    return { onStart, onEnd: around.onEnd };
  }

  /** `around`, with the tasks of `set` charged for each task of `followers` not depending on them. */
  private before(around: Surroundings, set: number[], followers: number[]): Surroundings {
    const onEnd = new Map<number, number>();
    for (const v of set) onEnd.set(v, crossingFalseEdges(this.graph, [v], followers));
    return { onStart: around.onStart, onEnd };
  }

  /** False edges inside the form plus those it makes with its surroundings. */
  private score(solution: Solution, around: Surroundings): number {
    const onStart = solution.sources.reduce((sum, v) => sum + (around.onStart.get(v) ?? 0), 0);
    const onEnd = solution.sinks.reduce((sum, v) => sum + (around.onEnd.get(v) ?? 0), 0);
    return solution.addedEdges + onStart + onEnd;
  }

  /** Lower score first, then the shorter critical path; the first found wins a full tie. */
  private better(candidate: Solution, best: Solution | undefined, around: Surroundings): boolean {
    if (!best) return true;
    const candidateScore = this.score(candidate, around);
    const bestScore = this.score(best, around);
    if (candidateScore !== bestScore) return candidateScore < bestScore;
    return candidate.criticalPathMs < best.criticalPathMs;
  }

  /** The best form found for the tasks in `set` (sorted topological indices) within `around`. */
  solve(set: number[], around: Surroundings): Solution {
    // One UTF-16 unit per number (task indices and charges stay below 65536): compact and fast.
    let key = "";
    for (const v of set) {
      key += String.fromCharCode(v, around.onStart.get(v) ?? 0, around.onEnd.get(v) ?? 0);
    }
    const known = this.memo.get(key);
    if (known) return known;
    const solution = this.solveUncached(set, around);
    this.memo.set(key, solution);
    return solution;
  }

  private solveUncached(set: number[], around: Surroundings): Solution {
    const [only] = set;
    if (set.length === 1 && only !== undefined) return leafSolution(this.graph, only);
    const parts = components(this.graph, set);
    if (parts.length > 1) return this.solveIndependentParts(set, parts, around);
    const blocks = cleanBlocks(this.graph, set);
    if (blocks.length > 1) {
      // A clean cut adds nothing whatever the blocks' forms, so only the outer ends see neighbours.
      const last = blocks.length - 1;
      const solved = blocks.map((block, index) =>
        this.solve(block, {
          onStart: index === 0 ? around.onStart : OPEN.onStart,
          onEnd: index === last ? around.onEnd : OPEN.onEnd,
        }),
      );
      return seriesSolution(this.graph, solved);
    }
    return this.solveKnot(set, around);
  }

  /**
   * Independent parts (weakly connected components). Alone, running them side by side is
   * optimal. Between neighbours it may not be: when the part after depends on only some of them,
   * chaining one part after another, or grouping parts into chains, can cost fewer false edges
   * than ending with all of them. On small sets every split into two groups (each solved the same
   * way, so every grouping is reachable) and every series cut are tried as well.
   */
  private solveIndependentParts(set: number[], parts: number[][], around: Surroundings): Solution {
    const sideBySide = parallelSolution(parts.map((part) => this.solve(part, around)));
    const charged = set.some(
      (v) => (around.onStart.get(v) ?? 0) > 0 || (around.onEnd.get(v) ?? 0) > 0,
    );
    if (!charged || set.length > ALL_CUTS_LIMIT || this.greedy) return sideBySide;
    let best = sideBySide;
    for (const [group, others] of twoGroupSplits(parts)) {
      this.work += set.length;
      const grouped = parallelSolution([this.solve(group, around), this.solve(others, around)]);
      if (this.better(grouped, best, around)) best = grouped;
    }
    const chained = this.solveKnot(set, around);
    return this.better(chained, best, around) ? chained : best;
  }

  /**
   * A connected subgraph with no clean cut: some false edge is unavoidable. Each candidate cut is
   * solved twice: first side first (the first side charged for the second side's tasks without
   * deps inside it, then the second side for the ends the first side's form actually has) and
   * second side first (the mirror image). The better result is kept.
   */
  private solveKnot(set: number[], around: Surroundings): Solution {
    const exhaustive = set.length <= EXHAUSTIVE_LIMIT && !this.greedy;
    const cuts =
      set.length <= ALL_CUTS_LIMIT ? allCuts(this.graph, set) : candidateCuts(this.graph, set);
    const searched = exhaustive ? cuts : [bestCutByEstimate(this.graph, set, cuts)];
    let best: Solution | undefined;
    for (const first of searched) {
      this.work += set.length;
      const inFirst = new Set(first);
      const second = set.filter((v) => !inFirst.has(v));
      for (const candidate of this.seriesOfCut(first, second, around, exhaustive)) {
        if (this.better(candidate, best, around)) best = candidate;
      }
    }
    if (!best) throw new Error("a connected subgraph of two or more tasks always has a cut");
    return best;
  }

  private seriesOfCut(
    first: number[],
    second: number[],
    around: Surroundings,
    bothWays: boolean,
  ): Solution[] {
    const firstLed = this.solve(
      first,
      this.before(around, first, ends(this.graph, second, "sources")),
    );
    const thenSecond = this.solve(second, this.after(around, second, firstLed.sinks));
    const forward = seriesSolution(this.graph, [firstLed, thenSecond]);
    if (!bothWays) return [forward];
    const secondLed = this.solve(
      second,
      this.after(around, second, ends(this.graph, first, "sinks")),
    );
    const thenFirst = this.solve(first, this.before(around, first, secondLed.sources));
    return [forward, seriesSolution(this.graph, [thenFirst, secondLed])];
  }
}

/**
 * An SP form of the DAG that contains every original dependency, adding as few false
 * dependencies ({@link addedEdgesOf}) as the heuristic finds and, among equally few, the one with
 * the shortest critical path for the given durations. Exact (nothing added) for every DAG that
 * already is SP.
 *
 * The heuristic is a memoised recursive decomposition of a task set. A set is solved within its
 * surroundings: the false edges each of its tasks would make with the part before it (if it
 * started the set's form) and the part after it (if it ended it), so that a part's form is chosen
 * for how it joins its neighbours, not only for what it costs inside.
 * 1. One task: the task itself.
 * 2. Several weakly connected components: side by side, each solved in the same surroundings.
 *    With nothing around that is optimal (components share no dependency). When neighbours would
 *    charge some of them, chaining components or grouping them into chains can be cheaper (the
 *    part after depends on only some of them), so small sets also try every split into two groups
 *    and every series cut.
 * 3. Connected, with clean cuts (levels such that everything at or below precedes everything
 *    above): a series of the blocks between them. A clean cut adds nothing and delays nothing,
 *    and an optimal form can always use it, so it is taken without search. This alone gives
 *    every SP graph (chains, diamonds, fan-out/fan-in...) its exact form.
 * 4. Otherwise a knot, such as the N shape a->c, a->d, b->d: some false edge is unavoidable. Each
 *    candidate cut (first side, second side) is tried, both sides solved recursively, first side
 *    first and second side first; the cut adds false edges from the first side's sinks to the
 *    second side's sources. Candidates: every dependency-closed subset for knots of up to
 *    {@link ALL_CUTS_LIMIT} tasks, else the ASAP and ALAP level cuts, each task's ancestry first and
 *    each task's descendants last.
 * The form with the fewest false edges wins, ties going to the shorter critical path, then to the
 * first found. Knots over {@link EXHAUSTIVE_LIMIT} tasks, and every choice once the search has
 * spent {@link SEARCH_BUDGET}, take the single cut that looks best before its sides are solved.
 *
 * Why a heuristic: finding the SP extension with the fewest added dependencies is NP-hard in
 * general. This search only explores the moves above (and greedily beyond its budget). Checked
 * against an exhaustive enumeration of every SP form: it matched the optimum (false edges, then
 * critical path) on thousands of random DAGs of up to 7 tasks, and missed the critical path on
 * rare 8-task ones. It takes milliseconds on small workflows and under a second on knotted
 * 200-task ones.
 */
export function seriesParallelForm(nodes: readonly SpNode[]): SpTree {
  if (nodes.length === 0) throw new Error("seriesParallelForm needs at least one task");
  const graph = buildGraph(nodes);
  const search = new SpSearch(graph);
  return treeOf(
    graph,
    search.solve(
      graph.ids.map((_, index) => index),
      OPEN,
    ),
  );
}

/** Runs each group side by side (a parallel, or the task itself when alone), groups in order. */
export function levelsForm(levels: readonly (readonly string[])[]): SpTree {
  const stages = levels
    .filter((level) => level.length > 0)
    .map((level): SpTree => {
      const tasks = level.map((id): SpTree => ({ kind: "task", id }));
      const [only] = tasks;
      return tasks.length === 1 && only ? only : { kind: "parallel", children: tasks };
    });
  const [only] = stages;
  if (!only) throw new Error("levelsForm needs at least one task");
  return stages.length === 1 ? only : { kind: "series", children: stages };
}

/** The tasks of a form, in the order its states are written. */
export function tasksOf(tree: SpTree): string[] {
  return tree.kind === "task" ? [tree.id] : tree.children.flatMap(tasksOf);
}

/**
 * The form's own "waits for" relation, reduced to its covering edges: from each task that ends a
 * part of a series to each task that starts the next part.
 */
function coveringEdges(tree: SpTree): { sources: string[]; sinks: string[]; edges: AddedEdge[] } {
  if (tree.kind === "task") return { sources: [tree.id], sinks: [tree.id], edges: [] };
  const parts = tree.children.map(coveringEdges);
  if (tree.kind === "parallel") {
    return {
      sources: parts.flatMap((part) => part.sources),
      sinks: parts.flatMap((part) => part.sinks),
      edges: parts.flatMap((part) => part.edges),
    };
  }
  const joints = parts
    .slice(1)
    .flatMap((part, index) =>
      (parts[index]?.sinks ?? []).flatMap((from) => part.sources.map((to) => ({ from, to }))),
    );
  return {
    sources: parts[0]?.sources ?? [],
    sinks: parts[parts.length - 1]?.sinks ?? [],
    edges: [...parts.flatMap((part) => part.edges), ...joints],
  };
}

/**
 * The dependencies a form adds to the DAG: the edges of the form's transitive reduction that
 * the DAG does not already imply. This is the smallest set of edges which, added to the DAG,
 * makes it wait exactly as the form does. Sorted by the tasks' topological order (from, then to).
 */
export function addedEdgesOf(tree: SpTree, nodes: readonly SpNode[]): AddedEdge[] {
  const graph = buildGraph(nodes);
  const indexOf = new Map(graph.ids.map((id, index) => [id, index]));
  const index = (id: string): number => indexOf.get(id) ?? -1;
  return coveringEdges(tree)
    .edges.filter((edge) => !precedes(graph, index(edge.from), index(edge.to)))
    .sort((a, b) => index(a.from) - index(b.from) || index(a.to) - index(b.to));
}

/** How long the form takes when every task runs for its duration and nothing else costs time. */
export function formCriticalPathMs(tree: SpTree, durationOf: (id: string) => number): number {
  if (tree.kind === "task") return durationOf(tree.id);
  const lengths = tree.children.map((child) => formCriticalPathMs(child, durationOf));
  return tree.kind === "series"
    ? lengths.reduce((sum, length) => sum + length, 0)
    : Math.max(...lengths);
}
