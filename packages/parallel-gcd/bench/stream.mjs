// Section 4 of the benchmark, one run per process (run by bench/index.ts): a pairs file
// read whole (readFile + parsePairs, what `fanout gcd --pairs` did before) or streamed
// (readPairsFile), then computed in one mode. Prints one JSON line:
// { seconds, maxRssMb, pairs }. Peak memory is the process's maximum resident set size.
import { readFile } from 'node:fs/promises';
import { parsePairs, readPairsFile, runAsync, runSerial, runWorkers } from '../dist/index.js';

const [input, mode, file, algorithm] = process.argv.slice(2);
const runners = { serial: runSerial, async: runAsync, workers: runWorkers };
const start = performance.now();
const pairs = input === 'whole' ? parsePairs(await readFile(file, 'utf8')) : readPairsFile(file);
const run = await runners[mode](pairs, { algorithm, workers: 2, concurrency: 2 });
const seconds = (performance.now() - start) / 1000;
console.log(
  JSON.stringify({
    seconds,
    pairs: run.results.length,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
