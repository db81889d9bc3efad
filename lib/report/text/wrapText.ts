/** The terminal's first screen: every line but the Gantt charts' fits this many columns. */
export const TERMINAL_COLUMNS = 100;

/** A unit after a figure stays with it: "75 %" and "402 ms" never break across lines. */
function words(text: string): string[] {
  const result: string[] = [];
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    const previous = result[result.length - 1];
    if (previous !== undefined && /\d$/.test(previous) && /^(%|ms|s)(\W|$)/.test(word)) {
      result[result.length - 1] = `${previous} ${word}`;
    } else result.push(word);
  }
  return result;
}

/**
 * Word-wraps `text` to `width` columns: the first line starts with `first`, the next ones with
 * `rest` (a bullet's hanging indent). A word longer than a line (a URL) gets a line of its own.
 *
 * @example
 * wrapText("inline is fastest: median wall 402 ms ...", { first: "- ", rest: "  " });
 */
export function wrapText(
  text: string,
  {
    width = TERMINAL_COLUMNS,
    first = "",
    rest = "",
  }: { width?: number; first?: string; rest?: string } = {},
): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words(text)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line = empty ? `${line}${word}` : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Sentences as wrapped bullets: "- " on the first line of each, two spaces on the rest. */
export function wrapBullets(sentences: readonly string[], width = TERMINAL_COLUMNS): string[] {
  return sentences.flatMap((sentence) => wrapText(sentence, { width, first: "- ", rest: "  " }));
}
