import {
  type BuiltinPatternName,
  randomSoup,
  PatternSyntaxError,
  builtinPatternNames,
  getBuiltinPattern,
  parsePattern,
} from '@fanout/grid';
import type { NamedPattern } from './world.js';

/** The picker's id for a seeded random soup filling the whole world. */
export const RANDOM_SOUP = 'random';
const SOUP_DENSITY = 0.3;

const LABELS: Partial<Record<BuiltinPatternName, string>> = {
  glider: 'Glider',
  blinker: 'Blinker',
  'gosper-gun': 'Gosper glider gun',
  'r-pentomino': 'R-pentomino',
  acorn: 'Acorn',
  'seed-demo': "The seed's 5×9 example",
};

/** A pattern the user gave that could not be read; the message names line and column. */
export class PatternLoadError extends Error {
  override readonly name = 'PatternLoadError';
}

/** The picker's entries: every built-in pattern, then the random soup. */
export function builtinChoices(): Array<{ id: string; label: string }> {
  return [
    ...builtinPatternNames.map((name) => ({ id: name, label: LABELS[name] ?? name })),
    { id: RANDOM_SOUP, label: `Random soup (${SOUP_DENSITY * 100}%)` },
  ];
}

/** A built-in pattern, or a random soup of `size × size` cells, by picker id. */
export function loadBuiltin(id: string, size: number, seed = randomSeed()): NamedPattern {
  if (id === RANDOM_SOUP) return seededSoup(size, SOUP_DENSITY, seed);
  const pattern = getBuiltinPattern(id);
  return { ...pattern, label: LABELS[id as BuiltinPatternName] ?? id };
}

/**
 * Reads an uploaded or pasted pattern (RLE, plaintext `.cells` or Life 1.06, detected by
 * content). A syntax error becomes a {@link PatternLoadError} saying where, e.g.
 * `glider.rle, line 3, column 4: …`.
 */
export function parseUserPattern(text: string, source: string): NamedPattern {
  let pattern: ReturnType<typeof parsePattern>;
  try {
    pattern = parsePattern(text, { fileName: source });
  } catch (error) {
    if (error instanceof PatternSyntaxError) {
      throw new PatternLoadError(
        `${source}, line ${error.line}, column ${error.column}: ${error.problem}`,
        { cause: error },
      );
    }
    if (error instanceof Error) {
      throw new PatternLoadError(`${source}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (pattern.liveCells.length === 0) {
    throw new PatternLoadError(`${source}: the pattern has no live cells`);
  }
  return { ...pattern, label: pattern.name ?? source };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/** A deterministic soup from grid's `randomSoup`: the same seed gives the same cells as the CLI. */
function seededSoup(size: number, density: number, seed: number): NamedPattern {
  return {
    ...randomSoup({ height: size, width: size, density, seed }),
    label: `random soup, seed ${seed}`,
  };
}
