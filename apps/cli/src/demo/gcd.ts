/**
 * Demo item 6: the seed's gcd benchmark on its ten pairs — serial, async on one thread
 * (Python threads under the GIL), worker threads (ProcessPoolExecutor) — with the speedup.
 */
import { availableParallelism, loadavg } from 'node:os';
import { runAll, seedPairs } from '@fanout/parallel-gcd';
import { formatSeconds, table } from '../output.js';

/**
 * JavaScript counts down about ten times faster than the seed's Python, so the seed's pairs
 * are repeated to give the seed's ~1 second of serial work, enough for threads to pay off.
 */
const SCALE = 10;

/** Runs the gcd item; `runAll` checks that the three runs agree. */
export async function demoGcd(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  const workers = Math.max(2, Math.min(availableParallelism(), 4));
  print(
    `6. gcd by countdown of the seed's ten pairs x${SCALE}: serial, async on one thread, ${workers} threads (this one + ${workers - 1} worker thread${workers > 2 ? 's' : ''})\n`,
  );
  const report = await runAll(seedPairs(SCALE), {
    algorithm: 'naive',
    concurrency: workers,
    workers,
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
  if (speedup < 1.2 && load > availableParallelism()) {
    // Honest context for a disappointing figure: the threads had no idle cores to run on.
    print(
      `note: load average ${load.toFixed(1)} on ${availableParallelism()} cores; worker threads need idle cores to pay off\n`,
    );
  }
  print('\n');
}
