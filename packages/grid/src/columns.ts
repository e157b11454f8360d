import type { Grid } from './grid.js';

/** Options of `formatColumns`. */
export interface FormatColumnsOptions {
  /** Header of each column, in order (default: its index, 0, 1, 2, …). */
  readonly labels?: readonly (string | number | bigint)[];
}

/**
 * Print generations side by side in the seed's `ColumnPrinter` layout: a header row in
 * which each cell is `floor(w/2)` spaces, the generation index and `floor(w/2)` spaces
 * (`w` = width of the column's first row), then each generation's rows; columns joined by
 * `' | '`, lines by `'\n'`, no trailing newline. A column with fewer rows is padded with
 * spaces. `options.labels` replaces the indexes in the header (say, generation numbers
 * when every column is several generations apart).
 *
 * @example
 * formatColumns([grid0, grid1]);
 * // '    0     |     1    \n---*----- | ---------\n...'
 * formatColumns([grid0, grid4], { labels: [0, 4] });
 */
export function formatColumns(
  generations: readonly (Grid | string)[],
  options: FormatColumnsOptions = {},
): string {
  if (generations.length === 0) return '';
  const columns = generations.map((g) => String(g).split('\n'));
  const rowCount = Math.max(...columns.map((rows) => rows.length));
  const lines: string[] = [];
  for (let j = 0; j <= rowCount; j++) {
    const cells = columns.map((rows, index) => {
      const first = rows[0] ?? '';
      if (j === 0) {
        const padding = ' '.repeat(Math.floor(first.length / 2));
        return padding + String(options.labels?.[index] ?? index) + padding;
      }
      return rows[j - 1] ?? ' '.repeat(first.length);
    });
    lines.push(cells.join(' | '));
  }
  return lines.join('\n');
}
