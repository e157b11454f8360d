/**
 * Every error `@fanout/grid` throws for a caller to act on. Each has a stable `code`, on the
 * instance and on the class (`error.code === PatternSyntaxError.code`), and keeps the
 * underlying error as `cause` where there is one. Invalid arguments (a negative size, a
 * density above 1) are `RangeError`s: bugs in the caller, not conditions to handle.
 */
import type { EngineKind } from './engines/engine.js';
import type { PatternFormat } from './formats/pattern.js';

/** Where in a pattern file a problem is: 1-based line and column, and the file's name. */
export interface PatternPosition {
  readonly line: number;
  readonly column: number;
  readonly fileName?: string | undefined;
}

/**
 * What the three pattern-file errors share: the file, the 1-based position and what is
 * wrong there; the message reads `file:line:column: problem`.
 */
abstract class PatternFileError extends Error {
  readonly format: PatternFormat;
  /** What is wrong, without the position (`header y must be a non-negative integer…`). */
  readonly problem: string;
  readonly line: number;
  readonly column: number;
  readonly fileName: string | undefined;

  constructor(
    format: PatternFormat,
    problem: string,
    position: PatternPosition,
    options?: ErrorOptions,
  ) {
    super(
      `${position.fileName ?? `<${format}>`}:${position.line}:${position.column}: ${problem}`,
      options,
    );
    this.format = format;
    this.problem = problem;
    this.line = position.line;
    this.column = position.column;
    this.fileName = position.fileName;
  }
}

/**
 * A malformed pattern file. `problem` says what is wrong, `line` and `column` (1-based)
 * where; the message reads `file:line:column: problem`. Fix the file, or read it with the
 * format it really has.
 */
export class PatternSyntaxError extends PatternFileError {
  static readonly code = 'FANOUT_PATTERN_SYNTAX';
  readonly code = PatternSyntaxError.code;
  override readonly name = 'PatternSyntaxError';
}

/**
 * A well-formed pattern file that asks for something fanout does not run, such as one of
 * Golly's bounded grids other than a torus or a plane (`:K` Klein bottle, `:C`
 * cross-surface, `:S` sphere, shifted or half-infinite grids). Same fields as
 * `PatternSyntaxError`. Convert the file, or run it in Golly.
 */
export class PatternUnsupportedError extends PatternFileError {
  static readonly code = 'FANOUT_PATTERN_UNSUPPORTED';
  readonly code = PatternUnsupportedError.code;
  override readonly name = 'PatternUnsupportedError';
}

/**
 * A pattern file larger than a pattern may be: a run count or header size that puts cells
 * past `limit` (coordinates from 0 to 2^30 - 1), or more live cells than
 * `ParsePatternOptions.maxLiveCells`. Thrown while reading, before the cells are stored.
 * Same fields as `PatternSyntaxError`, plus `limit`.
 */
export class PatternTooLargeError extends PatternFileError {
  static readonly code = 'FANOUT_PATTERN_TOO_LARGE';
  readonly code = PatternTooLargeError.code;
  override readonly name = 'PatternTooLargeError';
  /** The limit the file went past (the largest coordinate or number of live cells allowed). */
  readonly limit: number;

  constructor(
    format: PatternFormat,
    problem: string,
    position: PatternPosition & { readonly limit: number },
    options?: ErrorOptions,
  ) {
    super(format, problem, position, options);
    this.limit = position.limit;
  }
}

/**
 * A world larger than the engine asked for can hold (`engine`; undefined for a plain
 * `Grid`), checked before anything is allocated: `height × width` cells against
 * `maxCells` (see `worldLimit`). Choose a smaller size, or an engine that holds more
 * (`unbounded` stores only live cells).
 */
export class WorldTooLargeError extends Error {
  static readonly code = 'FANOUT_WORLD_TOO_LARGE';
  readonly code = WorldTooLargeError.code;
  override readonly name = 'WorldTooLargeError';
  /** The engine whose limit was passed; undefined for a `Grid`. */
  readonly engine: EngineKind | undefined;
  readonly height: number;
  readonly width: number;
  /** The most cells that engine (or a `Grid`) holds. */
  readonly maxCells: number;

