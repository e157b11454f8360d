import { UnknownPatternError } from '../errors.js';
import type { Pattern } from './pattern.js';
import { parseRle } from './rle-reader.js';

/** Names of the built-in patterns. */
export type BuiltinPatternName =
  | 'glider'
  | 'blinker'
  | 'gosper-gun'
  | 'r-pentomino'
  | 'acorn'
  | 'seed-demo';

const SOURCES: Record<BuiltinPatternName, string> = {
  glider: '#N Glider\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!',
  blinker: '#N Blinker\nx = 3, y = 1, rule = B3/S23\n3o!',
  'gosper-gun':
    '#N Gosper glider gun\nx = 36, y = 9, rule = B3/S23\n' +
    '24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4bobo$' +
    '10bo5bo7bo$11bo3bo$12b2o!',
  'r-pentomino': '#N R-pentomino\nx = 3, y = 3, rule = B3/S23\nb2o$2o$bo!',
  acorn: '#N Acorn\nx = 7, y = 3, rule = B3/S23\nbo$3bo$2o2b3o!',
  'seed-demo':
    "#N Seed demo\n#C The seed's 5x9 example: a glider in the top-left corner of a 5x9 torus.\n" +
    'x = 9, y = 5, rule = B3/S23\n3bo$4bo$2b3o!',
};

/** Names of the built-in patterns, in a stable order. */
export const builtinPatternNames: readonly BuiltinPatternName[] = Object.freeze(
  Object.keys(SOURCES) as BuiltinPatternName[],
);

/**
 * The built-in patterns. `seed-demo` is the seed's whole 5×9 world (live cells at
 * `(y, x)` = (0,3), (1,4), (2,2), (2,3), (2,4)).
 *
 * @example
 * builtinPatterns['gosper-gun'].width; // 36
 */
export const builtinPatterns: Readonly<Record<BuiltinPatternName, Pattern>> = Object.freeze(
  Object.fromEntries(
    builtinPatternNames.map((name) => [
      name,
      Object.freeze(parseRle(SOURCES[name], { fileName: name })),
    ]),
  ) as Record<BuiltinPatternName, Pattern>,
);

/** Whether `name` is a built-in pattern name. */
export function isBuiltinPatternName(name: string): name is BuiltinPatternName {
  return Object.hasOwn(SOURCES, name);
}

/**
 * A built-in pattern by name.
 *
 * @example
 * getBuiltinPattern('glider').liveCells; // [[1, 0], [2, 1], [0, 2], [1, 2], [2, 2]]
 * @throws {UnknownPatternError} listing the known names.
 */
export function getBuiltinPattern(name: string): Pattern {
  if (!isBuiltinPatternName(name)) throw new UnknownPatternError(name, builtinPatternNames);
  return builtinPatterns[name];
}
