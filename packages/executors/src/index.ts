export type {
  CloseOptions,
  Executor,
  ExecutorStats,
  MapOptions,
  TaskContext,
  TaskFunction,
  TaskOptions,
} from './types.js';
