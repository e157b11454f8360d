export { CheckpointError, InputError, OutputWriteError } from './errors.js';
export type {
  MergeOptions,
  MergeProgress,
  MergeResult,
  OutputFormat,
} from './merge/options.js';
export { mergeFiles } from './merge/merge-files.js';
export { followFile } from './read/follow-file.js';
export type { MultilineOptions } from './read/records.js';
export type {
  FileIdentity,
  FollowedLine,
  FollowOptions,
  FollowState,
  GenerationPosition,
  CompressedPolicy,
  LongLinePolicy,
  StartPosition,
  TailEvent,
} from './types.js';
export {
  createLineWriter,
  type LineWriter,
  type LineWriterOptions,
  type WriteData,
} from './write/line-writer.js';
export type { StreamLike } from './write/sink.js';