  constructor(
    world: { readonly height: number; readonly width: number },
    engine: EngineKind | undefined,
    maxCells: number,
  ) {
    const holder = engine === undefined ? 'a Grid holds' : `the ${engine} engine holds`;
    super(
      `a ${world.height}x${world.width} world (${world.height * world.width} cells) is larger than ${holder} (at most ${maxCells} cells)`,
    );
    this.engine = engine;
    this.height = world.height;
    this.width = world.width;
    this.maxCells = maxCells;
  }
}

/** A rulestring that could not be read; `column` (1-based) points at the problem. */
export class RuleSyntaxError extends Error {
  static readonly code = 'FANOUT_RULE_SYNTAX';
  readonly code = RuleSyntaxError.code;
  override readonly name = 'RuleSyntaxError';
  /** The rulestring as given. */
  readonly text: string;
  /** 1-based position in `text` of the offending character (0 when the whole is wrong). */
  readonly column: number;

  constructor(text: string, column: number, problem: string, options?: ErrorOptions) {
    super(
      `invalid rule ${JSON.stringify(text)}: ${problem}` +
        (column > 0 ? ` (column ${column})` : ''),
      options,
    );
    this.text = text;
    this.column = column;
  }
}

/** A name that is not a built-in pattern; `known` lists the names that are. */
export class UnknownPatternError extends Error {
  static readonly code = 'FANOUT_UNKNOWN_PATTERN';
  readonly code = UnknownPatternError.code;
  override readonly name = 'UnknownPatternError';
  /** The name asked for. */
  readonly patternName: string;
  /** The names that exist. */
  readonly known: readonly string[];

  constructor(patternName: string, known: readonly string[]) {
    super(`unknown pattern ${JSON.stringify(patternName)}; built-in patterns: ${known.join(', ')}`);
    this.patternName = patternName;
    this.known = known;
  }
}

/** A `step` or engine method called after `close()`. Create a new engine. */
export class EngineClosedError extends Error {
  static readonly code = 'FANOUT_ENGINE_CLOSED';
  readonly code = EngineClosedError.code;
  override readonly name = 'EngineClosedError';
  /** The engine that was closed. */
  readonly kind: EngineKind;

  constructor(kind: EngineKind, options?: ErrorOptions) {
    super(`the ${kind} engine is closed`, options);
    this.kind = kind;
  }
}

/**
 * A worker thread of the `workers` engine failed, exited or could not start; the engine is
 * unusable afterwards (close it; `cause` says what the thread reported).
 */
export class EngineWorkerError extends Error {
  static readonly code = 'FANOUT_ENGINE_WORKER';
  readonly code = EngineWorkerError.code;
  override readonly name = 'EngineWorkerError';
}

/**
 * The node cache is full and a collection could not free enough of it: the live part of the
 * world (plus the step being computed) needs more than `maxMemoryMb`. Raise `maxMemoryMb`,
 * or step in smaller jumps. The world stays at the last completed generation.
 */
export class HashLifeMemoryError extends Error {
  static readonly code = 'FANOUT_HASHLIFE_MEMORY';
  readonly code = HashLifeMemoryError.code;
  override readonly name = 'HashLifeMemoryError';
  /** The limit in force, in MiB. */
  readonly maxMemoryMb: number;
  /** Nodes still in use after the collection. */
  readonly liveNodes: number;

  constructor(maxMemoryMb: number, liveNodes: number, options?: ErrorOptions) {
    super(
      `hashlife ran out of memory: ${liveNodes} nodes still in use fill maxMemoryMb ${maxMemoryMb} after garbage collection; raise maxMemoryMb or step in smaller jumps`,
      options,
    );
    this.maxMemoryMb = maxMemoryMb;
    this.liveNodes = liveNodes;
  }
}

/** A generation count that is not a non-negative integer (`"1e12"`, `"2^40"` are fine). */
export class GenerationCountError extends Error {
  static readonly code = 'FANOUT_GENERATION_COUNT';
  readonly code = GenerationCountError.code;
  override readonly name = 'GenerationCountError';
  /** The text or value as given. */
  readonly value: string;

  constructor(value: string, problem: string) {
    super(`invalid generation count ${JSON.stringify(value)}: ${problem}`);
    this.value = value;
  }
}
