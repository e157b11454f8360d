import { type TempDir, tempDir } from '@fanout/test-kit';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
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
