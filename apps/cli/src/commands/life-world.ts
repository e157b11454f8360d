/**
 * Turns `fanout life` flags into a starting world: a pattern (built-in name or file, read by
 * the grid package) or the grid package's seeded random soup, with its size, topology and
 * rule. Sizes are checked against what the chosen engine holds before anything is built;
 * an oversized world fails naming where its size came from.
 */
import { readFile } from 'node:fs/promises';
import {
  builtinPatternNames,
  checkWorldSize,
  type EngineKind,
  formatBoundedGrid,
  getBuiltinPattern,
  type Grid,
  isBuiltinPatternName,
  type LifeRule,
  type Macrocell,
  macrocellToPattern,
  type Pattern,
  parseMacrocell,
  parsePattern,
  parseRule,
  randomGrid,
  type Topology,
  WorldTooLargeError,
} from '@fanout/grid';
import { UsageError } from '../errors.js';
import type { Size } from '../options.js';
import { engineName } from './life-engine.js';

/** The default world size when neither --size, the file's bounded grid nor the seed-demo box applies. */
const DEFAULT_SIZE: Size = { height: 64, width: 64 };

/** Where the starting cells come from, ready for `createEngine`. */
export interface WorldSource {
  /**
   * A random soup's grid, a pattern that `createEngine` places, or a macrocell file's tree
   * (run as it is by `hashlife`, listed as a pattern for the other engines).
   */
  world: Grid | Pattern | Macrocell;
  /** The bounded world's size, or the window shown of an unbounded world. */
  size: Size;
  topology: Topology | 'unbounded';
  /** Where a pattern goes in a bounded world: Golly's place when the file gave the grid. */
  at: 'center' | 'golly';
  rule: LifeRule;
  /** Where `size` came from, for messages (`--size 64x64`, `glider.rle`, …). */
  sizeFrom: string;
}

/** Flags that choose the world. */
export interface WorldFlags {
  pattern?: string;
  random?: number;
  seed?: number;
  size?: Size;
  topology: Topology | 'unbounded';
  /** Whether --topology was given on the command line (a file's bounded grid applies otherwise). */
  topologyGiven: boolean;
  rule: string;
  /** Whether --rule was given on the command line (a pattern's own rule applies otherwise). */
  ruleGiven: boolean;
  /** Whether --engine was given (a macrocell file runs unbounded otherwise). */
  engineGiven: boolean;
}

/** Whether a world is a macrocell file's tree. */
export function isMacrocell(world: Grid | Pattern | Macrocell): world is Macrocell {
  return 'nodes' in world && 'header' in world;
}

async function loadPattern(value: string): Promise<Pattern | Macrocell> {
  if (isBuiltinPatternName(value)) return getBuiltinPattern(value);
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
    if (code === 'EISDIR') {
      throw new UsageError(`--pattern '${value}' is a directory, not a pattern file`, {
        cause: error,
      });
    }
    throw error;
  }
  // HashLife's own format is kept as a tree: it may hold far more cells than a list could.
  if (text.trimStart().startsWith('[M2]')) return parseMacrocell(text, { fileName: value });
  return parsePattern(text, { fileName: value });
}

/** What a size is checked for: a world on an engine, or the window of an unbounded world shown. */
export type SizeUse = { readonly engine: EngineKind; readonly random: boolean } | 'window';

/** `checkWorldSize`, failing with a one-line message naming where the size came from. */
export function checkSize(size: Size, use: SizeUse, sizeFrom: string): void {
  try {
    checkWorldSize(size, use === 'window' ? undefined : use.engine);
  } catch (error) {
    if (!(error instanceof WorldTooLargeError)) throw error;
    const cells = `${size.height}x${size.width}`;
    const most = `at most ${error.maxCells} cells`;
    const message =
      use === 'window'
        ? `a ${cells} window of the unbounded world is more than can be shown (${most}); give a smaller --size or --print none`
        : `a ${cells} world is more than --engine ${engineName(use.engine)} holds (${most}); give a smaller --size${use.random ? '' : ' or --topology unbounded'}`;
    throw new UsageError(`${sizeFrom}: ${message}`, { cause: error });
  }
}

/**
 * Resolves the starting world, its size, topology and rule from the flags, for an engine
 * of `kind` (`unbounded` for `--topology unbounded`).
 */
export async function resolveWorld(flags: WorldFlags, kind: EngineKind): Promise<WorldSource> {
  const topology = flags.topology;
  if (flags.random !== undefined) {
    const size = flags.size ?? DEFAULT_SIZE;
    const sizeFrom =
      flags.size === undefined ? 'the default 64x64 world' : `--size ${size.height}x${size.width}`;
    if (topology === 'unbounded') throw new UsageError('--random needs a bounded world');
    // Before the soup is drawn: a world the engine cannot hold is never allocated.
    checkSize(size, { engine: kind, random: true }, sizeFrom);
    const world = randomGrid({ ...size, density: flags.random, seed: flags.seed ?? 1, topology });
    return { world, size, topology, at: 'center', rule: parseRule(flags.rule), sizeFrom };
  }
  const name = flags.pattern ?? 'seed-demo';
  const loaded = await loadPattern(name);
  if (isMacrocell(loaded)) {
    // A macrocell file is an unbounded world unless the flags ask for another.
    if (topology === 'unbounded' || (!flags.topologyGiven && !flags.engineGiven)) {
      const size = flags.size ?? DEFAULT_SIZE;
      const sizeFrom =
        flags.size === undefined
          ? 'the default 64x64 window'
          : `--size ${size.height}x${size.width}`;
      const rule = !flags.ruleGiven && loaded.rule ? loaded.rule : parseRule(flags.rule);
      return { world: loaded, size, topology: 'unbounded', at: 'center', rule, sizeFrom };
    }
  }
  const pattern = isMacrocell(loaded) ? macrocellToPattern(loaded, { fileName: name }) : loaded;
  const rule = !flags.ruleGiven && pattern.rule ? pattern.rule : parseRule(flags.rule);
  const grid = pattern.boundedGrid;
  let size: Size;
  let sizeFrom: string;
  let at: WorldSource['at'] = 'center';
  let worldTopology = topology;
  if (flags.size !== undefined) {
    size = flags.size;
    sizeFrom = `--size ${size.height}x${size.width}`;
  } else if (grid !== undefined && topology !== 'unbounded') {
    // Golly's bounded grid is the world, unless the flags say otherwise.
    size = { height: grid.height, width: grid.width };
    sizeFrom = `${name} (its bounded grid ${formatBoundedGrid(grid)})`;
    at = 'golly';
    if (!flags.topologyGiven) worldTopology = grid.topology;
  } else if (name === 'seed-demo') {
    size = { height: pattern.height, width: pattern.width };
    sizeFrom = name;
  } else {
    // 64x64, grown when a pattern file is larger than that.
    size = {
      height: Math.max(DEFAULT_SIZE.height, pattern.height),
      width: Math.max(DEFAULT_SIZE.width, pattern.width),
    };
    sizeFrom =
      size.height === DEFAULT_SIZE.height && size.width === DEFAULT_SIZE.width
        ? 'the default 64x64 world'
        : `${name} (a pattern ${pattern.height} cells high and ${pattern.width} wide)`;
  }
  if (worldTopology !== 'unbounded') {
    if (pattern.height > size.height || pattern.width > size.width) {
      throw new UsageError(
        `${sizeFrom} is smaller than the pattern (${pattern.height}x${pattern.width})`,
      );
    }
    checkSize(size, { engine: kind, random: false }, sizeFrom);
  }
  return { world: pattern, size, topology: worldTopology, at, rule, sizeFrom };
}
