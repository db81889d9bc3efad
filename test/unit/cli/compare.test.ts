import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CompareIo, compare, forecastOnly } from "../../../cli/comparison.js";
import { type CompareOptions, parseCompareOptions } from "../../../cli/options.js";
import { plainProgress } from "../../../cli/progress.js";
import type { Session, SessionOptions } from "../../../cli/session.js";
import type { ReportDocument } from "../../../lib/report/document.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aScaleSweep, aSeedRun } from "../../helpers/reportDocument.js";

interface Sent {
  strategy: StrategyName;
  scale: number;
  runId?: string;
  mode: "sync" | "async";
}

/** compare's world as a test sees it: a session, a runs API that answers `answer`, captured output. */
function fakeIo(
  options: {
    unavailable?: StrategyName[];
    answer?: (strategy: StrategyName, index: number) => RunReport;
  } = {},
) {
  const sent: Sent[] = [];
  const opened: SessionOptions[] = [];
  const printed: string[] = [];
  const said: string[] = [];
  const written: ReportDocument[] = [];
  let stopped = 0;
  const answer =
    options.answer ??
    ((strategy: StrategyName, index: number) => aSeedRun(strategy, { jitterMs: index % 3 }));
  const io: CompareIo = {
    async openSession(sessionOptions) {
      opened.push(sessionOptions);
      const wanted = sessionOptions.strategies ?? [];
      const session: Session = {
        apiUrl: "http://api.test/local",
        apiKey: "key",
        strategies: wanted.filter((name) => !options.unavailable?.includes(name)),
        async stop() {
          stopped += 1;
        },
      };
      return session;
    },
    async runStrategy(_url, strategy, body) {
      sent.push({ strategy, scale: body.scale ?? 1, runId: body.runId, mode: "sync" });
      return answer(strategy, sent.length);
    },
    async runStrategyAsync(_url, strategy, body) {
      sent.push({ strategy, scale: body.scale ?? 1, runId: body.runId, mode: "async" });
      return answer(strategy, sent.length);
    },
    print: (line) => printed.push(line),
    say: (line) => said.push(line),
    createProgress: () => plainProgress(() => {}),
    writeReports: (_out, document) => written.push(document),
    nodeVersion: "v22.0.0",
  };
  return { io, sent, opened, printed, said, written, stopped: () => stopped };
}

/** Options as the command line gives them, without the decision map's sweep (slow, not tested here). */
const optionsFor = (...argv: string[]): CompareOptions =>
  parseCompareOptions(["--skip-map", ...argv], {});

