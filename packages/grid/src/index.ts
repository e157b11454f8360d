export { createBitwiseEngine } from './bitwise-engine.js';
export type { BitwiseEngine, BitwiseEngineOptions } from './bitwise-engine.js';
export {
  builtinPatternNames,
  builtinPatterns,
  getBuiltinPattern,
  isBuiltinPatternName,
} from './builtins.js';
export type { BuiltinPatternName } from './builtins.js';
export { countNeighbors, ruleLogic, stepCell } from './cells.js';
export type { CellContext, CellGetter, CellSetter, LifeLogic } from './cells.js';
export { createCellsEngine } from './cells-engine.js';
export {
  EngineClosedError,
  EngineWorkerError,
  PatternSyntaxError,
  RuleSyntaxError,
  UnknownPatternError,
} from './errors.js';
export type { PatternPosition } from './errors.js';
export type { CellsEngineOptions } from './cells-engine.js';
export { formatColumns } from './columns.js';
export { detectPatternFormat, parsePattern } from './detect.js';
export type { EngineKind, LifeEngine, StepOptions } from './engine.js';
export { Grid } from './grid.js';
export type { GridOptions, Topology, XY } from './grid.js';
export { formatLife106, parseLife106 } from './life106.js';
export type { ParsePatternOptions, Pattern, PatternFormat } from './pattern.js';
export { placePattern } from './place.js';
export type { PlacePatternOptions } from './place.js';
export { formatCells, parseCells } from './plaintext.js';
export type { FormatCellsOptions } from './plaintext.js';
export { simulate } from './simulate.js';
export type { SimulateOptions } from './simulate.js';
export { randomSoup } from './random-soup.js';
export type { RandomSoupOptions } from './random-soup.js';
export { formatRle, parseRle } from './rle.js';
export type { FormatRleOptions } from './rle.js';
export { CONWAY, formatRule, parseRule, rulesEqual } from './rule.js';
export type { LifeRule } from './rule.js';
export { createUnboundedEngine } from './unbounded-engine.js';
export type {
  UnboundedEngine,
  UnboundedEngineOptions,
  WorldBounds,
} from './unbounded-engine.js';
export {
  createHashLifeEngine,
  GenerationCountError,
  HashLifeMemoryError,
  parseGenerations,
} from './engines/hashlife/index.js';
export type {
  EngineSource,
  HashLifeBounds,
  HashLifeEngine,
  HashLifeEngineOptions,
  HashLifeProgress,
  HashLifeStats,
  HashLifeStepOptions,
} from './engines/hashlife/index.js';
export { formatMacrocell, MACROCELL_HEADER, parseMacrocell } from './formats/macrocell.js';
export type { Macrocell, MacrocellNodes, ParseMacrocellOptions } from './formats/macrocell.js';
