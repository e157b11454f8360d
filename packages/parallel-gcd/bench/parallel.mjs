// Section 1 of the benchmark, run by bench/index.ts as a plain `node` child process. Under
// tsx, worker threads inherit its loader flags and each boots tsx again, which makes their
// start-up several times slower than for a real user (the CLI runs plain Node). The threads
// only load built JavaScript, so this part runs without tsx.
// Prints one JSON line: { scale, pairs, serial: [s...], async: [s...], workers: [s...],
// workersCallerIdle: [s...], callerShare: [fraction...], ideal: [s...], idealRatio: [x...] }.
// `ideal` is what two threads give on this machine at best: the main thread and a worker
// thread started beforehand (bench/ideal-worker.mjs) take the pairs one at a time from a
// shared counter, with no start-up and no scheduling cost, against the main thread alone.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { gcdOf, runAsync, runSerial, runWorkers, chapterPairs } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 7);
let scale = Number(process.argv[3] ?? 0);

/** Milliseconds of CPU time the whole machine spent busy so far (Linux), else undefined. */
function machineBusyMs() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    // user, nice, system, irq, softirq: in USER_HZ ticks, 100 per second on Linux.
    return [1, 2, 3, 6, 7].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
  } catch {
    return undefined;
  }
}

function ownCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

await runSerial(chapterPairs(2));
if (!(scale > 0)) {
  // About one second of serial work, as the issue asks: the median of three probes, so
  // one slow moment on a shared machine does not decide the size of the whole run.
  const probes = [];
  for (let i = 0; i < 3; i++) probes.push((await runSerial(chapterPairs(4))).seconds / 4);
  probes.sort((a, b) => a - b);
  scale = Math.max(1, Math.round(1 / probes[1]));
}
const busyAtStart = machineBusyMs();
const ownAtStart = ownCpuMs();
const wallAtStart = performance.now();
const pairs = chapterPairs(scale);
const times = {
  serial: [],
  async: [],
  workers: [],
  workersCallerIdle: [],
  callerShare: [],
  ideal: [],
  idealRatio: [],
};
// Started (and warmed) before any timing: the ideal run leaves start-up out on purpose.
const idealThread = new Worker(new URL('./ideal-worker.mjs', import.meta.url));
await new Promise((resolve) => idealThread.once('message', resolve));
// Largest first, as runWorkers plans them, so that the two threads end together.
const bySize = [...pairs].sort((p, q) => Math.min(...q) - Math.min(...p));
async function idealRun() {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const start = performance.now();
  const onThread = new Promise((resolve) => idealThread.once('message', resolve));
  idealThread.postMessage({ next, pairs: bySize });
  for (let i = Atomics.add(next, 0, 1); i < bySize.length; i = Atomics.add(next, 0, 1)) {
    gcdOf(bySize[i], 'naive');
  }
  await onThread;
  return performance.now() - start;
}
function idealSerialRun() {
  const start = performance.now();
  for (const pair of bySize) gcdOf(pair, 'naive');
  return performance.now() - start;
}
await idealRun();
// One warm-up round, not counted; then the kinds interleaved so that a burst of load from
// elsewhere hits all of them alike.
for (let round = 0; round <= rounds; round++) {
  const serial = await runSerial(pairs);
  // 2 threads computing: the calling thread and one worker thread (the default). Right
  // after the serial run, so that the two share the machine's mood of the moment.
  const workers = await runWorkers(pairs, { workers: 2 });
  const asyncRun = await runAsync(pairs, { concurrency: 2 });
  // 2 worker threads, the calling thread only waiting (as the chapter's main process does).
  const callerIdle = await runWorkers(pairs, { workers: 2, callerRuns: false });
  for (const run of [asyncRun, workers, callerIdle]) {
    if (run.results.some((value, i) => value !== serial.results[i])) {
      throw new Error(`the ${run.mode} run disagrees with the serial run`);
    }
  }
  const idealSerial = idealSerialRun();
  const ideal = await idealRun();
  if (round === 0) continue;
  times.ideal.push(ideal / 1000);
  times.idealRatio.push(idealSerial / ideal);
  times.serial.push(serial.seconds);
  times.async.push(asyncRun.seconds);
  times.workers.push(workers.seconds);
  times.workersCallerIdle.push(callerIdle.seconds);
  times.callerShare.push(workers.callerPairs / pairs.length);
}
await idealThread.terminate();
// CPU that other processes used meanwhile, in cores (0 on a quiet machine, up to 2 here).
const busyAtEnd = machineBusyMs();
const otherCores =
  busyAtStart === undefined || busyAtEnd === undefined
    ? undefined
    : Math.max(0, busyAtEnd - busyAtStart - (ownCpuMs() - ownAtStart)) /
      (performance.now() - wallAtStart);
console.log(
  JSON.stringify({ scale, pairs: pairs.length, cores: cpus().length, otherCores, ...times }),
);
