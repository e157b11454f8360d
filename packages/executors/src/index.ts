export * from './core.js';
export { watchEventLoop } from './event-loop-watch.js';
export type {
  EventLoopDelay,
  EventLoopWatch,
  SlowCallbackEvent,
  WatchEventLoopOptions,
} from './event-loop-watch.js';
export { closeOffloadPools, offload } from './offload.js';
export { WorkerPool } from './worker-pool.js';
export type {
  WorkerMapOptions,
  WorkerPoolOptions,
  WorkerResourceLimits,
  WorkerRunOptions,
} from './worker-pool.js';
