export { createWorkersEngine, EngineWorkerError } from './workers-engine.js';
export type { WorkersEngine, WorkersEngineOptions } from './workers-engine.js';
