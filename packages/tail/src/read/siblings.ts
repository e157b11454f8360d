import { globToRegExp } from './glob.js';

/**
 * Where rotated generations of `NAME` are looked for, beside it: `NAME.1`, `NAME.2.gz`
 * (numbered), `NAME-20261201` (date-stamped)... `{name}` stands for the file's name.
 */
export const DEFAULT_ROTATED = ['{name}.*', '{name}-*'] as const;

/** A rotated sibling's name, classified. */
export interface SiblingName {
  name: string;
  /** The numbers in its suffix (`.3` → [3], `-2026-12-01` → [2026, 12, 1]); empty if none. */
  rank: number[];
  /** Ends with `.gz`. */
  compressed: boolean;
}

/** Matches the rotated siblings of one file name. */
export class SiblingMatcher {
  readonly #name: string;
  readonly #patterns: RegExp[];
  /** What every sibling starts with when every pattern starts with `{name}` (else ''). */
  readonly #prefix: string;

  constructor(name: string, patterns: readonly string[] = DEFAULT_ROTATED) {
    this.#name = name;
    this.#patterns = patterns.map((p) => globToRegExp(p.replaceAll('{name}', escapeGlob(name))));
    // A look lists the whole directory: with 1,000 files followed there, a string test
    // spares the patterns a million names at start.
    this.#prefix = patterns.length > 0 && patterns.every((p) => p.startsWith('{name}')) ? name : '';
  }

  /** The classified sibling, or undefined when `name` is not a rotated sibling. */
  match(name: string): SiblingName | undefined {
    if (name === this.#name || !name.startsWith(this.#prefix)) return undefined;
    if (!this.#patterns.some((re) => re.test(name))) return undefined;
    const compressed = name.endsWith('.gz');
    const suffix = name.slice(this.#name.length, compressed ? -3 : undefined);
    const rank = (suffix.match(/\d+/g) ?? []).map(Number);
    return { name, rank, compressed };
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Compares two ranks number by number (a shorter rank that is a prefix comes first). */
export function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
