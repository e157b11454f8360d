/**
 * The browser-safe part of `@fanout/executors` (`@fanout/executors/core`): nothing here
 * imports a Node built-in, in code or in types. The main entry re-exports all of it.
 */
export { AsyncPool } from './async-pool/async-pool.js';
export { AsyncPoolEvent } from './async-pool/pool-events.js';
export type {
  AsyncPoolEventMap,
  AsyncPoolListener,
  AsyncPoolListenerOptions,
  TaskInfo,
} from './async-pool/pool-events.js';
export type {
  AsyncPoolOptions,
  PoolMapOptions,
  PoolTaskOptions,
} from './async-pool/pool-options.js';
export {
  ExecutorClosedError,
  QueueFullError,
  TaskClearedError,
  TimeoutError,
  WorkerCrashedError,
} from './errors.js';
export type { TimeoutFrom } from './errors.js';
export { gather } from './gather.js';
export type {
  GatherOptions,
  GatherResult,
  GatherResults,
  GatherSettledOptions,
  GatherSettledResults,
  GatherTask,
} from './gather.js';
export { InlineExecutor } from './inline-executor.js';
export { createSlicer, DEFAULT_SLICE_MS, yieldToEventLoop } from './slicer.js';
export type { Slicer, SlicerOptions } from './slicer.js';
export type {
  CloseOptions,
  Executor,
  ExecutorStats,
  MapOptions,
  ModuleExecutor,
  TaskContext,
  TaskFunction,
  TaskOptions,
  WaitForRoomOptions,
} from './types.js';
