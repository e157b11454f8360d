export { createHashLifeEngine } from './hashlife-engine.js';
export type {
  EngineSource,
  HashLifeBounds,
  HashLifeExactBounds,
  HashLifeEngine,
  HashLifeEngineOptions,
  HashLifeStats,
} from './hashlife-engine.js';
export { parseGenerations } from './generations.js';
