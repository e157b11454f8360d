export * from './core.js';
export { watchEventLoop } from './event-loop-watch.js';
export type {
  EventLoopDelay,
  EventLoopUtilization,
  EventLoopWatch,
  SlowCallbackEvent,
  WatchEventLoopOptions,
} from './event-loop-watch.js';
export { closeOffloadPools, offload } from './offload.js';
export type {
  WorkerBroadcastOptions,
  WorkerMapOptions,
  WorkerPoolOptions,
  WorkerResourceLimits,
  WorkerRunOptions,
  WorkerRuntime,
  WorkerSetup,
} from './worker-pool/options.js';
export { WorkerPool } from './worker-pool/worker-pool.js';
