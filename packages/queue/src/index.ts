export { createQueueExecutor, QueueExecutor } from './queue-executor.js';
export type {
  QueueCounts,
  QueueExecutorOptions,
  QueueExecutorStats,
  QueueMapOptions,
  QueueRunOptions,
} from './executor-options.js';
export { startQueueWorker } from './queue-worker.js';
export type {
  QueueWorker,
  QueueWorkerCloseOptions,
  QueueWorkerOptions,
  QueueWorkerStats,
} from './queue-worker.js';
export { checkQueueName, maskUrl, parseRedisUrl, type RedisConnection } from './connection.js';
export {
  JobAttemptsExceededError,
  QueueConnectionError,
  QueueNameError,
  RedisUrlError,
  UnsupportedValueError,
} from './errors.js';
