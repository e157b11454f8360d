/**
 * Turns `fanout life` flags into a starting world: a pattern (built-in name or file, read by
 * the grid package) or a seeded random soup, placed on a grid of the requested size.
 */
import { readFile } from 'node:fs/promises';
import {
  builtinPatternNames,
  getBuiltinPattern,
  type LifeRule,
  type Pattern,
  parsePattern,
  parseRule,
  type XY,
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

/** mulberry32: a tiny seeded generator so `--random D --seed N` is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSoup(size: Size, density: number, seed: number): Pattern {
  const next = seeded(seed);
  const cells: XY[] = [];
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      if (next() < density) cells.push([x, y]);
    }
  }
  return { width: size.width, height: size.height, cells, comments: [] };
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
      pattern: randomSoup(size, flags.random, flags.seed ?? 1),
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
