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
import {
  type AddedEdge,
  ALL_CUTS_LIMIT,
  allCuts,
  bestCutByEstimate,
  buildGraph,
  candidateCuts,
  cleanBlocks,
  components,
  crossingFalseEdges,
  EXHAUSTIVE_LIMIT,
  ends,
  type Graph,
  leafSolution,
  parallelSolution,
  precedes,
  type Solution,
  type SpNode,
  type SpTree,
  seriesSolution,
  treeOf,
  twoGroupSplits,
} from "./seriesParallelGraph.js";

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
