/**
 * A GitHub Markdown table: a header, an alignment row (left unless a column is marked right),
 * and one line per row, with any `|` inside a cell escaped.
 *
 * @example
 * markdownTable(["task", "ms"], [["query", "441"]], { right: [1] }).join("\n");
 * // | task | ms |\n| :-- | --: |\n| query | 441 |
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { right = [] }: { right?: readonly number[] } = {},
): string[] {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [
    line(header),
    `| ${header.map((_, index) => (right.includes(index) ? "--:" : ":--")).join(" | ")} |`,
    ...rows.map(line),
  ];
}
