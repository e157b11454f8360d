/**
 * Pools the per-round ratios of several saved runs of table 1 (`bench … > run.txt`):
 * `tsx bench/pool-runs.ts run1.txt run2.txt …`. Prints, per row, the rounds pooled, the
 * median ratio with its range, and the same 95% bootstrap interval as the bench.
 */
import { readFileSync } from 'node:fs';
import { bootstrapMedianInterval, median } from './stats.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx bench/pool-runs.ts RUN.txt [RUN.txt …]');
  process.exit(2);
}
const pooled = new Map<string, { wall: number[]; cpu: number[] }>();
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('per-round ratios'));
  if (start === -1) {
    console.error(`${file}: no "per-round ratios" section (is it table 1's output?)`);
    process.exit(2);
  }
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}(.+?): ((?:[\d.]+\/[\d.]+ ?)+)$/.exec(line);
    if (match === null) break;
    const row = pooled.get(match[1]!) ?? { wall: [], cpu: [] };
    for (const pair of match[2]!.trim().split(' ')) {
      const [wall, cpu] = pair.split('/').map(Number);
      row.wall.push(wall!);
      row.cpu.push(cpu!);
    }
    pooled.set(match[1]!, row);
  }
}
const show = (values: number[]) => {
  const [low, high] = bootstrapMedianInterval(values, { resamples: 10_000, seed: 1 });
  const range = `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  return `${median(values).toFixed(3)}× [${low.toFixed(3)}, ${high.toFixed(3)}] (${range})`;
};
console.log(`pooled over ${files.length} runs; median [95% bootstrap interval] (range)`);
for (const [name, { wall, cpu }] of pooled) {
  if (wall.every((value) => value === 1)) continue; // the baseline
  console.log(`  ${name}: ${wall.length} rounds, wall ${show(wall)}, CPU ${show(cpu)}`);
}
