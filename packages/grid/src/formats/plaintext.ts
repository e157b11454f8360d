import { PatternSyntaxError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import { makePattern, type ParsePatternOptions, type Pattern, toPattern } from './pattern.js';

/**
 * Read a plaintext `.cells` file: `!` lines are comments (`!Name: x` gives the name), then
 * one line per row with `.` dead and `O` alive. Read leniently: `o` and `*` are alive, `-`
 * is dead, trailing whitespace and blank lines before or after the rows are ignored, short
 * rows are padded. Plaintext carries no rule.
 *
 * @example
 * parsePlaintext('!Name: Blinker\nOOO\n').width; // 3
 * @throws {PatternSyntaxError} with the line and column of an unexpected character.
 */
export function parsePlaintext(text: string, options: ParsePatternOptions = {}): Pattern {
  const lines = text.split(/\r?\n|\r/);
  let name: string | undefined;
  const comments: string[] = [];
  const cells: XY[] = [];
  let y = 0;
  let width = 0;
  let height = 0;
  let inBody = false;
  lines.forEach((raw, li) => {
    if (raw.startsWith('!') && !inBody) {
      const body = raw.slice(1);
      const named = /^Name:\s*(.*)$/.exec(body);
      if (named) name = (named[1] as string).trim();
      else comments.push(body.trim());
      return;
    }
    const line = raw.replace(/\s+$/, '');
    // Blank lines before the first row are layout, not empty rows.
    if (!inBody && line === '') return;
    inBody = true;
    for (let x = 0; x < line.length; x++) {
      const ch = line[x];
      if (ch === 'O' || ch === 'o' || ch === '*') cells.push([x, y]);
      else if (ch !== '.' && ch !== '-') {
        throw new PatternSyntaxError(
          'plaintext',
          `unexpected ${JSON.stringify(ch)} (expected . or O)`,
          { line: li + 1, column: x + 1, fileName: options.fileName },
        );
      }
    }
    if (line.length > width) width = line.length;
    y++;
    if (line.length > 0) height = y;
  });
  return makePattern(cells, { width, height }, { name, comments });
}

/** Options of `formatPlaintext`. */
export interface FormatPlaintextOptions {
  /** Written as `!Name: ...`. Default: the pattern's name. */
  readonly name?: string;
  /** Written as `!` lines. Default: the pattern's comments. */
  readonly comments?: readonly string[];
}

/**
 * Write a plaintext `.cells` file: `!Name:` and comment lines, then every row of the box in
 * full (`.` dead, `O` alive), each ending in a newline.
 *
 * @example
 * formatPlaintext(getBuiltinPattern('blinker')); // '!Name: Blinker\nOOO\n'
 */
export function formatPlaintext(
  source: Pattern | Grid,
  options: FormatPlaintextOptions = {},
): string {
  const pattern = toPattern(source);
  const name = options.name ?? pattern.name;
  const out: string[] = [];
  if (name !== undefined && name !== '') out.push(`!Name: ${name}`);
  for (const comment of options.comments ?? pattern.comments)
    out.push(`!${comment === '' ? '' : ` ${comment}`}`);
  const rows = Array.from({ length: pattern.height }, () =>
    new Array<string>(pattern.width).fill('.'),
  );
  for (const [x, y] of pattern.liveCells) (rows[y] as string[])[x] = 'O';
  for (const row of rows) out.push(row.join(''));
  return `${out.join('\n')}\n`;
}
