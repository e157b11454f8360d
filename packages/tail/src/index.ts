export { CheckpointError, InputError, OutputWriteError } from './errors.js';
export { followFile } from './follow.js';
export {
  createLineWriter,
  type LineWriter,
  type LineWriterOptions,
  type WriteData,
} from './line-writer.js';
export { type MergeOptions, type MergeProgress, type MergeResult, mergeFiles } from './merge.js';
export type { StreamLike } from './sink.js';
export type {
  FileIdentity,
  FollowedLine,
  FollowOptions,
  LongLinePolicy,
  StartPosition,
  TailEvent,
} from './types.js';
