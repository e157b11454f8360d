/**
 * `pnpm --filter @fanout/parallel-gcd bench` (build first). Only two cores are shared by
 * everyone: run it as `flock /tmp/fanout-heavy.lock pnpm --filter @fanout/parallel-gcd bench`.
 *
 * 1. The chapter's experiment: serial vs async pool vs worker threads on the chapter's NUMBERS,
 *    repeated so that the serial run takes about a second (GCD_BENCH_SCALE overrides), in
 *    a plain `node` child process (see bench/parallel.mjs).
 * 2. naive vs Euclid vs binary on the same pairs.
 * 3. Euclid vs binary on BigInt pairs from 64 to 4096 bits.
 * 4. A million pairs from a file: read whole (the previous CLI) vs streamed, per mode, with
 *    peak memory, each in a fresh `node` process (bench/stream.mjs).
 * 5. Stopping a run on one pair of 450,000-digit numbers (issue #19's): time from abort to
 *    rejection and the longest event-loop stall, against the whole gcd the previous release
 *    had to finish first (bench/stop.mjs).
 * Sections 1-3 are medians of ROUNDS runs (11; 5 for sections 2 and 3, whose figures
 * barely move) after one warm-up run; sections 4 and 5 of 3 runs (the whole gcds of
 * section 5, about a minute together, are timed once).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GcdAlgorithm, type GcdPair, gcdOf, chapterPairs } from '../dist/index.js';

const ROUNDS = Number(process.env.GCD_BENCH_ROUNDS ?? 11);
const SINGLE_THREAD_ROUNDS = Math.min(ROUNDS, 5);
const CORES = availableParallelism();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log();
}

/** Seconds of one synchronous pass of `algorithm` over `pairs`. */
function timeAlgorithm(pairs: readonly GcdPair[], algorithm: GcdAlgorithm): number {
  let sink = 0;
  const start = performance.now();
  for (const pair of pairs) sink += Number(gcdOf(pair, algorithm)) > 0 ? 1 : 0;
  const seconds = (performance.now() - start) / 1000;
  if (sink < 0) console.log(sink);
  return seconds;
}

interface ParallelTimes {
  readonly scale: number;
  readonly pairs: number;
  /** Cores' worth of CPU other processes used during the runs (Linux only). */
  readonly otherCores?: number;
  readonly serial: number[];
  readonly async: number[];
  readonly workers: number[];
  readonly workersCallerIdle: number[];
  readonly callerShare: number[];
  readonly ideal: number[];
  readonly idealRatio: number[];
}

function parallelRuns(): readonly GcdPair[] {
  const child = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('./parallel.mjs', import.meta.url)),
      String(ROUNDS),
      process.env.GCD_BENCH_SCALE ?? '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`bench/parallel.mjs failed with status ${child.status}`);
  const times = JSON.parse(child.stdout) as ParallelTimes;
  // Ratios are medians of per-round ratios: each round's runs follow each other within a
  // few seconds, so a burst of load from elsewhere skews a round's ratio less than it skews
  // a median of times taken minutes apart.
  const row = (
    name: 'serial' | 'async' | 'workers' | 'workersCallerIdle',
    label: string,
    python: string,
    pythonRatio: string,
  ): string[] => [
    label,
    median(times[name]).toFixed(3),
    `${median(times.serial.map((s, i) => s / times[name][i]!)).toFixed(2)}×`,
    Math.min(...times[name]).toFixed(3),
    python,
    pythonRatio,
  ];
  console.log(
    `1. The chapter's experiment: NUMBERS × ${times.scale} = ${times.pairs} pairs, naive gcd, ` +
      `2 tasks/threads (median of ${ROUNDS}; pool and thread start-up included; ` +
      'ratios are medians of per-round ratios)',
  );
  table(
    ['run', 'seconds', 'vs serial', 'best', 'chapter (Python)', 'Python ratio'],
    [
      row('serial', 'serial', '1.173', '1.00×'),
      row('async', 'async (2 in flight)', '1.436 threads', '0.82×'),
      row('workers', 'workers (caller + 1 thread)', '0.683 processes', '1.72×'),
      row('workersCallerIdle', 'workers (2 threads, caller idle)', '', ''),
      [
        'ideal (2 threads already running)',
        median(times.ideal).toFixed(3),
        `${median(times.idealRatio).toFixed(2)}×`,
        Math.min(...times.ideal).toFixed(3),
        '',
        '',
      ],
    ],
  );
  console.log(
    '   ideal: the main thread and a worker thread started beforehand take the same pairs ' +
      'one at a time from a\n   shared counter, against the main thread alone: what two ' +
      'threads give on this machine at that moment,\n   with no start-up and no scheduling ' +
      'cost',
  );
  console.log(
    `   workers: the calling thread computed ${(100 * median(times.callerShare)).toFixed(0)}% ` +
      'of the pairs (median), the worker thread the rest',
  );
  if (times.otherCores !== undefined) {
    console.log(
      `   other processes used ${times.otherCores.toFixed(2)} cores on average meanwhile ` +
        '(0 on a quiet machine)',
    );
  }
  console.log();
  return chapterPairs(times.scale);
}

