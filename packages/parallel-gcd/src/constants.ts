/**
 * `@fanout/parallel-gcd/constants`: the names and defaults option lists need (the CLI's
 * `--algorithm` and `--mode` choices, the `--workers` default), without loading the runs.
 */
export { defaultParallelism } from './runs/parallelism.js';
export { RUN_MODES, type RunMode } from './runs/types.js';
export { GCD_ALGORITHMS, type GcdAlgorithm } from './types.js';
