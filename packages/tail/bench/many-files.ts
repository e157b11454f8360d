import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BIN, type IdleResult, makeIdleFiles, measureIdle, type SteadyWindow } from './idle.js';

/** The least a Node process does to follow a directory (see floor/follow-floor.mjs). */
const FOLLOW_FLOOR = fileURLToPath(new URL('./floor/follow-floor.mjs', import.meta.url));

/** The command measuring that floor on the files of `dir`, written to `output`. */
export function followFloorCommand(
  dir: string,
  output: string,
  cwd: string,
): { file: string; args: string[]; cwd: string } {
  return { file: process.execPath, args: [FOLLOW_FLOOR, dir, output], cwd };
}

/**
 * Only the many-files row of the benchmark, several times over, medians printed:
 * `pnpm --filter @fanout/tail bench --many-files [--runs N]` (needs the built CLI).
 * `FANOUT_BENCH_NODE_ARGS` (space-separated) goes before the CLI's path, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile both threads. Profiled or wrapped, the
 * CPU figure includes the tool's own cost.
 */
export const MANY_FILES = 1000;
export const MANY_ACTIVE = 10;
export const MANY_RATE = 20; // lines/s per busy file
export const MANY_SECONDS = 10;
/** The steady window: appends go on at the same rate; CPU measured from 30 s to 50 s. */
export const MANY_STEADY: SteadyWindow = { after: 30, seconds: 20 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The results of one run: ours, GNU `tail -F`, and the Node floor, on the same files. */
export interface ManyFilesResult {
  ours: IdleResult;
  gnu: IdleResult;
  floor: IdleResult;
}

/** One run of ours, one of GNU `tail -F` and one of the Node floor on the same 1,000 files. */
export async function manyFilesRun(
  dir: string,
  steady: SteadyWindow = MANY_STEADY,
): Promise<ManyFilesResult> {
  const idleDir = join(dir, 'idle');
  const files = await makeIdleFiles(idleDir, MANY_FILES);
  const nodeArgs = (process.env.FANOUT_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const oursOut = join(dir, 'idle-ours.out');
  // `FANOUT_BENCH_WRAP` (space-separated) runs our process under another, e.g. `strace -c -f -o FILE`.
  const wrap = (process.env.FANOUT_BENCH_WRAP ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, CLI_BIN, 'tail', join(idleDir, '*.log'), '--follow', '-o', oursOut];
  const ours = await measureIdle(
    {
      file: wrap[0] ?? process.execPath,
      args: wrap.length > 0 ? [...wrap.slice(1), process.execPath, ...args] : args,
      cwd: dir,
    },
    files,
    oursOut,
    MANY_ACTIVE,
    MANY_RATE,
    MANY_SECONDS,
    steady,
  );
  const gnuOut = join(dir, 'idle-tail.out');
  const gnu = await measureIdle(
    {
      file: 'sh',
      args: ['-c', `exec tail -q -n +1 -F "$@" > ${JSON.stringify(gnuOut)}`, 'tail', ...files],
      cwd: dir,
    },
    files,
    gnuOut,
    MANY_ACTIVE,
    MANY_RATE,
    MANY_SECONDS,
    steady,
  );
  const floorOut = join(dir, 'idle-floor.out');
  const floor = await measureIdle(
    followFloorCommand(idleDir, floorOut, dir),
    files,
    floorOut,
    MANY_ACTIVE,
    MANY_RATE,
    MANY_SECONDS,
    steady,
  );
  await rm(idleDir, { recursive: true, force: true });
  return { ours, gnu, floor };
}

/**
 * Runs the row `runs` times and prints every run and the medians. `steady` moves the
 * steady window (`--steady-from S --steady-to S`): V8 still compiles our hot paths 20–40 s
 * into a run this slow, so a later, longer window shows what a follower costs for days.
 */
export async function manyFilesMain(runs: number, steady = MANY_STEADY): Promise<void> {
  const results: ManyFilesResult[] = [];
  for (let r = 0; r < runs; r++) {
    const dir = await mkdtemp(join(tmpdir(), 'fanout-tail-many-'));
    try {
      const res = await manyFilesRun(dir, steady);
      results.push(res);
      const f = (x: IdleResult) =>
        `CPU ${x.cpuPercent.toFixed(2)} % first ${MANY_SECONDS} s, ${(x.steadyCpuPercent ?? Number.NaN).toFixed(2)} % steady, p99 ${x.p99.toFixed(2)} ms (p50 ${x.p50.toFixed(2)}, max ${x.max.toFixed(1)}), ${x.lines} lines`;
      console.log(
        `run ${r + 1}: ours ${f(res.ours)} | tail -F ${f(res.gnu)} | Node floor ${f(res.floor)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const m = (pick: (x: ManyFilesResult) => number) => median(results.map(pick)).toFixed(2);
  const steadyFrom = steady.after;
  const steadyTo = steady.after + steady.seconds;
  console.log(
    `\nfollow ${MANY_FILES} files (${MANY_FILES - MANY_ACTIVE} idle, ${MANY_ACTIVE} x ${MANY_RATE} lines/s for ${steadyTo} s), median of ${runs}:`,
  );
  console.log('| measure | ours | tail -F | Node floor | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  const steadyCpu = (x: IdleResult) => x.steadyCpuPercent ?? Number.NaN;
  console.log(
    `| CPU, % of a core, steady (${steadyFrom}–${steadyTo} s of appends) | ${m((r) => steadyCpu(r.ours))} % | ${m((r) => steadyCpu(r.gnu))} % | ${m((r) => steadyCpu(r.floor))} % | < 2 % |`,
  );
  console.log(
    `| CPU, % of a core, first ${MANY_SECONDS} s after start | ${m((r) => r.ours.cpuPercent)} % | ${m((r) => r.gnu.cpuPercent)} % | ${m((r) => r.floor.cpuPercent)} % | |`,
  );
  console.log(
    `| append-to-output p99 (p50), ms | ${m((r) => r.ours.p99)} (${m((r) => r.ours.p50)}) | ${m((r) => r.gnu.p99)} (${m((r) => r.gnu.p50)}) | ${m((r) => r.floor.p99)} (${m((r) => r.floor.p50)}) | < 5 ms |`,
  );
  console.log(
    '\nNode floor: bench/floor/follow-floor.mjs, one fs.watch and a bare read/write per event (no lines, no rotation): what any Node process pays to be woken by each append.',
  );
  console.log(`\n${cpus().length} cores, node ${process.version}, CLI ${CLI_BIN}`);
}
