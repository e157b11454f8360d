import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { seededRandom, tempDir, waitFor } from '@fanout/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The model of issue #18: writers append numbered lines to several inputs while a driver
 * applies random rotations in every scheme logrotate has (numbered shift `.1/.2`, `.N`
 * increasing, date-stamped, copytruncate) plus delete-and-re-create, and kills the merger
 * with SIGKILL at random moments (sometimes before its first periodic checkpoint, sometimes
 * rotating several times while it is down), restarting it each time from its checkpoint.
 *
 * The oracle, per input: every output line is a whole written line (no fragment), lines
 * appear in the order written, none twice, and every line that was not destroyed (a file
 * deleted, or the lines `copytruncate` wipes between its copy and its truncation) is there.
 * (That the loss of a file the merger knew is reported is tested apart, deterministically: a
 * file can also be created and deleted while no merger runs, a loss nobody can see.)
 */

const child = fileURLToPath(new URL('./fixtures/model-child.mjs', import.meta.url));
type Scheme = 'shift' | 'increasing' | 'date' | 'copytruncate' | 'compress' | 'delaycompress';
const RENAMES: Scheme[] = ['shift', 'increasing', 'date'];
const KEEP = 4; // rotated files kept, as logrotate's `rotate 4`

interface Input {
  index: number;
  path: string;
  scheme: Scheme;
  written: string[];
  /** Lines that were destroyed at some point (they may rightly be missing). */
  destroyed: Set<string>;
  rotations: number;
}

