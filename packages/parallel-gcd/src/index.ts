export { gcdNaive, NAIVE_LIMIT } from './algorithms/naive.js';
export { gcdEuclid } from './algorithms/euclid.js';
export { gcdBinary } from './algorithms/binary.js';
export { describeInteger } from './algorithms/bits.js';
export { gcdOf, gcdSteps, isHeavyPair } from './algorithms/gcd-of.js';
export type { GcdSteps, PauseCheck } from './algorithms/steps.js';
export {
  NaiveTooLargeError,
  PairsSourceError,
  PairsSyntaxError,
  ResultsMismatchError,
} from './errors.js';
export { parsePairs, type ParsePairsOptions } from './input/pairs.js';
export {
  DEFAULT_MAX_LINE_LENGTH,
  readPairs,
  readPairsFile,
  type ReadPairsOptions,
} from './input/read-pairs.js';
export {
  collectPairs,
  repeatPairs,
  type PairSource,
  type PairStream,
} from './input/source.js';
export { CHAPTER_NUMBERS, chapterPairs } from './input/chapter.js';
export {
  encodeResult,
  encodeResults,
  reportToJson,
  type GcdJsonReport,
  type JsonGcdValue,
} from './report/json.js';
export { compareRuns, type GcdReport, type GcdRuns } from './report/compare.js';
export { runSerial } from './runs/serial.js';
export { runAsync, type AsyncRunOptions } from './runs/async.js';
export { runWorkers, type WorkersRunOptions } from './runs/workers.js';
export { runAll, type RunAllOptions } from './runs/all.js';
export { defaultParallelism, threadSplit, type ThreadSplit } from './runs/parallelism.js';
export { planChunks, type Chunk } from './runs/schedule.js';
export {
  GCD_ALGORITHMS,
  isGcdAlgorithm,
  type GcdAlgorithm,
  type GcdPair,
  type GcdValue,
} from './types.js';
export {
  RUN_MODES,
  type GcdProgress,
  type GcdRun,
  type GcdRunner,
  type GcdWorkersRun,
  type RunMode,
  type RunOptions,
} from './runs/types.js';
