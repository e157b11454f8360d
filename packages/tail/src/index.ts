export { CheckpointError, InputError, OutputWriteError } from './errors.js';
export { followFile } from './read/follow-file.js';
export {
  createLineWriter,
  type LineWriter,
  type LineWriterOptions,
  type WriteData,
} from './write/line-writer.js';
export {
  type MergeOptions,
  type MergeProgress,
  type MergeResult,
  mergeFiles,
} from './merge/merge-files.js';
export type { StreamLike } from './write/sink.js';
export type {
  FileIdentity,
  FollowedLine,
  FollowOptions,
  LongLinePolicy,
  StartPosition,
  TailEvent,
} from './types.js';
