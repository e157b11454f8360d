import { type TempDir, tempDir } from '@fanout/test-kit';
import { appendFile, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { killAll, parseOneJson, runCli, startCli } from './helpers.js';

let dir: TempDir;
const dirs: TempDir[] = [];
beforeEach(async () => {
  dir = await tempDir('cli');
  dirs.push(dir);
});
afterAll(async () => {
  killAll();
  await Promise.all(dirs.map((d) => d.cleanup()));
});

/** Writes `count` numbered lines for log `name` and returns them. */
async function makeLog(name: string, count: number, from = 0): Promise<string[]> {
  const lines = Array.from({ length: count }, (_, i) => `${name} line ${from + i}`);
  await appendFile(join(dir.dir, name), lines.map((line) => `${line}\n`).join(''));
  return lines;
}

/** Checks that `merged` holds exactly `inputs`' lines, each input in order. */
function expectMerged(merged: string[], inputs: string[][]): void {
  expect([...merged].sort()).toEqual(inputs.flat().sort());
  for (const lines of inputs) {
    expect(merged.filter((line) => lines.includes(line))).toEqual(lines);
  }
}

describe('fanout tail', () => {
  it('merges generated files into -o and prints a summary', async () => {
    const a = await makeLog('a.log', 300);
    const b = await makeLog('b.log', 200);
    const out = join(dir.dir, 'out.log');
    const result = await runCli(['tail', 'a.log', 'b.log', '-o', out], { cwd: dir.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^merged 2 files into .*out\.log: 500 lines, [\d,]+ bytes in [\d.]+ seconds\n$/,
    );
    expectMerged((await readFile(out, 'utf8')).split('\n').slice(0, -1), [a, b]);
  });

  it('writes to stdout with --prefix and flushes a last line without newline', async () => {
    const a = await makeLog('a.log', 3);
    await writeFile(join(dir.dir, 'b.log'), 'first\nunfinished');
    const result = await runCli(['tail', '--prefix', 'a.log', 'b.log'], { cwd: dir.dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').slice(0, -1);
    expectMerged(lines, [a.map((line) => `a.log: ${line}`), ['b.log: first', 'b.log: unfinished']]);
  });

  it('prints exactly one JSON object with --json', async () => {
    await makeLog('a.log', 10);
    await makeLog('b.log', 5);
    const result = await runCli(['tail', 'a.log', 'b.log', '-o', 'out.log', '--json'], {
      cwd: dir.dir,
    });
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({ files: 2, lines: 15 });
    expect(json.bytes).toBe((await readFile(join(dir.dir, 'out.log'))).length);
    expect(typeof json.seconds).toBe('number');
    expect(typeof json.linesPerSecond).toBe('number');
  });

  it('resumes from a checkpoint without losing or repeating lines', async () => {
    const first = await makeLog('a.log', 50);
    const args = ['tail', 'a.log', '-o', 'out.log', '--checkpoint', 'tail.ckpt'];
    expect((await runCli(args, { cwd: dir.dir })).code).toBe(0);
    const second = await makeLog('a.log', 25, 50);
    expect((await runCli(args, { cwd: dir.dir })).code).toBe(0);
    const merged = (await readFile(join(dir.dir, 'out.log'), 'utf8')).split('\n').slice(0, -1);
    expect(merged).toEqual([...first, ...second]);
  });

  it('--follow picks up new lines and stops within a second of SIGTERM, exit 143', async () => {
    const a = await makeLog('a.log', 5);
    const out = join(dir.dir, 'out.log');
    const tail = startCli(['tail', '--follow', '--interval', '20', 'a.log', '-o', out], {
      cwd: dir.dir,
    });
    const more = await makeLog('a.log', 5, 5);
    // Wait (bounded) until the follower has written the appended lines.
    const deadline = Date.now() + 10_000;
    let merged: string[] = [];
    while (Date.now() < deadline) {
      merged = (await readFile(out, 'utf8').catch(() => '')).split('\n').slice(0, -1);
      if (merged.length >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(merged).toEqual([...a, ...more]);
    const sent = performance.now();
    tail.child.kill('SIGTERM');
    const exit = await tail.exited();
    expect(exit.code).toBe(143);
    expect(performance.now() - sent).toBeLessThan(1000);
    expect((await readFile(out, 'utf8')).split('\n').slice(0, -1)).toEqual([...a, ...more]);
  });

  it('--follow writes its checkpoint on SIGTERM; a restart continues without loss or repeats', async () => {
    const out = join(dir.dir, 'out.log');
    const args = [
      'tail',
      '--follow',
      '--interval',
      '20',
      '--checkpoint',
      'tail.ckpt',
      'a.log',
      '-o',
      out,
    ];
    const readOut = async () =>
      (await readFile(out, 'utf8').catch(() => '')).split('\n').slice(0, -1);
    const waitForLines = async (count: number) => {
      const deadline = Date.now() + 10_000;
      while ((await readOut()).length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const first = await makeLog('a.log', 20);
    const run1 = startCli(args, { cwd: dir.dir });
    await waitForLines(20);
    run1.child.kill('SIGTERM');
    expect((await run1.exited()).code).toBe(143);
    // Written while nothing follows the file.
    const second = await makeLog('a.log', 15, 20);
    const run2 = startCli(args, { cwd: dir.dir });
    await waitForLines(35);
    run2.child.kill('SIGINT');
    expect((await run2.exited()).code).toBe(130);
    expect(await readOut()).toEqual([...first, ...second]);
  });

  it('says "1 file" for one input', async () => {
    await makeLog('a.log', 3);
    const result = await runCli(['tail', 'a.log', '-o', 'out.log'], { cwd: dir.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^merged 1 file into out\.log: 3 lines, /);
  });

  it('expands a quoted glob itself, leaves --exclude matches, and writes --format json records', async () => {
    const a = await makeLog('a.log', 2);
    await makeLog('b.log', 2);
    await makeLog('c.txt', 2);
    const result = await runCli(
      ['tail', '*.log', '--exclude', 'b.*', '--format', 'json', '-o', 'out.json'],
      { cwd: dir.dir },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^merged 1 file into/);
    const records = (await readFile(join(dir.dir, 'out.json'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toEqual([
      { file: 'a.log', offset: 0, line: a[0] },
      { file: 'a.log', offset: a[0]!.length + 1, line: a[1] },
    ]);
  });

  it('--compressed read: a generation gzipped while fanout was down is read on; a damaged .gz is named on stderr', async () => {
    const a = await makeLog('a.log', 50);
    const args = ['tail', 'a.log', '-o', 'out.log', '--checkpoint', 'out.ckpt'];
    expect((await runCli(args, { cwd: dir.dir })).code).toBe(0);
    const more = await makeLog('a.log', 30, 50);
    // logrotate with compress: a.log -> a.log.1 -> a.log.1.gz, then a new a.log.
    const log = join(dir.dir, 'a.log');
    await rename(log, `${log}.1`);
    await writeFile(`${log}.1.gz`, gzipSync(await readFile(`${log}.1`)));
    await unlink(`${log}.1`);
    const next = await makeLog('a.log', 5, 80);
    await writeFile(join(dir.dir, 'a.log.2.gz'), 'not gzip at all\n');
    const result = await runCli([...args, '--compressed', 'read'], { cwd: dir.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^fanout tail: .*a\.log\.2\.gz is a damaged compressed file/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    const merged = (await readFile(join(dir.dir, 'out.log'), 'utf8')).trimEnd().split('\n');
    expect(merged).toEqual([...a, ...more, ...next]);
  });

  it('--multiline keeps a stack trace in one record', async () => {
    await writeFile(
      join(dir.dir, 'app.log'),
      'INFO start\nERROR boom\n  at f (x.js:1)\n  at g (x.js:2)\nINFO done\n',
    );
    const result = await runCli(
      ['tail', 'app.log', '--multiline', '^(INFO|ERROR)', '--format', 'json', '-o', 'out.json'],
      { cwd: dir.dir },
    );
    expect(result.code).toBe(0);
    const lines = (await readFile(join(dir.dir, 'out.json'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).line)).toEqual([
      'INFO start',
      'ERROR boom\n  at f (x.js:1)\n  at g (x.js:2)',
      'INFO done',
    ]);
  });

  /** A first merge of a.log with a checkpoint: its lines, the args, the checkpoint's path and content. */
  async function checkpointed() {
    const first = await makeLog('a.log', 30);
    const args = ['tail', 'a.log', '-o', 'out.log', '--checkpoint', 'tail.ckpt'];
    expect((await runCli(args, { cwd: dir.dir })).code).toBe(0);
    const ckpt = join(dir.dir, 'tail.ckpt');
    const state = JSON.parse(await readFile(ckpt, 'utf8'));
    const key = Object.keys(state.inputs)[0] as string;
    const withGenerations = (change: (g: { identity: object }) => object) => ({
      ...state,
      inputs: {
        [key]: {
          ...state.inputs[key],
          generations: state.inputs[key].generations.map(change),
        },
      },
    });
    return { first, args, ckpt, state, withGenerations };
  }
  const outLines = async () =>
    (await readFile(join(dir.dir, 'out.log'), 'utf8')).split('\n').slice(0, -1);

  // Each case runs the CLI twice: on a busy machine one run can take seconds.
  it.each(['a negative outputLength', 'an offset past the end', 'a garbage inode'])(
    'refuses a checkpoint with %s (exit 2, one line naming it, nothing cut)',
    async (problem) => {
      const { first, args, ckpt, state, withGenerations } = await checkpointed();
      const hostile =
        problem === 'a negative outputLength'
          ? { ...state, outputLength: -5 }
          : problem === 'an offset past the end'
            ? withGenerations((g) => ({ ...g, offset: 10_000_000 }))
            : withGenerations((g) => ({
                ...g,
                identity: { ...g.identity, ino: '999999999', born: undefined },
              }));
      await writeFile(ckpt, JSON.stringify(hostile));
      const result = await runCli(args, { cwd: dir.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/tail\.ckpt/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await outLines()).toEqual(first);
    },
    60_000,
  );

  it('starts over from a checkpoint that does not match with --start-over', async () => {
    const { first, args, ckpt, withGenerations } = await checkpointed();
    await writeFile(ckpt, JSON.stringify(withGenerations((g) => ({ ...g, offset: 10_000_000 }))));
    const over = await runCli([...args, '--start-over'], { cwd: dir.dir });
    expect(over.code).toBe(0);
    expect(over.stderr).toMatch(/starting over/);
    expect(await outLines()).toEqual(first);
  }, 60_000);

  it('a FIFO input is reported, never hangs, and --follow still stops on SIGTERM', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir.dir, 'pipe')]);
    await makeLog('a.log', 2);
    const once = await runCli(['tail', 'pipe', '-o', 'out.log'], { cwd: dir.dir });
    expect(once.code).toBe(2);
    expect(once.stderr).toMatch(/pipe.*FIFO/);
    const tail = startCli(['tail', '--follow', 'a.log', 'pipe', '-o', 'out.log'], { cwd: dir.dir });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !tail.stderr().includes('FIFO')) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(tail.stderr()).toMatch(/pipe.*FIFO/);
    tail.child.kill('SIGTERM');
    expect((await tail.exited()).code).toBe(143);
  });

  describe.concurrent('bad usage and input', () => {
    let errorsDir: TempDir;
    beforeAll(async () => {
      errorsDir = await tempDir('cli');
      dirs.push(errorsDir);
      await writeFile(join(errorsDir.dir, 'a.log'), 'one line\n');
    });

    it.each([
      [['missing.log'], /^error: missing\.log: no such file or directory\n$/],
      [['a.log', '--json'], /--json needs -o\/--output/],
      [['a.log', '--follow', '--json', '-o', 'x'], /--json cannot be used with --follow/],
      [
        ['a.log', '--from', 'middle'],
        /argument 'middle' is invalid. Allowed choices are start, end/,
      ],
      [['a.log', '--interval', '0'], /option '--interval <ms>' argument '0' is invalid/],
      [
        ['a.log', '--compressed', 'zip'],
        /option '--compressed <mode>' argument 'zip' is invalid. Allowed choices are skip, read/,
      ],
      [['a.log', '-o', 'a.log'], /-o a\.log is also an input/],
      [['a.log', '-o', './a.log'], /-o \.\/a\.log is also an input/],
      [[], /missing required argument 'file'/],
    ])('exits 2 for tail %j', async (args, message) => {
      const result = await runCli(['tail', ...args], { cwd: errorsDir.dir });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});
