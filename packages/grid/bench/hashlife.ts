// HashLife and the torus engines against Golly (bgolly), side by side in one run.
//   flock /tmp/fanout-heavy.lock pnpm --filter @fanout/grid bench
// bgolly is Debian's `golly` package; without it the Golly column says so and those rows
// have no ratio.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBuiltinPattern } from '../src/formats/builtins.js';
import { createHashLifeEngine } from '../src/engines/hashlife/index.js';
import type { Grid } from '../src/grid.js';
import type { Pattern } from '../src/formats/pattern.js';
import { createUnboundedEngine } from '../src/engines/unbounded-engine.js';
import { parseRle } from '../src/formats/rle-reader.js';
import { formatRle } from '../src/formats/rle-writer.js';

/** One line of the table. */
export interface BenchRow {
  readonly name: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../src/engines/hashlife/fixtures/${name}`, import.meta.url));

/** Whether bgolly runs here. */
export function hasBgolly(): boolean {
  const probe = spawnSync('bgolly', ['--help'], { encoding: 'utf8' });
  return probe.error === undefined;
}

/** Run bgolly to `generations`; wall time in ms (process start included) and population. */
function bgolly(
  args: string[],
  file: string,
  generations: string,
): { ms: number; population: bigint } {
  const start = performance.now();
  const run = spawnSync('bgolly', [...args, '-m', generations, file], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`bgolly failed: ${run.stderr}${run.stdout}`);
  // The last line reads "1,000,000,000: 166,666,713".
  const last = run.stdout.trim().split('\n').at(-1)!;
  const population = BigInt(last.split(':')[1]!.replaceAll(',', '').trim());
  return { ms, population };
}

const RUNS = 5;

const distIndex = new URL('../dist/index.js', import.meta.url).href;

/**
 * One whole `node` process that loads the built package, reads the pattern file, runs it
 * and prints the population: start-up included, as bgolly's times are.
 */
function ourProcess(file: string, generations: string): { ms: number; population: bigint } {
  const script = `
    import { readFileSync } from 'node:fs';
    const { createHashLifeEngine, parsePattern } = await import(${JSON.stringify(distIndex)});
    const engine = createHashLifeEngine(parsePattern(readFileSync(${JSON.stringify(file)}, 'utf8')));
    await engine.step(${JSON.stringify(generations)});
    console.log(String(engine.exactPopulation()));
  `;
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`our process failed: ${run.stderr}`);
  return { ms, population: BigInt(run.stdout.trim()) };
}

const ratio = (ours: number, theirs: number): string =>
  ours <= theirs
    ? `${(theirs / ours).toFixed(1)}x faster`
    : `${(ours / theirs).toFixed(1)}x slower`;

async function hashlifeRow(
  rows: BenchRow[],
  label: string,
  pattern: Pattern,
  file: string,
  generations: string,
  golly: boolean,
): Promise<void> {
  const inProcess: number[] = [];
  let population = 0n;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    await using engine = createHashLifeEngine(pattern);
    await engine.step(generations);
    population = engine.exactPopulation();
    inProcess.push(performance.now() - start);
  }
  const processes = Array.from({ length: RUNS }, () => ourProcess(file, generations));
  if (processes.some((run) => run.population !== population)) {
    throw new Error(`${label}: the built package disagrees with the sources`);
  }
  const whole = median(processes.map((run) => run.ms));
  const ours = `${whole.toFixed(0)} ms (in process ${median(inProcess).toFixed(0)} ms)`;
  if (!golly) {
    rows.push({ name: label, ours, baseline: 'bgolly not installed', ratio: '-' });
    return;
  }
  const gollyRuns = Array.from({ length: RUNS }, () => bgolly(['-h'], file, generations));
  const theirs = median(gollyRuns.map((run) => run.ms));
  const gollyPopulation = gollyRuns[0]!.population;
  const same =
    gollyPopulation === population ? 'same population' : `POPULATION DIFFERS: ${gollyPopulation}`;
  rows.push({
    name: `${label} (pop ${population})`,
    ours,
    baseline: `${theirs.toFixed(0)} ms (bgolly -h, ${same})`,
    ratio: ratio(whole, theirs),
  });
}

/** One of our engines on the torus soup: runs it and says how long it took. */
export interface TorusRunner {
  readonly label: string;
  readonly run: () => Promise<{ ms: number; population: number }>;
}

/**
 * The HashLife rows (gun to 10^9, acorn to 10^6, a breeder to 10^9, and against our tile
 * engine) and the 2048² torus soup rows (each runner against QuickLife).
 */
export async function hashlifeBench(
  torus: { grid: Grid; generations: number; runners: readonly TorusRunner[] } | undefined,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const gollyHere = hasBgolly();
  const dir = mkdtempSync(join(tmpdir(), 'fanout-hashlife-bench-'));
  try {
    const write = (name: string, pattern: Pattern): string => {
      const file = join(dir, name);
      writeFileSync(file, formatRle(pattern));
      return file;
    };
    const gun = getBuiltinPattern('gosper-gun');
    await hashlifeRow(
      rows,
      'hashlife: Gosper gun to 10^9',
      gun,
      write('gun.rle', gun),
      '1000000000',
      gollyHere,
    );
    const acorn = getBuiltinPattern('acorn');
    await hashlifeRow(
      rows,
      'hashlife: acorn to 10^6',
      acorn,
      write('acorn.rle', acorn),
      '1000000',
      gollyHere,
    );
    // Why hashlife is the CLI's default for --topology unbounded: the tile engine steps
    // every glider every generation.
    for (const generations of [100, 10_000]) {
      const tiles: number[] = [];
      const hashlife: number[] = [];
      for (let r = 0; r < 3; r++) {
        let start = performance.now();
        await using slow = createUnboundedEngine(gun);
        await slow.step(generations);
        tiles.push(performance.now() - start);
        start = performance.now();
        await using fast = createHashLifeEngine(gun);
        await fast.step(generations);
        hashlife.push(performance.now() - start);
        if (fast.population() !== slow.population()) throw new Error('engines disagree');
      }
      const [t, h] = [median(tiles), median(hashlife)];
      rows.push({
        name: `Gosper gun, ${generations} gens: hashlife vs unbounded (tiles)`,
        ours: `${h.toFixed(1)} ms`,
        baseline: `${t.toFixed(1)} ms (unbounded engine)`,
        ratio: ratio(h, t),
      });
    }
    const breederFile = fixture('quadratic-growth-2596x1.rle');
    const breeder = parseRle(readFileSync(breederFile, 'utf8'));
    await hashlifeRow(
      rows,
      'hashlife: 2596x1 breeder to 10^9',
      breeder,
      breederFile,
      '1000000000',
      gollyHere,
    );
    if (torus !== undefined) {
      const { grid, generations } = torus;
      let golly: { ms: number; population: bigint } | undefined;
      if (gollyHere) {
        // A torus Grid's RLE carries Golly's :T suffix, so QuickLife runs the same torus.
        const file = join(dir, 'torus.rle');
        writeFileSync(file, formatRle(grid));
        if (!/rule = \S+:T/.test(readFileSync(file, 'utf8'))) throw new Error('no :T suffix');
        const runs = [0, 1, 2].map(() => bgolly([], file, String(generations)));
        golly = { ms: median(runs.map((r) => r.ms)), population: runs[0]!.population };
      }
      for (const runner of torus.runners) {
        const times: number[] = [];
        let population = 0;
        for (let r = 0; r < 3; r++) {
          const run = await runner.run();
          times.push(run.ms);
          population = run.population;
        }
        const ours = median(times);
        const label = `torus ${grid.width}x${grid.height} soup, ${generations} gens, ${runner.label} (pop ${population})`;
        if (golly === undefined) {
          rows.push({
            name: label,
            ours: `${ours.toFixed(0)} ms`,
            baseline: 'bgolly not installed',
            ratio: '-',
          });
          continue;
        }
        const same =
          golly.population === BigInt(population)
            ? 'same population'
            : `POPULATION DIFFERS: ${golly.population}`;
        rows.push({
          name: label,
          ours: `${ours.toFixed(0)} ms`,
          baseline: `${golly.ms.toFixed(0)} ms (bgolly QuickLife, ${same})`,
          ratio: `${(golly.ms / ours).toFixed(1)}x faster`,
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
