/**
 * Demo item 6: the seed's gcd benchmark on its ten pairs — serial, async on one thread
 * (Python threads under the GIL), worker threads (ProcessPoolExecutor) — with the speedup.
 */
import { availableParallelism } from 'node:os';
import { runAll, seedPairs } from '@fanout/parallel-gcd';
import { formatSeconds, table } from '../output.js';

/** Runs the gcd item; `runAll` checks that the three runs agree. */
export async function demoGcd(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  const workers = Math.max(2, Math.min(availableParallelism(), 4));
  print(
    `6. gcd of the seed's ten pairs by countdown: serial, async on one thread, ${workers} worker threads\n`,
  );
  const report = await runAll(seedPairs(1), {
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
  print(`all three agree: ${report.results.join(', ')}\n`);
  print(`speedup (serial / workers): ${(report.speedup ?? 0).toFixed(2)}x\n\n`);
}
