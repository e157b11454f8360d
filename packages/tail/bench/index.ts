import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mergeFiles } from '../src/index.js';
import { checkMerged } from './data.js';
import { CLI_BIN, makeIdleFiles, measureIdle } from './idle.js';
import { followLatency } from './latency.js';
import { wholeProcess, wholeProcessRows } from './whole-process.js';
import { seedDesignMerge } from './seed-port.js';
import { followFloorCommand, MANY_STEADY, manyFilesMain } from './many-files.js';

const FILES = 8;
const LINES = 1_000_000;
const SAMPLE_LINES = 4_000; // per input, for the seed's one-call-per-line design
const RUNS = 3;
const IDLE_FILES = 1000;
const IDLE_ACTIVE = 10;
const IDLE_RATE = 20; // lines/s per busy file
const IDLE_SECONDS = 10;

/** Rounds of the whole-process comparison (each: cat, then every Node binary). */
const WP_RUNS = 7;

type Row = [string, string, string, string];

function printTable(rows: Row[]): void {
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  const print = (r: string[]) =>
    `| ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  console.log(print(rows[0] as string[]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(print(r));
}

function printWholeRuns(wp: ReturnType<typeof wholeProcess>): void {
  const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`whole-process runs, ms: cat ${ms(wp.catRuns)}`);
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    console.log('  (Node processes timed without NODE_EXTRA_CA_CERTS: see measuredEnv)');
  }
  for (const n of wp.nodes)
    console.log(`  fanout tail on node ${n.node.version}: ${ms(n.ourRuns)}`);
}

/**
 * `--whole-process [--runs N]`: only the whole-process rows (8 x 300,000 lines, every Node
 * binary of `benchNodes`: set FANOUT_BENCH_NODES to choose them), against cat.
 */
async function wholeProcessMain(runs: number): Promise<void> {
  if (!existsSync(CLI_BIN)) throw new Error(`build the CLI first: ${CLI_BIN} is missing`);
  const dir = await mkdtemp(join(tmpdir(), 'fanout-tail-bench-'));
  try {
    const inputs = generate(dir, FILES, 300_000);
    const wp = wholeProcess(CLI_BIN, inputs, join(dir, 'wp.out'), runs);
    printTable([['benchmark', 'ours', 'baseline', 'ratio'], ...wholeProcessRows(wp, FILES, runs)]);
    console.log(`\n${cpus().length} cores`);
    printWholeRuns(wp);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Event-loop watch during the merge: @fanout/executors' watchEventLoop, else perf_hooks. */
async function startWatch(): Promise<{
  stop: () => { slow: number; maxSlowMs: number; source: string };
}> {
  try {
    const { watchEventLoop } = await import('@fanout/executors');
    let slow = 0;
    let maxSlowMs = 0;
    const watch = watchEventLoop({
      thresholdMs: 20,
      onSlow: (e) => {
        slow++;
        console.error(`slow callback: ${e.durationMs.toFixed(1)} ms, ${e.origin}`);
        maxSlowMs = Math.max(maxSlowMs, e.durationMs);
      },
    });
    return {
      stop: () => {
        const delay = watch.delay();
        watch.stop();
        return {
          slow,
          maxSlowMs: Math.max(maxSlowMs, 0),
          source: `watchEventLoop (loop delay max ${delay.max.toFixed(1)} ms)`,
        };
      },
    };
  } catch {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    return {
      stop: () => {
        h.disable();
        const maxMs = h.max / 1e6;
        return {
          slow: maxMs > 20 ? 1 : 0,
          maxSlowMs: maxMs,
          source: 'perf_hooks.monitorEventLoopDelay (fallback)',
        };
      },
    };
  }
}

/** Generates inputs in a child process, then flushes them to disk so writeback does not skew runs. */
function generate(dir: string, files: number, lines: number): string[] {
  const script = fileURLToPath(new URL('./generate.ts', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', script, dir, String(files), String(lines)], {
    stdio: 'inherit',
  });
  execFileSync('sync');
  return Array.from({ length: files }, (_, f) => join(dir, `input-${f}.log`));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fanout-tail-bench-'));
  try {
    const t0 = performance.now();
    const inputs = generate(dir, FILES, LINES);
    console.error(
      `generated ${FILES} x ${fmt(LINES)} lines in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const out = join(dir, 'merged.log');

    // cat of the same files into a fresh file: the floor.
    const catRates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      await rm(out, { force: true });
      const t = performance.now();
      execFileSync('sh', ['-c', `cat "$@" > ${JSON.stringify(out)}`, 'cat', ...inputs]);
      catRates.push((FILES * LINES) / ((performance.now() - t) / 1000));
    }

    // Each contender starts from a flushed disk, as cat's first run does after generate():
    // otherwise the writeback of the previous contender's output lands on the next one.
    await rm(out, { force: true });
    execFileSync('sync');
    const pipeRates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      await rm(out, { force: true });
      const t = performance.now();
      execFileSync('sh', ['-c', `cat "$@" | cat > ${JSON.stringify(out)}`, 'cat', ...inputs]);
      pipeRates.push((FILES * LINES) / ((performance.now() - t) / 1000));
    }

    await rm(out, { force: true });
    execFileSync('sync');
    const ourRates: number[] = [];
    const watched = { slow: 0, maxSlowMs: 0, source: '' };
    for (let r = 0; r < RUNS; r++) {
      await rm(out, { force: true });
      const watch = await startWatch();
      const result = await mergeFiles(inputs, out);
      const seen = watch.stop();
      watched.slow += seen.slow;
      watched.maxSlowMs = Math.max(watched.maxSlowMs, seen.maxSlowMs);
      watched.source = seen.source;
      ourRates.push(result.linesPerSecond);
    }
    // After the timed runs, so the check's garbage does not land in them.
    const checked = checkMerged(await readFile(out), FILES, LINES);
    console.error(`every line checked (${fmt(checked)} lines, each input once, in order)`);
    await rm(out, { force: true });

    const sampleDir = join(dir, 'sample');
    await mkdir(sampleDir);
    const sampleInputs = generate(sampleDir, FILES, SAMPLE_LINES);
    const seedOut = join(dir, 'seed.log');
    const ts = performance.now();
    const seedLines = await seedDesignMerge(sampleInputs, seedOut);
    const seedRate = seedLines / ((performance.now() - ts) / 1000);
    checkMerged(await readFile(seedOut), FILES, SAMPLE_LINES);
    await rm(seedOut, { force: true });

    const latency = await followLatency(dir, 8, 10_000, 3);

    // Whole processes: 8 x 300,000 lines, cat against the fanout CLI, start-up included.
    const wpDir = join(dir, 'whole');
    await mkdir(wpDir);
    const wpInputs = generate(wpDir, FILES, 300_000);
    const haveCli = existsSync(CLI_BIN);
    const wp = haveCli ? wholeProcess(CLI_BIN, wpInputs, join(dir, 'wp.out'), WP_RUNS) : undefined;
    await rm(wpDir, { recursive: true, force: true });

    // Following 1,000 files of which 10 are busy: CPU and latency against GNU tail -F.
    const idleDir = join(dir, 'idle');
    const idleFiles = await makeIdleFiles(idleDir, IDLE_FILES);
    const idle = haveCli
      ? await measureIdle(
          {
            file: process.execPath,
            args: [
              CLI_BIN,
              'tail',
              join(idleDir, '*.log'),
              '--follow',
              '-o',
              join(dir, 'idle-ours.out'),
            ],
            cwd: dir,
          },
          idleFiles,
          join(dir, 'idle-ours.out'),
          IDLE_ACTIVE,
          IDLE_RATE,
          IDLE_SECONDS,
          MANY_STEADY,
        )
      : undefined;
    const gnu = await measureIdle(
      {
        file: 'sh',
        args: [
          '-c',
          `exec tail -q -n +1 -F "$@" > ${JSON.stringify(join(dir, 'idle-tail.out'))}`,
          'tail',
          ...idleFiles,
        ],
        cwd: dir,
      },
      idleFiles,
      join(dir, 'idle-tail.out'),
      IDLE_ACTIVE,
      IDLE_RATE,
      IDLE_SECONDS,
      MANY_STEADY,
    );
    const floor = await measureIdle(
      followFloorCommand(idleDir, join(dir, 'idle-floor.out'), dir),
      idleFiles,
      join(dir, 'idle-floor.out'),
      IDLE_ACTIVE,
      IDLE_RATE,
      IDLE_SECONDS,
      MANY_STEADY,
    );

    const ours = median(ourRates);
    const cat = median(catRates);
    const rows: Row[] = [
      ['benchmark', 'ours', 'baseline', 'ratio'],
      [
        `merge ${FILES} x ${fmt(LINES)} lines, lines/s (median of ${RUNS})`,
        fmt(ours),
        `cat > file: ${fmt(cat)}`,
        `${(ours / cat).toFixed(2)}x (goal >= 0.5x)`,
      ],
      [
        'same, against cat through a pipe (user-space copies)',
        fmt(ours),
        `cat | cat: ${fmt(median(pipeRates))}`,
        `${(ours / median(pipeRates)).toFixed(2)}x`,
      ],
      [
        `merge, lines/s vs the seed's design (sample ${FILES} x ${fmt(SAMPLE_LINES)})`,
        fmt(ours),
        `seed design: ${fmt(seedRate)}`,
        `${(ours / seedRate).toFixed(0)}x`,
      ],
      [
        'follow latency p99, 8 inputs x 10k lines/s, defaults',
        `${latency.p99.toFixed(1)} ms`,
        'goal: 50 ms',
        `p50 ${latency.p50.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms, ${fmt(latency.lines)} lines`,
      ],
      ...(wp
        ? wholeProcessRows(wp, FILES, WP_RUNS)
        : [['whole process, merge 8 x 300,000 lines', 'CLI not built', '-', '-'] as Row]),
      [
        `follow ${IDLE_FILES} files (${IDLE_FILES - IDLE_ACTIVE} idle, ${IDLE_ACTIVE} x ${IDLE_RATE} lines/s): CPU, % of a core, steady (${MANY_STEADY.after}–${MANY_STEADY.after + MANY_STEADY.seconds} s)`,
        idle ? `${(idle.steadyCpuPercent ?? Number.NaN).toFixed(2)} %` : 'CLI not built',
        `tail -F: ${(gnu.steadyCpuPercent ?? Number.NaN).toFixed(2)} %; Node floor: ${(floor.steadyCpuPercent ?? Number.NaN).toFixed(2)} %`,
        'goal: < 2 %',
      ],
      [
        `same, first ${IDLE_SECONDS} s after start`,
        idle ? `${idle.cpuPercent.toFixed(2)} %` : 'CLI not built',
        `tail -F: ${gnu.cpuPercent.toFixed(2)} %`,
        '',
      ],
      [
        'same, append-to-output latency p99 (p50, max)',
        idle ? `${idle.p99.toFixed(2)} ms (${idle.p50.toFixed(2)}, ${idle.max.toFixed(1)})` : '-',
        `tail -F: ${gnu.p99.toFixed(2)} ms (${gnu.p50.toFixed(2)}, ${gnu.max.toFixed(1)})`,
        `goal: < 5 ms; lines ${idle?.lines ?? 0} / ${gnu.lines}`,
      ],
      [
        `callbacks over 20 ms during the big merges (${RUNS} runs)`,
        String(watched.slow),
        'goal: 0',
        watched.slow > 0 ? `longest ${watched.maxSlowMs.toFixed(1)} ms` : watched.source,
      ],
    ];
    printTable(rows);
    console.log(
      `\n${cpus().length} cores, node ${process.version}; cat runs: ${catRates.map(fmt).join(', ')}; ours: ${ourRates.map(fmt).join(', ')}`,
    );
    if (wp) printWholeRuns(wp);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The number after `flag` on the command line, or `fallback` when the flag is absent. */
function numberArg(flag: string, fallback: number, min = 0): number {
  const at = process.argv.indexOf(flag);
  if (at < 0) return fallback;
  const text = process.argv[at + 1];
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min) {
    throw new Error(`${flag} ${text ?? '(missing)'}: need a number >= ${min}`);
  }
  return value;
}

if (process.argv.includes('--many-files')) {
  const from = numberArg('--steady-from', MANY_STEADY.after);
  const to = numberArg('--steady-to', MANY_STEADY.after + MANY_STEADY.seconds);
  if (!(from >= 0 && to > from)) {
    throw new Error(`--steady-from ${from} --steady-to ${to}: need 0 <= from < to`);
  }
  await manyFilesMain(numberArg('--runs', 3, 1), { after: from, seconds: to - from });
} else if (process.argv.includes('--whole-process')) {
  await wholeProcessMain(numberArg('--runs', 15, 1));
} else {
  await main();
}
