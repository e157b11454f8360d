export { AsyncPool } from './async-pool.js';
export type { AsyncPoolOptions, WaitForRoomOptions } from './async-pool.js';
export { ExecutorClosedError, QueueFullError, WorkerCrashedError } from './errors.js';
export { watchEventLoop } from './event-loop-watch.js';
export type {
  EventLoopDelay,
  EventLoopWatch,
  SlowCallbackEvent,
  WatchEventLoopOptions,
} from './event-loop-watch.js';
export { gather } from './gather.js';
export type { GatherOptions, GatherSettledOptions, GatherTask } from './gather.js';
export { InlineExecutor } from './inline-executor.js';
export { closeOffloadPools, offload } from './offload.js';
export type {
  CloseOptions,
  Executor,
  ExecutorStats,
  MapOptions,
  TaskContext,
  TaskFunction,
  TaskOptions,
} from './types.js';
export { WorkerPool } from './worker-pool.js';
export type { WorkerMapOptions, WorkerPoolOptions, WorkerRunOptions } from './worker-pool.js';
