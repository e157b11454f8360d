export { createHashLifeEngine } from './hashlife-engine.js';
export type {
  EngineSource,
  HashLifeBounds,
  HashLifeEngine,
  HashLifeEngineOptions,
  HashLifeProgress,
  HashLifeStats,
  HashLifeStepOptions,
} from './hashlife-engine.js';
export { GenerationCountError, HashLifeMemoryError } from './errors.js';
export { parseGenerations } from './generations.js';
