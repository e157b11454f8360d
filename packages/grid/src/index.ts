export { createBitwiseEngine } from './engines/bitwise-engine.js';
export type { BitwiseEngine, BitwiseEngineOptions } from './engines/bitwise-engine.js';
export {
  builtinPatternNames,
  builtinPatterns,
  getBuiltinPattern,
  isBuiltinPatternName,
} from './formats/builtins.js';
export type { BuiltinPatternName } from './formats/builtins.js';
export { countNeighbors, ruleLogic, stepCell } from './engines/cell-logic.js';
export type { CellContext, CellGetter, CellSetter, LifeLogic } from './engines/cell-logic.js';
export { createCellsEngine } from './engines/per-cell-engine.js';
export {
  EngineClosedError,
  EngineWorkerError,
  PatternSyntaxError,
  RuleSyntaxError,
  UnknownPatternError,
} from './errors.js';
export type { PatternPosition } from './errors.js';
export type { CellsEngineOptions } from './engines/per-cell-engine.js';
export { formatColumns } from './columns.js';
export { detectPatternFormat, parsePattern } from './formats/detect.js';
export type { EngineKind, LifeEngine, StepOptions } from './engines/engine.js';
export { Grid } from './grid.js';
export type { GridOptions, Topology, XY } from './grid.js';
export { formatLife106, parseLife106 } from './formats/life106.js';
export type { ParsePatternOptions, Pattern, PatternFormat } from './formats/pattern.js';
export { placePattern } from './place.js';
export type { PlacePatternOptions } from './place.js';
export { formatCells, parseCells } from './formats/plaintext.js';
export type { FormatCellsOptions } from './formats/plaintext.js';
export { simulate } from './engines/simulate.js';
export type { SimulateOptions } from './engines/simulate.js';
export { randomSoup } from './random-soup.js';
export type { RandomSoupOptions } from './random-soup.js';
export { formatRle, parseRle } from './formats/rle.js';
export type { FormatRleOptions } from './formats/rle.js';
export { CONWAY, formatRule, parseRule, rulesEqual } from './rule.js';
export type { LifeRule } from './rule.js';
export { createUnboundedEngine } from './engines/unbounded-engine.js';
export type {
  UnboundedEngine,
  UnboundedEngineOptions,
  WorldBounds,
} from './engines/unbounded-engine.js';
