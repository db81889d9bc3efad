import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionMap } from "../../../lib/forecast/decisionMap.js";
import { renderDecisionMapSection } from "../../../lib/report/html/htmlDecisionMap.js";
import { colourOf } from "../../../lib/report/html/svg.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import { aDecisionMap } from "../../helpers/decisionMap.js";

/** The map with each point's fastest and cheapest strategy rotated, so that the cells differ. */
function withVariedWinners(map: DecisionMap): DecisionMap {
  map.points.forEach((point, index) => {
    point.fastest = STRATEGIES[index % STRATEGIES.length];
    point.cheapest = STRATEGIES[(index + 1) % STRATEGIES.length];
  });
  return map;
}

const cellsOf = (html: string): string[] =>
  [...html.matchAll(/<g class="map-point"[^>]*>.*?<\/g>/gs)].map((match) => match[0]);

describe("renderDecisionMapSection", () => {
  // The sweep takes seconds: run it once, before whichever test the shuffle puts first.
  beforeAll(() => {
    aDecisionMap();
  }, 60_000);

  it("draws one cell per point of the map", () => {
    // Prepare
    const map = aDecisionMap();

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(map.points).toHaveLength(9);
    expect(html.match(/<rect class="cell"/g)).toHaveLength(9);
  });

  it("fills each cell with its fastest strategy's colour and marks its cheapest", () => {
    // Prepare
    const map = withVariedWinners(aDecisionMap());

    // Act
    const cells = cellsOf(renderDecisionMapSection(map));

    // Assess
    expect(cells).toHaveLength(map.points.length);
    map.points.forEach((point, index) => {
      const cell = cells[index] ?? "";
      expect(cell).toContain(`data-fastest="${point.fastest}"`);
      expect(cell).toMatch(
        new RegExp(`<rect class="cell"[^>]*fill="${colourOf(point.fastest ?? "inline")}"`),
      );
      expect(cell).toMatch(
        new RegExp(`<circle class="cheapest"[^>]*fill="${colourOf(point.cheapest ?? "inline")}"`),
      );
    });
  });

  it("greys a point where no strategy runs", () => {
    // Prepare
    const map = aDecisionMap();
    const [first] = map.points;
    if (!first) throw new Error("an empty map");
    delete first.fastest;
    delete first.cheapest;

    // Act
    const [cell] = cellsOf(renderDecisionMapSection(map));

    // Assess
    expect(cell).toMatch(/<rect class="cell"[^>]*fill="#c9cdd4"/);
    expect(cell).not.toContain('class="cheapest"');
  });

  it("lists the regions where a limit stops a strategy", () => {
    // Prepare
    const map = aDecisionMap();

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(map.regions.length).toBeGreaterThan(0);
    expect(html.match(/<li>/g)).toHaveLength(map.regions.length);
    expect(html).toContain("stepfunctions stops at 3 of 9 points");
  });

  it("escapes every text: a limit, a region, the parameter set's name", () => {
    // Prepare
    const map = aDecisionMap();
    const cell = map.points[0]?.cells[0];
    if (!cell) throw new Error("an empty map");
    cell.limit = "<script>alert('limit')</script>";
    delete cell.wallMs;
    map.regions.push("<script>alert('region')</script>");
    map.parameterSet.name = "<b>aws</b>";

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>aws</b>");
    expect(html).toContain("&lt;script&gt;alert(&#39;limit&#39;)&lt;/script&gt;");
    expect(html).toContain("&lt;script&gt;alert(&#39;region&#39;)&lt;/script&gt;");
  });

  it("lists every strategy's wall and cost, and the limit that stops one, in each cell's tooltip", () => {
    // Prepare
    const map = aDecisionMap();
    const index = map.points.findIndex((point) => point.taskMs === 1000 && point.width === 10_000);

    // Act
    const title = cellsOf(renderDecisionMapSection(map))[index]?.match(
      /<title>(.*?)<\/title>/s,
    )?.[1];

    // Assess
    expect(title).toContain("1 s tasks, 10,000 wide");
    expect(title).toContain("sequential: stopped by Lambda&#39;s 15-minute invocation");
    expect(title).toMatch(/fanout: wall 20 s, \$0\.\d+ per run/);
    expect(title).toContain("queue: wall 113 s");
    expect(title).toContain("past the synchronous API&#39;s 29 s");
  });

  it("draws the account's concurrency line where the widths pass it", () => {
    // Prepare
    const map = aDecisionMap();

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(map.concurrencyWidth).toBeLessThan(10_000);
    expect(html).toContain('<g class="concurrency">');
    expect(html).toContain("account concurrency: tasks run in waves beyond");
  });

  it("draws no concurrency line when no width passes it", () => {
    // Prepare
    const map = aDecisionMap();
    map.concurrencyWidth = 10_000;

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(html).not.toContain('<g class="concurrency">');
  });

  it("outlines the points whose fastest run is past the synchronous API's 29 s", () => {
    // Prepare
    const map = aDecisionMap();
    const past = map.points.filter(
      (point) =>
        point.cells.find((cell) => cell.strategy === point.fastest)?.pastSynchronousLimit === true,
    );

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(past.length).toBeGreaterThan(0);
    expect(html.match(/<rect class="past-sync"/g)).toHaveLength(past.length);
  });

  it("labels the figures as modelled from the named parameter set, not measured", () => {
    // Prepare
    const map = aDecisionMap();

    // Act
    const html = renderDecisionMapSection(map);

    // Assess
    expect(html).toContain("MODELLED, not measured");
    expect(html).toContain(
      `parameter set <code>${map.parameterSet.name}</code> of ${map.parameterSet.date}`,
    );
    expect(html).toMatch(/sweep of 9 points × 6 strategies took \d+\.\d s on this machine/);
  });
});
