/**
 * Turns `fanout life` flags into a starting world: a pattern (built-in name or file, read by
 * the grid package) or the grid package's seeded random soup, with the size and rule.
 */
import { readFile } from 'node:fs/promises';
import {
  builtinPatternNames,
  getBuiltinPattern,
  type LifeRule,
  type Pattern,
  parsePattern,
  parseRule,
  randomSoup,
} from '@fanout/grid';
import { UsageError } from '../errors.js';
import type { Size } from '../options.js';

/** The default world size when neither --size nor the seed-demo box applies. */
const DEFAULT_SIZE: Size = { height: 64, width: 64 };

/** Where the starting cells come from. */
export interface WorldSource {
  pattern: Pattern;
  /** The size to place it in (torus/plane), or the window shown for unbounded. */
  size: Size;
  rule: LifeRule;
}

/** Flags that choose the world. */
export interface WorldFlags {
  pattern?: string;
  random?: number;
  seed?: number;
  size?: Size;
  rule: string;
  /** Whether --rule was given on the command line (a pattern's own rule applies otherwise). */
  ruleGiven: boolean;
}

async function loadPattern(value: string): Promise<Pattern> {
  if ((builtinPatternNames as readonly string[]).includes(value)) {
    return getBuiltinPattern(value);
  }
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(
        `--pattern '${value}' is neither a file nor a built-in pattern (${builtinPatternNames.join(', ')})`,
        { cause: error },
      );
    }
    throw error;
  }
  return parsePattern(text, { fileName: value });
}

/** Resolves the starting pattern, the world size and the rule from the flags. */
export async function resolveWorld(flags: WorldFlags): Promise<WorldSource> {
  if (flags.random !== undefined) {
    const size = flags.size ?? DEFAULT_SIZE;
    return {
      pattern: randomSoup({ ...size, density: flags.random, seed: flags.seed ?? 1 }),
      size,
      rule: parseRule(flags.rule),
    };
  }
  const name = flags.pattern ?? 'seed-demo';
  const pattern = await loadPattern(name);
  const size =
    flags.size ??
    (name === 'seed-demo'
      ? { height: pattern.height, width: pattern.width }
      : {
          // 64x64, grown when a pattern file is larger than that.
          height: Math.max(DEFAULT_SIZE.height, pattern.height),
          width: Math.max(DEFAULT_SIZE.width, pattern.width),
        });
  if (pattern.height > size.height || pattern.width > size.width) {
    throw new UsageError(
      `--size ${size.height}x${size.width} is smaller than the pattern (${pattern.height}x${pattern.width})`,
    );
  }
  const rule = !flags.ruleGiven && pattern.rule ? pattern.rule : parseRule(flags.rule);
  return { pattern, size, rule };
}
