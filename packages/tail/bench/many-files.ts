import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BIN, type IdleResult, makeIdleFiles, measureIdle, type SteadyWindow } from './idle.js';

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

/** One run of ours and one of GNU `tail -F` on the same 1,000 files. */
export async function manyFilesRun(dir: string): Promise<{ ours: IdleResult; gnu: IdleResult }> {
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
    MANY_STEADY,
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
    MANY_STEADY,
  );
  await rm(idleDir, { recursive: true, force: true });
  return { ours, gnu };
}

/** Runs the row `runs` times and prints every run and the medians. */
export async function manyFilesMain(runs: number): Promise<void> {
  const results: { ours: IdleResult; gnu: IdleResult }[] = [];
  for (let r = 0; r < runs; r++) {
    const dir = await mkdtemp(join(tmpdir(), 'fanout-tail-many-'));
    try {
      const res = await manyFilesRun(dir);
      results.push(res);
      const f = (x: IdleResult) =>
        `CPU ${x.cpuPercent.toFixed(2)} % first ${MANY_SECONDS} s, ${(x.steadyCpuPercent ?? Number.NaN).toFixed(2)} % steady, p99 ${x.p99.toFixed(2)} ms (p50 ${x.p50.toFixed(2)}, max ${x.max.toFixed(1)}), ${x.lines} lines`;
      console.log(`run ${r + 1}: ours ${f(res.ours)} | tail -F ${f(res.gnu)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const m = (pick: (x: { ours: IdleResult; gnu: IdleResult }) => number) =>
    median(results.map(pick)).toFixed(2);
  const steadyFrom = MANY_STEADY.after;
  const steadyTo = MANY_STEADY.after + MANY_STEADY.seconds;
  console.log(
    `\nfollow ${MANY_FILES} files (${MANY_FILES - MANY_ACTIVE} idle, ${MANY_ACTIVE} x ${MANY_RATE} lines/s for ${steadyTo} s), median of ${runs}:`,
  );
  console.log('| measure | ours | tail -F | goal |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| CPU, % of a core, steady (${steadyFrom}–${steadyTo} s of appends) | ${m((r) => r.ours.steadyCpuPercent ?? Number.NaN)} % | ${m((r) => r.gnu.steadyCpuPercent ?? Number.NaN)} % | < 2 % |`,
  );
  console.log(
    `| CPU, % of a core, first ${MANY_SECONDS} s after start | ${m((r) => r.ours.cpuPercent)} % | ${m((r) => r.gnu.cpuPercent)} % | |`,
  );
  console.log(
    `| append-to-output p99 (p50), ms | ${m((r) => r.ours.p99)} (${m((r) => r.ours.p50)}) | ${m((r) => r.gnu.p99)} (${m((r) => r.gnu.p50)}) | < 5 ms |`,
  );
  console.log(`\n${cpus().length} cores, node ${process.version}, CLI ${CLI_BIN}`);
}