describe("compare()", () => {
  it("runs the warm-up rounds at a hundredth of the scale, then each measured round in strategy order", async () => {
    const world = fakeIo();
    const code = await compare(
      optionsFor("--runs", "2", "--strategies", "sequential,fanout"),
      world.io,
    );
    expect(code).toBe(0);
    expect(world.sent.map(({ strategy, scale }) => `${strategy}@${scale}`)).toEqual([
      "sequential@0.01",
      "fanout@0.01",
      "sequential@1",
      "fanout@1",
      "sequential@1",
      "fanout@1",
    ]);
    // Every run id is chosen here, one prefix a session, so a run left going can be fetched.
    const ids = world.sent.map(({ runId }) => runId ?? "");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^compare-\d{8}T\d{6}Z-[0-9a-f]{4}-\w+-\d+$/.test(id))).toBe(true);
  });

  it("writes one report whose runs are the measured ones, warm-ups marked, and prints the verdict", async () => {
    const world = fakeIo();
    await compare(optionsFor("--runs", "3", "--strategies", "sequential,fanout"), world.io);
    expect(world.written).toHaveLength(1);
    const [document] = world.written;
    const measured = document?.runs.filter((run) => !run.warmup) ?? [];
    expect(measured).toHaveLength(6);
    expect(document?.runs.filter((run) => run.warmup)).toHaveLength(2);
    expect(document?.settings).toMatchObject({
      runs: 3,
      warmup: 1,
      strategies: ["sequential", "fanout"],
    });
    expect(document?.environment.description).toContain("the compare CLI on Node v22.0.0");
    expect(world.printed.join("\n")).toMatch(/fanout/);
    expect(world.printed.at(-1)).toBe(
      "reports written: reports/latest.json, reports/latest.md, reports/latest.html",
    );
  });

  it("answers exit code 1 when a measured run failed, and still writes the report", async () => {
    const world = fakeIo({
      answer: (strategy, index) => {
        const run = aSeedRun(strategy);
        return index === 3
          ? { ...run, status: "failed", error: { type: "TaskFailed", message: "boom" } }
          : run;
      },
    });
    const code = await compare(optionsFor("--runs", "2", "--strategies", "sequential"), world.io);
    expect(code).toBe(1);
    expect(world.written).toHaveLength(1);
  });

  it("runs only what the session can run, and never a strategy that cannot run the workflow", async () => {
    const world = fakeIo({ unavailable: ["durable"] });
    const options = optionsFor("--runs", "1", "--strategies", "inline,fanout,durable");
    const withOwnFunction: CompareOptions = {
      ...options,
      workflow: {
        tasks: [{ id: "mine", function: "my-function", deps: [] }, ...options.workflow.tasks],
      },
    };
    await compare(withOwnFunction, world.io);
    // inline cannot call an own function: not applicable, said, and not even asked of the session.
    expect(world.opened[0]?.strategies).toEqual(["fanout", "durable"]);
    expect(world.said).toContain(
      world.said.find((line) => line.startsWith("not applicable: inline:")),
    );
    expect(new Set(world.sent.map(({ strategy }) => strategy))).toEqual(new Set(["fanout"]));
    expect(world.written[0]?.notApplicable?.map((entry) => entry.strategy)).toEqual(["inline"]);
    expect(world.opened[0]?.localStack?.invokableFunctions).toEqual(["my-function"]);
  });

  it("runs asynchronously when asked (--async), polling instead of one long request", async () => {
    const world = fakeIo();
    await compare(optionsFor("--runs", "1", "--strategies", "queue", "--async"), world.io);
    expect(world.sent.map(({ mode }) => mode)).toEqual(["async", "async"]);
  });

  it("shows the benchmark results it is given, and no others", async () => {
    const given = fakeIo();
    const options = optionsFor("--runs", "1", "--strategies", "fanout");
    await compare({ ...options, sweeps: { scale: aScaleSweep() } }, given.io);
    expect(given.written[0]?.scaleSweep).toBeDefined();
    const none = fakeIo();
    await compare(options, none.io);
    expect(none.written[0]?.scaleSweep).toBeUndefined();
    expect(none.written[0]?.faultSweep).toBeUndefined();
  });

  it("stops its session even when a run throws", async () => {
    const world = fakeIo({
      answer: () => {
        throw new Error("the API went away");
      },
    });
    await expect(
      compare(optionsFor("--runs", "1", "--strategies", "fanout"), world.io),
    ).rejects.toThrow("the API went away");
    expect(world.stopped()).toBe(1);
  });
});

describe("forecastOnly()", () => {
  it("opens no session and runs nothing, and writes a report of the forecast alone", () => {
    const world = fakeIo();
    forecastOnly(optionsFor("--forecast-only", "--strategies", "sequential,fanout"), world.io);
    expect(world.opened).toHaveLength(0);
    expect(world.sent).toHaveLength(0);
    expect(world.written[0]?.runs).toEqual([]);
    expect(world.written[0]?.forecast?.strategies.map((entry) => entry.strategy)).toEqual([
      "sequential",
      "fanout",
    ]);
  });
});

describe("--scale-sweep and --fault-sweep", () => {
  it("refuse a file that is missing or is not such a result, naming the flag", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweeps-"));
    const notASweep = join(dir, "other.json");
    writeFileSync(notASweep, JSON.stringify({ points: "none" }));
    expect(() => parseCompareOptions(["--scale-sweep", join(dir, "missing.json")], {})).toThrow(
      expect.objectContaining({ field: "--scale-sweep" }),
    );
    expect(() => parseCompareOptions(["--fault-sweep", notASweep], {})).toThrow(
      expect.objectContaining({ field: expect.stringMatching(/^--fault-sweep/) }),
    );
  });

  it("take a bench:scale result into the options as it was written", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweeps-"));
    const file = join(dir, "scale.json");
    const sweep = aScaleSweep();
    writeFileSync(file, JSON.stringify(sweep));
    expect(parseCompareOptions(["--scale-sweep", file], {}).sweeps.scale).toEqual(sweep);
  });
});
