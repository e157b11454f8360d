import type { FollowOptions } from '../types.js';

/** How merged records are written: the lines as they are, or one JSON object per record. */
export type OutputFormat = 'text' | 'json';

/**
 * Options of `mergeFiles`: those of `followFile` for every input (`follow`, `intervalMs`,
 * `maxLineBytes`, `longLines`, `chunkBytes`, `rotated`, `multiline`, `signal`,
 * `onEvent`), plus what the merge adds.
 */
export interface MergeOptions extends Omit<FollowOptions, 'from'> {
  /** Where inputs without a checkpoint entry start (default `'start'`); files found later start at 0. */
  from?: 'start' | 'end';
  /** Put `NAME: ` (the input path as given, or as matched for a glob) before each line. */
  prefix?: boolean;
  /**
   * `'json'`: one `{"file","offset","line"}` object per record (the input path, the offset of
   * the record's first byte in its file, its text with lines joined by `\n`). Default `'text'`.
   */
  format?: OutputFormat;
  /** Checkpoint file: resume from it, and keep it up to date. Needs an output path. */
  checkpoint?: string;
  /** How often the checkpoint is written while running, in ms (default 1000). */
  checkpointIntervalMs?: number;
  /**
   * When the checkpoint does not match the files or the output (a recorded offset past a
   * file's end, other bytes there, the output shorter than recorded), start afresh (output
   * emptied, inputs from `from`) instead of rejecting with `CheckpointError`.
   */
  startOver?: boolean;
  /** Glob inputs: names matching any of these globs are not followed. */
  exclude?: readonly string[];
  /** Glob inputs: a matching file not modified for this long when found is left (until it changes). */
  ignoreOlderMs?: number;
  /** Called every `progressIntervalMs` (default 500) while running. */
  onProgress?: (progress: MergeProgress) => void;
  progressIntervalMs?: number;
}

/** Running totals of a merge. */
export interface MergeProgress {
  lines: number;
  bytes: number;
  seconds: number;
}

/** What a merge did. `files`, `lines`, `bytes`, `seconds`, `linesPerSecond` are the CLI's `--json`. */
export interface MergeResult {
  /** Number of inputs (files followed, for glob inputs). */
  files: number;
  /** Lines written by this run. */
  lines: number;
  /** Bytes written by this run (with prefixes). */
  bytes: number;
  seconds: number;
  linesPerSecond: number;
  /** Inputs that could not be read, with why. */
  errors: { path: string; error: Error }[];
  /** True when stopped by `signal`. */
  aborted: boolean;
}
