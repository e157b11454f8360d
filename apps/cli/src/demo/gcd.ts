/**
 * Demo item 6: the chapter's gcd benchmark on its ten pairs — serial, async on one thread
 * (Python threads under the GIL), worker threads (ProcessPoolExecutor) — with the speedup.
 */
import { loadavg } from 'node:os';
import { chapterPairs, defaultParallelism, runAll, threadSplit } from '@fanout/parallel-gcd';
import { formatSeconds, table } from '../output.js';

/**
 * JavaScript counts down about ten times faster than the chapter's Python, so its pairs
 * are repeated to give the chapter's ~1 second of serial work, enough for threads to pay off.
 */
const SCALE = 10;

/** Runs the gcd item; `runAll` checks that the three runs agree. */
export async function demoGcd(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  // At least two threads, so the demo shows parallelism; at most four for ten pairs × 10.
  const split = threadSplit({ workers: Math.max(2, Math.min(defaultParallelism(), 4)) });
  const others = `${split.workerThreads} worker thread${split.workerThreads === 1 ? '' : 's'}`;
  print(
    `6. gcd by countdown of the chapter's ten pairs x${SCALE}: serial, async on one thread, ` +
      `${split.threads} threads (${split.callerRuns ? `this one + ${others}` : others})\n`,
  );
  const report = await runAll(chapterPairs(SCALE), {
    algorithm: 'naive',
    concurrency: split.threads,
    workers: split.threads,
    signal,
  });
  print(
    table([
      ['serial', `Took ${formatSeconds(report.serialSeconds ?? 0)} seconds`],
      ['async', `Took ${formatSeconds(report.asyncSeconds ?? 0)} seconds`],
      ['workers', `Took ${formatSeconds(report.workersSeconds ?? 0)} seconds`],
    ]),
  );
  print(
    `all three agree on all ${report.results.length} results (${report.results.slice(0, 10).join(', ')}, ...)\n`,
  );
  const speedup = report.speedup ?? 0;
  print(`speedup (serial / workers): ${speedup.toFixed(2)}x\n`);
  const load = loadavg()[0] ?? 0;
  if (speedup < 1.2 && load > defaultParallelism()) {
    // Honest context for a disappointing figure: the threads had no idle cores to run on.
    print(
      `note: load average ${load.toFixed(1)} on ${defaultParallelism()} cores; worker threads need idle cores to pay off\n`,
    );
  }
  print('\n');
}
