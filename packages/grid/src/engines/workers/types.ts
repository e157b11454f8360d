import type { LifeRule } from '../../rule.js';
import type { LifeEngine } from '../engine.js';

// The workers engine's types apart from its code, so the browser-safe main entry can name
// them (createEngine's options) without pulling in node:worker_threads.

/** Options of `createWorkersEngine`. */
export interface WorkersEngineOptions {
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
  /** Worker threads (at most one per row). Default `min(2, availableParallelism())`. */
  readonly threads?: number;
}

/** The `workers` engine. */
export interface WorkersEngine extends LifeEngine {
  readonly kind: 'workers';
  /** Worker threads in use. */
  readonly threads: number;
}
