export { EngineWorkerError } from '../../errors.js';
export { createWorkersEngine } from './workers-engine.js';
export type { WorkersEngine, WorkersEngineOptions } from './workers-engine.js';