function algorithms(pairs: readonly GcdPair[]): void {
  const names: GcdAlgorithm[] = ['naive', 'euclid', 'binary'];
  const times = new Map<GcdAlgorithm, number[]>(names.map((n) => [n, []]));
  // The fast ones finish in microseconds: repeat them over many copies of the pairs.
  const many = Array.from({ length: 500 }, () => pairs).flat();
  for (let round = 0; round <= SINGLE_THREAD_ROUNDS; round++) {
    for (const name of names) {
      const input = name === 'naive' ? pairs : many;
      const perPair = timeAlgorithm(input, name) / input.length;
      if (round > 0) times.get(name)!.push(perPair);
    }
  }
  const naive = median(times.get('naive')!);
  console.log(
    `2. Algorithms on the same ${pairs.length} pairs, one thread ` +
      `(median of ${SINGLE_THREAD_ROUNDS} per pair)`,
  );
  table(
    ['algorithm', 'µs per pair', 'pairs / s', 'vs naive'],
    names.map((name) => {
      const perPair = median(times.get(name)!);
      return [
        name,
        (perPair * 1e6).toFixed(3),
        Math.round(1 / perPair).toLocaleString('en-US'),
        `${(naive / perPair).toFixed(0)}×`,
      ];
    }),
  );
}

function bigints(): void {
  let state = 0x2545f491;
  const word = (): bigint => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return BigInt(state >>> 0);
  };
  const random = (bits: number): bigint => {
    let v = 1n;
    while (v < 1n << BigInt(bits - 1)) v = (v << 32n) | word();
    return (v & ((1n << BigInt(bits)) - 1n)) | (1n << BigInt(bits - 1));
  };
  const rows: string[][] = [];
  for (const bits of [64, 128, 256, 512, 1024, 2048, 4096]) {
    const count = Math.max(20, Math.round(200_000 / bits));
    const pairs: GcdPair[] = Array.from({ length: count }, () => {
      const common = random(bits / 8);
      return [random(bits) * common, random(bits) * common];
    });
    const euclid: number[] = [];
    const binary: number[] = [];
    for (let round = 0; round <= SINGLE_THREAD_ROUNDS; round++) {
      const e = timeAlgorithm(pairs, 'euclid') / count;
      const b = timeAlgorithm(pairs, 'binary') / count;
      if (round > 0) {
        euclid.push(e);
        binary.push(b);
      }
    }
    const e = median(euclid);
    const b = median(binary);
    rows.push([`${bits}`, (e * 1e6).toFixed(1), (b * 1e6).toFixed(1), `${(e / b).toFixed(2)}×`]);
  }
  console.log(
    '3. BigInt pairs (operands about bits × 9/8 bits, common factor of bits/8), µs per pair ' +
      `(median of ${SINGLE_THREAD_ROUNDS})`,
  );
  table(['bits', 'euclid µs', 'binary µs', 'binary vs euclid'], rows);
}

