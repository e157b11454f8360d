import type { GcdAlgorithm, GcdValue } from '../types.js';
import type { GcdReport } from './compare.js';

/** A result as JSON can carry it: a number up to 2^53, a decimal string past it. */
export type JsonGcdValue = number | string;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Encodes one result for JSON: safe integers stay numbers, larger values (always bigints)
 * become decimal strings, as the CLI's `--json` output promises.
 *
 * @example
 * encodeResult(32); // 32
 * encodeResult(2n ** 64n); // "18446744073709551616"
 */
export function encodeResult(value: GcdValue): JsonGcdValue {
  if (typeof value === 'number') return value;
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value.toString();
}

/**
 * Encodes every result with `encodeResult`, ready for `JSON.stringify`.
 *
 * @example
 * JSON.stringify(encodeResults([1n, 2n ** 60n])); // '[1,"1152921504606846976"]'
 */
export function encodeResults(values: readonly GcdValue[]): JsonGcdValue[] {
  return values.map(encodeResult);
}

/** `GcdReport` as the CLI's `--json` prints it; fields of runs not made are absent. */
export interface GcdJsonReport {
  readonly pairs: number;
  readonly results: JsonGcdValue[];
  readonly serialSeconds?: number;
  readonly asyncSeconds?: number;
  readonly workersSeconds?: number;
  readonly workers?: number;
  /** serialSeconds / workersSeconds. */
  readonly speedup?: number;
  readonly algorithm: GcdAlgorithm;
  readonly concurrency?: number;
  /** serialSeconds / asyncSeconds. */
  readonly asyncSpeedup?: number;
  /** Worker threads the workers run started (`workers - 1` when the caller computed too). */
  readonly workerThreads?: number;
  /** `<mode>Seconds` of every mode added to `runAll` (`queueSeconds`, …). */
  readonly [modeSeconds: `${string}Seconds`]: number | undefined;
}

const BUILT_IN_SECONDS = new Set(['serial', 'async', 'workers']);

/**
 * The JSON object of `fanout gcd --json`: `{ pairs, results, serialSeconds, asyncSeconds,
 * workersSeconds, workers, speedup, algorithm, concurrency, asyncSpeedup, workerThreads }`
 * and `<mode>Seconds` for every added mode, results encoded by `encodeResults`, without
 * the `runs`.
 *
 * @example
 * process.stdout.write(`${JSON.stringify(reportToJson(await runAll(pairs)))}\n`);
 */
export function reportToJson(report: GcdReport): GcdJsonReport {
  const pick = <K extends keyof GcdReport>(key: K) =>
    report[key] === undefined ? {} : { [key]: report[key] };
  const added = Object.entries(report.seconds)
    .filter(([mode]) => !BUILT_IN_SECONDS.has(mode))
    .map(([mode, seconds]) => [`${mode}Seconds`, seconds]);
  return {
    pairs: report.pairs,
    results: encodeResults(report.results),
    ...pick('serialSeconds'),
    ...pick('asyncSeconds'),
    ...pick('workersSeconds'),
    ...pick('workers'),
    ...pick('speedup'),
    algorithm: report.algorithm,
    ...pick('concurrency'),
    ...pick('asyncSpeedup'),
    ...pick('workerThreads'),
    ...Object.fromEntries(added),
  };
}