let dir = '';
let cleanup: () => Promise<void> = async () => {};
const running = new Set<ChildProcess>();
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail-model'));
});
afterEach(async () => {
  for (const p of running) p.kill('SIGKILL');
  await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function linesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/**
 * As gzip does it: `NAME.gz` written, with the file's time kept, then `NAME` removed. The
 * time is kept as Node's `stat().mtime` gives it, rounded to the millisecond: the `.gz` may
 * look up to 0.5 ms newer than the file rotated after it, which the reading order must not
 * believe over the names.
 */
function compress(path: string): void {
  const { atime, mtime } = statSync(path);
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
  utimesSync(`${path}.gz`, atime, mtime);
  unlinkSync(path);
}

function destroy(input: Input, path: string): void {
  for (const line of linesOf(path)) input.destroyed.add(line);
  unlinkSync(path);
}

/** Rotated siblings of an input with a number (`NAME.N`, `NAME.N.gz`), highest first. */
function numbered(input: Input): { k: number; suffix: string }[] {
  const base = basename(input.path);
  return readdirSync(dir)
    .filter((n) => n.startsWith(`${base}.`) && /^\d+(\.gz)?$/.test(n.slice(base.length + 1)))
    .map((n) => {
      const rest = n.slice(base.length + 1);
      return { k: Number.parseInt(rest, 10), suffix: rest.endsWith('.gz') ? '.gz' : '' };
    })
    .sort((a, b) => b.k - a.k);
}

function rotate(input: Input, rnd: () => number): void {
  const p = input.path;
  if (!existsSync(p)) return;
  input.rotations++;
  const n = input.rotations;
  switch (input.scheme) {
    case 'shift':
    case 'compress':
    case 'delaycompress':
    case 'copytruncate': {
      for (const { k, suffix } of numbered(input)) {
        if (k >= KEEP) destroy(input, `${p}.${k}${suffix}`);
        else renameSync(`${p}.${k}${suffix}`, `${p}.${k + 1}${suffix}`);
      }
      if (input.scheme !== 'copytruncate') {
        renameSync(p, `${p}.1`);
        // logrotate's `compress` gzips the file just rotated; `delaycompress` the one before.
        if (input.scheme === 'compress') compress(`${p}.1`);
        if (input.scheme === 'delaycompress' && existsSync(`${p}.2`)) compress(`${p}.2`);
        return;
      }
      copyFileSync(p, `${p}.1`);
      // Lines the application writes between the copy and the truncation are destroyed.
      const between = rnd() < 0.4 ? 1 + Math.floor(rnd() * 3) : 0;
      for (let k = 0; k < between; k++) appendLine(input, rnd);
      const copied = new Set(linesOf(`${p}.1`));
      for (const line of linesOf(p)) if (!copied.has(line)) input.destroyed.add(line);
      truncateSync(p, 0);
      return;
    }
    case 'increasing': {
      renameSync(p, `${p}.${n}`);
      if (existsSync(`${p}.${n - KEEP}`)) destroy(input, `${p}.${n - KEEP}`);
      return;
    }
    case 'date': {
      const stamp = (k: number) => `${p}-202612${String(k).padStart(4, '0')}`;
      renameSync(p, stamp(n));
      if (existsSync(stamp(n - KEEP))) destroy(input, stamp(n - KEEP));
      return;
    }
  }
}

function appendLine(input: Input, rnd: () => number): void {
  const seq = input.written.length;
  const line = `i${input.index} ${String(seq).padStart(7, '0')} ${'x'.repeat(Math.floor(rnd() * 60))}`;
  input.written.push(line);
  appendFileSync(input.path, `${line}\n`);
}

interface Merger {
  proc: ChildProcess;
  exited: Promise<number | null>;
}

function startMerger(
  inputs: Input[],
  follow: boolean,
  checkpointIntervalMs: number,
  reports: string[],
): Merger {
  const config = {
    inputs: inputs.map((i) => i.path),
    output: join(dir, 'merged.out'),
    checkpoint: join(dir, 'merged.ckpt'),
    follow,
    checkpointIntervalMs,
    compressed: inputs.some((i) => i.scheme.endsWith('compress')) ? 'read' : 'skip',
  };
  const proc = spawn(process.execPath, [child, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  proc.stdout?.resume();
  const exited = new Promise<number | null>((resolve) =>
    proc.on('close', (code) => {
      running.delete(proc);
      reports.push(...err.split('\n').filter((l) => l !== ''));
      resolve(code);
    }),
  );
  return { proc, exited };
}

async function runModel(seed: number, restarts: number, schemes: Scheme[]): Promise<void> {
  const rnd = seededRandom(seed);
  const inputs: Input[] = [0, 1, 2].map((index) => ({
    index,
    path: join(dir, `in${index}.log`),
    scheme: schemes[(seed + index) % schemes.length] as Scheme,
    written: [],
    destroyed: new Set(),
    rotations: 0,
  }));
  const pick = () => inputs[Math.floor(rnd() * inputs.length)] as Input;
  const reports: string[] = [];
  const interval = () => [10, 40, 2000][Math.floor(rnd() * 3)] as number;
  for (const input of inputs) appendLine(input, rnd);
  let merger: Merger | undefined = startMerger(inputs, true, interval(), reports);
  // The merge has begun once its first checkpoint exists (written as soon as the inputs are
  // open): before that, a restart is a first start, which takes rotated files for history.
  await waitFor(() => existsSync(join(dir, 'merged.ckpt')), 'the first checkpoint', 20_000);
  let kills = 0;
  // Each run lives a random while (wall time: a run that is killed before it did anything
  // tests nothing), then is killed with SIGKILL at whatever it is doing.
  const lifetime = () => 40 + Math.floor(rnd() * 400);
  let killAt = performance.now() + lifetime();
  while (kills < restarts) {
    const roll = rnd();
    if (roll < 0.55) {
      const input = pick();
      const burst = 1 + Math.floor(rnd() * 15);
      for (let k = 0; k < burst; k++) appendLine(input, rnd);
    } else if (roll < 0.7) {
      rotate(pick(), rnd);
    } else if (roll < 0.73) {
      const input = pick();
      if (existsSync(input.path)) destroy(input, input.path);
    } else {
      await sleep(Math.floor(rnd() * 12));
    }
    if (merger && performance.now() >= killAt) {
      merger.proc.kill('SIGKILL');
      await merger.exited;
      merger = undefined;
      kills++;
      // While it is down: nothing, or up to three rotations with lines between them.
      const down = Math.floor(rnd() * 4);
      for (let k = 0; k < down; k++) {
        const input = pick();
        for (let j = Math.floor(rnd() * 10); j > 0; j--) appendLine(input, rnd);
        rotate(input, rnd);
      }
      merger = startMerger(inputs, true, interval(), reports);
      killAt = performance.now() + lifetime();
    }
  }
  merger?.proc.kill('SIGKILL');
  await merger?.exited;
  for (const input of inputs) appendLine(input, rnd); // each input exists at the end
  const last = startMerger(inputs, false, 1000, reports);
  const code = await last.exited;
  const said = reports
    .filter((r) => !r.startsWith('{'))
    .slice(-5)
    .join(' | ');
  expect(code, `final merge exit (seed ${seed}): ${said}`).toBe(0);

  const out = (await readFile(join(dir, 'merged.out'), 'utf8')).split('\n');
  expect(out.pop(), 'the output ends with a newline').toBe('');
  const got: string[][] = inputs.map(() => []);
  for (const line of out) {
    const index = Number(/^i(\d) /.exec(line)?.[1] ?? -1);
    expect(got[index], `a whole line of some input: ${JSON.stringify(line)}`).toBeDefined();
    got[index]?.push(line);
  }
  for (const input of inputs) {
    const label = `input ${input.index} (${input.scheme}, seed ${seed}, ${kills} kills)`;
    const lines = got[input.index] as string[];
    let previous = -1;
    for (const line of lines) {
      const seq = Number(line.slice(3, 10));
      expect(line, `${label}: not a fragment`).toBe(input.written[seq]);
      expect(seq, `${label}: in order, none twice`).toBeGreaterThan(previous);
      previous = seq;
    }
    const present = new Set(lines);
    const lost = input.written.filter((l) => !present.has(l) && !input.destroyed.has(l));
    expect(lost, `${label}: lines lost that were never destroyed`).toEqual([]);
  }
  expect(reports.filter((r) => r.includes('"type":"error"'))).toEqual([]);
}

describe('rotation and kill -9 model (child processes on the built package)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'rename schemes (.1/.2 shift, .N increasing, date stamps) and delete: nothing lost or twice (seed %i)',
    async (seed) => {
      await runModel(seed, 5, RENAMES);
    },
    60_000,
  );
  it.each([1, 2, 3, 4, 5, 6])(
    'compress and delaycompress (compressed: read) and delete: nothing lost or twice (seed %i)',
    async (seed) => {
      await runModel(seed, 5, ['compress', 'delaycompress']);
    },
    60_000,
  );
  it.each([1, 2, 3, 4, 5, 6])(
    'copytruncate and delete: nothing lost but what the rotation destroys, nothing twice (seed %i)',
    async (seed) => {
      await runModel(seed, 5, ['copytruncate']);
    },
    60_000,
  );
});
