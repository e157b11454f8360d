// The browser-safe entry of @fanout/grid: nothing reachable from here imports a Node
// built-in, in code or in types (the workers engine is in ./engines/workers, entry
// `@fanout/grid/workers`).
export { formatColumns } from './columns.js';
export type { FormatColumnsOptions } from './columns.js';
export { createBitwiseEngine } from './engines/bitwise-engine.js';
export type { BitwiseEngine, BitwiseEngineOptions } from './engines/bitwise-engine.js';
export { countNeighbors, ruleLogic, stepCell } from './engines/cell-logic.js';
export type { CellContext, CellGetter, CellSetter, LifeLogic } from './engines/cell-logic.js';
export { createEngine } from './engines/create-engine.js';
export type { EngineByKind, EngineOptions } from './engines/create-engine.js';
export { delayedLogic } from './engines/delayed-logic.js';
export type { DelayedLogicOptions } from './engines/delayed-logic.js';
export type { EngineKind, LifeEngine, StepOptions, StepProgress } from './engines/engine.js';
export { createPerCellEngine } from './engines/per-cell-engine.js';
export type { PerCellEngineOptions } from './engines/per-cell-engine.js';
export { simulate } from './engines/simulate.js';
export type { SimulateOptions } from './engines/simulate.js';
export { createUnboundedEngine } from './engines/unbounded-engine.js';
export type {
  UnboundedEngine,
  UnboundedEngineOptions,
  WorldBounds,
} from './engines/unbounded-engine.js';
export type { WorkersEngine, WorkersEngineOptions } from './engines/workers/types.js';
export {
  EngineClosedError,
  EngineWorkerError,
  GenerationCountError,
  HashLifeMemoryError,
  PatternSyntaxError,
  PatternTooLargeError,
  PatternUnsupportedError,
  RuleSyntaxError,
  UnknownPatternError,
  WorldTooLargeError,
} from './errors.js';
export type { PatternPosition } from './errors.js';
export { formatBoundedGrid, readBoundedGrid } from './formats/bounded-grid.js';
export type { BoundedGrid, BoundedGridProblem } from './formats/bounded-grid.js';
export {
  builtinPatternNames,
  builtinPatterns,
  getBuiltinPattern,
  isBuiltinPatternName,
} from './formats/builtins.js';
export type { BuiltinPatternName } from './formats/builtins.js';
export { detectPatternFormat, parsePattern } from './formats/detect.js';
export { formatLife106, parseLife106 } from './formats/life106.js';
export { isPattern } from './formats/pattern.js';
export type { ParsePatternOptions, Pattern, PatternFormat } from './formats/pattern.js';
export { formatPlaintext, parsePlaintext } from './formats/plaintext.js';
export type { FormatPlaintextOptions } from './formats/plaintext.js';
export { parseRle } from './formats/rle-reader.js';
export { formatRle, formatRleLines } from './formats/rle-writer.js';
export type { FormatRleOptions } from './formats/rle-writer.js';
export { Grid } from './grid.js';
export type { GridOptions, Topology, XY } from './grid.js';
export {
  checkWorldSize,
  DEFAULT_MAX_LIVE_CELLS,
  MAX_COORDINATE,
  MAX_GRID_CELLS,
  worldLimit,
} from './limits.js';
export { placePattern } from './place.js';
export type { PlacePatternOptions } from './place.js';
export { randomGrid, randomSoup } from './random-soup.js';
export type { RandomGridOptions, RandomSoupOptions } from './random-soup.js';
export { CONWAY, formatRule, parseRule, rulesEqual } from './rule.js';
export type { LifeRule } from './rule.js';
export { createHashLifeEngine, parseGenerations } from './engines/hashlife/index.js';
export type {
  EngineSource,
  HashLifeBounds,
  HashLifeExactBounds,
  HashLifeEngine,
  HashLifeEngineOptions,
  HashLifeStats,
} from './engines/hashlife/index.js';
export {
  formatMacrocell,
  MACROCELL_HEADER,
  macrocellToPattern,
  parseMacrocell,
} from './formats/macrocell.js';
export type { Macrocell, MacrocellNodes, ParseMacrocellOptions } from './formats/macrocell.js';
