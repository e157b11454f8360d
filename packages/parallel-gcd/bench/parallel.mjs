// Section 1 of the benchmark, run by bench/index.ts as a plain `node` child process. Under
// tsx, worker threads inherit its loader flags and each boots tsx again, which makes their
// start-up several times slower than for a real user (the CLI runs plain Node). The threads
// only load built JavaScript, so this part runs without tsx.
// Prints one JSON line: { scale, pairs, serial: [s...], async: [s...], workers: [s...] }.
import { runAsync, runSerial, runWorkers, seedPairs } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 7);
let scale = Number(process.argv[3] ?? 0);

await runSerial(seedPairs(2));
if (!(scale > 0)) {
  // About one second of serial work, as the issue asks.
  const probe = await runSerial(seedPairs(4));
  scale = Math.max(1, Math.round(1 / (probe.seconds / 4)));
}
const pairs = seedPairs(scale);
const times = { serial: [], async: [], workers: [] };
// One warm-up round, not counted; then the three kinds interleaved so that a burst of
// load from elsewhere hits all three alike.
for (let round = 0; round <= rounds; round++) {
  const serial = await runSerial(pairs);
  const asyncRun = await runAsync(pairs, { concurrency: 2 });
  const workers = await runWorkers(pairs, { workers: 2 });
  if (round === 0) continue;
  times.serial.push(serial.seconds);
  times.async.push(asyncRun.seconds);
  times.workers.push(workers.seconds);
}
console.log(JSON.stringify({ scale, pairs: pairs.length, ...times }));
