/**
 * CLI benchmark: what the `fanout` wrapper costs on top of a bare `node` start, and how long
 * `fanout demo` takes end to end against its goal (well under a minute on 2 cores).
 * Run with `flock /tmp/fanout-heavy.lock pnpm --filter @fanout/cli bench` after a build.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

function timeRun(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measure(args: readonly string[], runs: number): number {
  timeRun(args); // warm the file cache
  return median(Array.from({ length: runs }, () => timeRun(args)));
}

interface Row {
  case: string;
  ours: number;
  baselineName: string;
  baseline: number;
}

const rows: Row[] = [];
const bare = measure(['-e', ''], 9);
rows.push({
  case: 'fanout --version',
  ours: measure([BIN, '--version'], 9),
  baselineName: 'node -e ""',
  baseline: bare,
});
rows.push({
  case: 'fanout life seed-demo columns',
  ours: measure([BIN, 'life', '--pattern', 'seed-demo', '--print', 'columns'], 9),
  baselineName: 'node -e ""',
  baseline: bare,
});
rows.push({
  case: 'fanout demo',
  ours: measure([BIN, 'demo'], 3),
  baselineName: 'goal: 60 s',
  baseline: 60_000,
});

console.log(`fanout CLI, median wall time in ms (${availableParallelism()} cores)`);
console.log(
  [
    'case'.padEnd(32),
    'ours ms'.padStart(9),
    'baseline'.padEnd(14),
    'base ms'.padStart(9),
    'ratio'.padStart(7),
  ].join('  '),
);
for (const row of rows) {
  console.log(
    [
      row.case.padEnd(32),
      row.ours.toFixed(0).padStart(9),
      row.baselineName.padEnd(14),
      row.baseline.toFixed(0).padStart(9),
      `${(row.ours / row.baseline).toFixed(2)}x`.padStart(7),
    ].join('  '),
  );
}
