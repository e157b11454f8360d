// Section 5 of the benchmark (run by bench/index.ts in a plain `node` process): one pair
// of two random DIGITS-digit numbers, in each mode and with Euclid and binary. The run is
// aborted after ABORT_MS; we measure how long the promise then takes to reject, and the
// longest stretch the event loop was blocked meanwhile (a 5 ms timer's largest gap).
// With `whole` as second argument it times instead what the previous release had to wait
// for before it could stop: the whole gcd in one call, once per algorithm.
// Prints one JSON line: { digits, rows: [{ mode, algorithm, stopMs, longestStallMs }] } or
// { digits, whole: { euclid, binary } }.
import { gcdOf, runAsync, runSerial, runWorkers } from '../dist/index.js';

const digits = Number(process.argv[2] ?? 450_000);
const ABORT_MS = 1000;

let state = 0x9e3779b9;
function digit() {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % 10;
}
function randomInteger() {
  const parts = [String(1 + (digit() % 9))];
  for (let i = 1; i < digits; i++) parts.push(String(digit()));
  return BigInt(parts.join(''));
}
const pair = [randomInteger(), randomInteger()];

if (process.argv[3] === 'whole') {
  const whole = {};
  for (const algorithm of ['euclid', 'binary']) {
    const start = performance.now();
    gcdOf(pair, algorithm);
    whole[algorithm] = performance.now() - start;
  }
  console.log(JSON.stringify({ digits, whole }));
  process.exit(0);
}

const runs = {
  serial: (options) => runSerial([pair], options),
  async: (options) => runAsync([pair], options),
  'workers (caller + 1 thread)': (options) => runWorkers([pair], { ...options, workers: 2 }),
  'workers (1 thread, caller idle)': (options) => runWorkers([pair], { ...options, workers: 1 }),
};
const rows = [];
for (const [mode, run] of Object.entries(runs)) {
  for (const algorithm of ['euclid', 'binary']) {
    const controller = new AbortController();
    let last = performance.now();
    let longestStallMs = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestStallMs = Math.max(longestStallMs, now - last);
      last = now;
    }, 5);
    let abortedAt = 0;
    const abort = setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(new Error('stop'));
    }, ABORT_MS);
    await run({ algorithm, signal: controller.signal }).catch(() => {});
    clearTimeout(abort);
    clearInterval(timer);
    // null: the gcd ended before the abort (the pair is too small to show anything).
    const stopMs = abortedAt === 0 ? null : performance.now() - abortedAt;
    rows.push({ mode, algorithm, stopMs, longestStallMs });
  }
}
console.log(JSON.stringify({ digits, rows }));
