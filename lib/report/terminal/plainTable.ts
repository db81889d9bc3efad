/**
 * Columns aligned with two spaces between them, for a terminal: the first column left-aligned,
 * the others right-aligned (figures), each as wide as its widest cell.
 *
 * @example
 * plainTable(["task", "ms"], [["query", "412"], ["processData", "6,100"]]);
 * // ["task            ms", "query          412", "processData  6,100"]
 */
export function plainTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, column) =>
        column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [line(header), ...rows.map(line)];
}