/** Runs a bench script in a plain `node` child process and parses its one JSON line. */
function child<T>(script: string, args: readonly string[], nodeArgs: readonly string[] = []): T {
  const run = spawnSync(
    process.execPath,
    [...nodeArgs, fileURLToPath(new URL(script, import.meta.url)), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (run.status !== 0) throw new Error(`bench/${script} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Whether a script runs to the end within a V8 heap of `mb` megabytes. */
function fitsHeap(script: string, args: readonly string[], mb: number): boolean {
  const run = spawnSync(
    process.execPath,
    [`--max-old-space-size=${mb}`, fileURLToPath(new URL(script, import.meta.url)), ...args],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  return run.status === 0;
}

const STREAM_PAIRS = 1_000_000;
const STREAM_RUNS = 3;
const SMALL_HEAP_MB = 48;

function streams(): void {
  const dir = mkdtempSync(join(tmpdir(), 'gcd-bench-'));
  try {
    const file = join(dir, 'pairs.txt');
    // g·x, g·(x + 1): random 7- to 9-digit numbers, gcd g (as in the CLI tests).
    let state = 0x1234567;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const lines: string[] = [];
    for (let i = 0; i < STREAM_PAIRS; i++) {
      const g = 1 + (next() % 1000);
      const x = 1 + (next() % 1_000_000);
      lines.push(`${g * x} ${g * (x + 1)}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    interface StreamRun {
      readonly seconds: number;
      readonly maxRssMb: number;
      readonly pairs: number;
    }
    const measure = (input: string, mode: string) => {
      const runs = Array.from({ length: STREAM_RUNS }, () =>
        child<StreamRun>('./stream.mjs', [input, mode, file, 'euclid']),
      );
      return {
        seconds: median(runs.map((r) => r.seconds)),
        rss: median(runs.map((r) => r.maxRssMb)),
        fits: fitsHeap('./stream.mjs', [input, mode, file, 'euclid'], SMALL_HEAP_MB),
      };
    };
    const whole = measure('whole', 'serial');
    const rows: [string, ReturnType<typeof measure>][] = [
      ['serial, file read whole (previous CLI)', whole],
    ];
    for (const mode of ['serial', 'async', 'workers']) {
      rows.push([`${mode}, streamed`, measure('stream', mode)]);
    }
    console.log(
      `4. ${STREAM_PAIRS.toLocaleString('en-US')} pairs from a file (19 MB), Euclid, each run a fresh ` +
        `process (median of ${STREAM_RUNS}; seconds include reading and parsing)`,
    );
    table(
      ['run', 'seconds', 'vs whole', 'peak RSS MB', 'vs whole', `fits ${SMALL_HEAP_MB} MB heap`],
      rows.map(([label, m]) => [
        label,
        m.seconds.toFixed(3),
        `${(whole.seconds / m.seconds).toFixed(2)}×`,
        m.rss.toFixed(0),
        `${(m.rss / whole.rss).toFixed(2)}×`,
        m.fits ? 'yes' : 'no (out of memory)',
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STOP_DIGITS = '450000';

interface StopRuns {
  readonly digits: number;
  readonly rows: readonly {
    readonly mode: string;
    readonly algorithm: string;
    readonly stopMs: number | null;
    readonly longestStallMs: number;
  }[];
}

function stops(): void {
  const runs = Array.from({ length: 3 }, () => child<StopRuns>('./stop.mjs', [STOP_DIGITS]));
  const { whole } = child<{ whole: Readonly<Record<string, number>> }>('./stop.mjs', [
    STOP_DIGITS,
    'whole',
  ]);
  const first = runs[0]!;
  console.log(
    `5. Stopping a run on one pair of two ${first.digits.toLocaleString('en-US')}-digit numbers, ` +
      'aborted after 1 s (median of 3): abort to rejection and the longest event-loop stall, ' +
      'against the previous release, which computed the pair in one call on the calling thread ' +
      'and so stopped only when the gcd ended (its whole time, timed here, minus the 1 s)',
  );
  table(
    ['run', 'algorithm', 'stop ms', 'longest stall ms', 'previous: stop ms', 'ratio'],
    first.rows.map((row, i) => {
      const stop = median(runs.map((r) => r.rows[i]!.stopMs ?? Number.NaN));
      const stall = median(runs.map((r) => r.rows[i]!.longestStallMs));
      // With the caller idle, the previous release also terminated the thread at once.
      const idle = row.mode.includes('caller idle');
      const previous = whole[row.algorithm]! - 1000;
      return [
        row.mode,
        row.algorithm,
        stop.toFixed(1),
        stall.toFixed(0),
        idle ? 'as now (thread terminated)' : previous.toFixed(0),
        idle
          ? ''
          : previous / stop >= 1000
            ? '>1000× sooner'
            : `${(previous / stop).toFixed(0)}× sooner`,
      ];
    }),
  );
}

console.log(
  `@fanout/parallel-gcd bench — Node ${process.version}, ${CORES} cores ` +
    `(availableParallelism), load average ${loadavg()[0]!.toFixed(2)} at start\n`,
);
const pairs = parallelRuns();
algorithms(pairs);
bigints();
streams();
stops();
