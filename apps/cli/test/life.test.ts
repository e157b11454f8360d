import { type TempDir, tempDir } from '@fanout/test-kit';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAll,
  parseOneJson,
  runCli,
  SEED_COLUMNS,
  startCli,
  waitForCpuTime,
} from './helpers.js';

const SEED_FINAL = ['---------', '----*----', '-----*---', '---***---', '---------'].join('\n');

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('cli');
});
afterAll(async () => {
  killAll();
  await dir.cleanup();
});

describe.concurrent('fanout life', () => {
  it('prints the seed-demo columns byte for byte', async () => {
    const result = await runCli(['life', '--pattern', 'seed-demo', '--print', 'columns']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${SEED_COLUMNS}\n`);
  });

  it.concurrent.each([
    ['--executor', 'inline'],
    ['--executor', 'async'],
    ['--executor', 'pool', '--max-workers', '3', '--io-ms', '1'],
    ['--engine', 'bitwise'],
    ['--engine', 'workers', '--threads', '2'],
  ])('prints the same columns with %s %s', async (...flags) => {
    const result = await runCli(['life', '--pattern', 'seed-demo', '--print', 'columns', ...flags]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${SEED_COLUMNS}\n`);
  });

  it('prints the final generation by default', async () => {
    const result = await runCli(['life', '--pattern', 'seed-demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${SEED_FINAL}\n`);
  });

  it('prints one summary line with --print none', async () => {
    const result = await runCli(['life', '--pattern', 'seed-demo', '--print', 'none']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^4 generations of 5x9 \(cells\): population 5, .* cell updates\/s\n$/,
    );
  });

  it('prints exactly one JSON object with --json', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      'glider',
      '--generations',
      '8',
      '--engine',
      'bitwise',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({
      generations: 8,
      population: 5,
      width: 64,
      height: 64,
      engine: 'bitwise',
    });
    expect(typeof json.seconds).toBe('number');
    expect(typeof json.cellUpdatesPerSecond).toBe('number');
    expect(result.stderr).toBe('');
  });

  it('reads an RLE file and writes the final generation with --out', async () => {
    const input = join(dir.dir, 'blinker.rle');
    const output = join(dir.dir, 'out.rle');
    await writeFile(input, '#N blinker\nx = 3, y = 1, rule = B3/S23\n3o!\n');
    const result = await runCli([
      'life',
      '--pattern',
      input,
      '--size',
      '5x5',
      '--generations',
      '1',
      '--out',
      output,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(['-----', '--*--', '--*--', '--*--', '-----', ''].join('\n'));
    const rle = await readFile(output, 'utf8');
    // The world's topology and size go with it, as Golly writes a bounded grid.
    expect(rle).toMatch(/^x = 5, y = 5, rule = B3\/S23:T5,5\n/m);
    expect(rle.trimEnd().endsWith('!')).toBe(true);
  });

  it.each([
    ['plaintext', '!Name: blinker\n...\nOOO\n...\n'],
    ['Life 1.06', '#Life 1.06\n0 0\n1 0\n2 0\n'],
  ])('detects a %s pattern by content, whatever the file is called', async (format, text) => {
    const input = join(dir.dir, `pattern-${format.replace(/\W/g, '')}.txt`);
    await writeFile(input, text);
    const result = await runCli([
      'life',
      '--pattern',
      input,
      '--size',
      '5x5',
      '--generations',
      '1',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(parseOneJson(result.stdout)).toMatchObject({ population: 3, width: 5, height: 5 });
  });

  it('runs a seeded random soup reproducibly', async () => {
    const args = [
      'life',
      '--random',
      '0.3',
      '--seed',
      '7',
      '--size',
      '16x16',
      '--generations',
      '3',
      '--json',
    ];
    const first = parseOneJson((await runCli(args)).stdout);
    const second = parseOneJson((await runCli(args)).stdout);
    expect(first.population).toBe(second.population);
    expect(first).toMatchObject({ width: 16, height: 16, generations: 3 });
  });

  it('runs an unbounded world', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      'glider',
      '--topology',
      'unbounded',
      '--generations',
      '4',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(parseOneJson(result.stdout)).toMatchObject({ population: 5, engine: 'unbounded' });
  });

  it('stops a long run on SIGTERM with exit 143', async () => {
    // The cells engine settles through microtasks; the CLI must still hear the signal.
    const life = startCli([
      'life',
      '--pattern',
      'r-pentomino',
      '--size',
      '96x96',
      '--generations',
      '1000000',
      '--print',
      'none',
    ]);
    // Startup takes ~0.2 s of CPU; past 0.6 s it is stepping generations.
    await waitForCpuTime(life.child.pid!, 600);
    life.child.kill('SIGTERM');
    const exit = await life.exited(5000);
    expect(exit.code).toBe(143);
    expect(life.stdout()).toBe('');
  });

  it('exits 2 naming the file, line and column of a malformed pattern', async () => {
    const input = join(dir.dir, 'bad.rle');
    await writeFile(input, 'x = 3, y = 1\n3q!\n');
    const result = await runCli(['life', '--pattern', input]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .*bad\.rle:2:\d+: .+\n$/);
  });

  it.concurrent.each([
    [
      ['--pattern', 'no-such-pattern'],
      /--pattern 'no-such-pattern' is neither a file nor a built-in pattern/,
    ],
    [['--rule', 'B9/S23'], /B9\/S23/],
    [['--generations', '-1'], /option '--generations <n>' argument '-1' is invalid/],
    [['--generations', '2.5'], /option '--generations <n>' argument '2.5' is invalid/],
    [['--size', '3by3'], /option '--size <HxW>' argument '3by3' is invalid/],
    [['--size', '2x2'], /--size 2x2 is smaller than the pattern \(5x9\)/],
    [['--engine', 'gpu'], /argument 'gpu' is invalid. Allowed choices are cells, bitwise, workers/],
    [['--topology', 'sphere'], /argument 'sphere' is invalid/],
    [['--random', '1.5'], /option '--random <density>' argument '1.5' is invalid/],
    [['--random', '0.5', '--pattern', 'glider'], /cannot be used with/],
    [['--seed', '3'], /--seed only applies to --random/],
    [['--threads', '2'], /--threads only applies to --engine workers/],
    [['--engine', 'bitwise', '--executor', 'pool'], /--executor only applies to --engine cells/],
    [
      ['--executor', 'async', '--max-workers', '4'],
      /--max-workers only applies to --executor pool/,
    ],
    [
      ['--json', '--print', 'columns'],
      /--json prints one JSON object; it cannot be used with --print columns/,
    ],
    [['--max-workers', '0'], /option '--max-workers <n>' argument '0' is invalid/],
  ])('exits 2 for %j', async (flags, message) => {
    const result = await runCli(['life', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
