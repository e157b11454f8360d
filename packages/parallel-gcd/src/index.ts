export { gcdNaive, NAIVE_LIMIT } from './naive.js';
export { NaiveTooLargeError, PairsSyntaxError, ResultsMismatchError } from './errors.js';
export { gcdEuclid } from './euclid.js';
export { gcdBinary } from './binary.js';
export { gcdOf } from './algorithms.js';
export { parsePairs, type ParsePairsOptions } from './pairs.js';
export { SEED_NUMBERS, seedPairs } from './seed.js';
export {
  encodeResult,
  encodeResults,
  reportToJson,
  type GcdJsonReport,
  type JsonGcdValue,
} from './json.js';
export { runSerial } from './run-serial.js';
export { runAsync, type AsyncRunOptions } from './run-async.js';
export { runWorkers, type WorkersRunOptions } from './run-workers.js';
export { runAll, type RunAllOptions } from './run-all.js';
export { compareRuns, type GcdReport, type GcdRuns } from './compare.js';
export { planChunks, type Chunk } from './schedule.js';
export {
  GCD_ALGORITHMS,
  isGcdAlgorithm,
  type GcdAlgorithm,
  type GcdPair,
  type GcdValue,
} from './types.js';
export type { GcdProgress, GcdRun, GcdWorkersRun, RunMode, RunOptions } from './run-types.js';
