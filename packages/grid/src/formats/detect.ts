import { parseLife106 } from './life106.js';
import { macrocellToPattern, parseMacrocell } from './macrocell.js';
import type { ParsePatternOptions, Pattern, PatternFormat } from './pattern.js';
import { parsePlaintext } from './plaintext.js';
import { parseRle } from './rle-reader.js';

/**
 * Which format a pattern file is in, judged by its content: `[M2]` → macrocell;
 * `#Life 1.06` → Life 1.06; a
 * leading `!` line, or rows made only of `.`, `O`, `o`, `*`, `-` → plaintext; otherwise RLE.
 */
export function detectPatternFormat(text: string): PatternFormat {
  const lines = text.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  if (first.startsWith('[M2]')) return 'macrocell';
  if (first.startsWith('#Life 1.06')) return 'life106';
  if (first.startsWith('!')) return 'plaintext';
  if (first.startsWith('#') || /^\s*x\s*=/.test(first)) return 'rle';
  if (lines.length > 0 && lines.every((line) => /^[.Oo*-]+\s*$/.test(line))) return 'plaintext';
  return 'rle';
}

/**
 * Read a pattern file in any supported format, detected by content (see
 * `detectPatternFormat`).
 *
 * @example
 * const pattern = parsePattern(await readFile('gun.rle', 'utf8'), { fileName: 'gun.rle' });
 * @throws {PatternSyntaxError} naming the file, line and column of the problem.
 */
export function parsePattern(text: string, options: ParsePatternOptions = {}): Pattern {
  switch (detectPatternFormat(text)) {
    case 'life106':
      return parseLife106(text, options);
    case 'plaintext':
      return parsePlaintext(text, options);
    case 'macrocell':
      return macrocellToPattern(parseMacrocell(text, options), options);
    default:
      return parseRle(text, options);
  }
}
