import { type TempDir, tempDir } from '@fanout/test-kit';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, parseOneJson, runCli } from './helpers.js';

// gcds of the seed's ten NUMBERS pairs.
const SEED_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('cli');
});
afterAll(async () => {
  killAll();
  await dir.cleanup();
});

describe.concurrent('fanout gcd', () => {
  it('--mode all --json runs all three, with the speedup', async () => {
    const result = await runCli(['gcd', '--mode', 'all', '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({ pairs: 10, results: SEED_GCDS, workers: 2 });
    for (const field of ['serialSeconds', 'asyncSeconds', 'workersSeconds', 'speedup']) {
      expect(typeof json[field]).toBe('number');
    }
    expect(json.speedup).toBeCloseTo(
      (json.serialSeconds as number) / (json.workersSeconds as number),
      1,
    );
  });

  it('--mode all prints the seed-like table', async () => {
    const result = await runCli(['gcd', '--mode', 'all', '--workers', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gcd(1823712, 1924928) = 32\n');
    expect(result.stdout).toMatch(/^serial\s+Took \d+\.\d{3} seconds/m);
    expect(result.stdout).toMatch(/^async\s+Took \d+\.\d{3} seconds/m);
    expect(result.stdout).toMatch(
      /^workers\s+Took \d+\.\d{3} seconds\s+\(2 threads: this one \+ 1 worker thread\)/m,
    );
    expect(result.stdout).toContain('all 3 runs agree on every result\n');
    expect(result.stdout).toMatch(/^speedup \(serial \/ workers\): \d+\.\d\dx$/m);
  });

  it('omits the fields of modes not run', async () => {
    const result = await runCli([
      'gcd',
      '--mode',
      'serial',
      '--scale',
      '2',
      '--algorithm',
      'euclid',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json.pairs).toBe(20);
    expect(json.results).toEqual([...SEED_GCDS, ...SEED_GCDS]);
    expect(json).toHaveProperty('serialSeconds');
    for (const field of ['asyncSeconds', 'workersSeconds', 'workers', 'speedup']) {
      expect(json).not.toHaveProperty(field);
    }
  });

  it('reads pairs from a file and from stdin; big results become strings', async () => {
    const file = join(dir.dir, 'pairs.txt');
    const big = 2n ** 70n;
    await writeFile(file, `# comment\n12 18\n${big * 3n},${big * 5n}\n`);
    const fromFile = await runCli([
      'gcd',
      '--pairs',
      file,
      '--algorithm',
      'binary',
      '--mode',
      'workers',
      '--json',
    ]);
    expect(fromFile.code).toBe(0);
    expect(parseOneJson(fromFile.stdout)).toMatchObject({ pairs: 2, results: [6, big.toString()] });
    const fromStdin = await runCli(
      ['gcd', '--pairs', '-', '--algorithm', 'euclid', '--mode', 'async', '--json'],
      {
        input: '21 14\n',
      },
    );
    expect(fromStdin.code).toBe(0);
    expect(parseOneJson(fromStdin.stdout)).toMatchObject({ pairs: 1, results: [7] });
  });

  it.concurrent.each([
    [
      ['--mode', 'gpu'],
      /argument 'gpu' is invalid. Allowed choices are serial, async, workers, queue, all/,
    ],
    [['--algorithm', 'magic'], /argument 'magic' is invalid/],
    [['--scale', '0'], /option '--scale <k>' argument '0' is invalid/],
    [['--workers', 'two'], /option '--workers <n>' argument 'two' is invalid/],
    [['--mode', 'serial', '--workers', '2'], /--workers only applies to --mode workers or all/],
    [['--pairs', 'nope.txt'], /^error: nope\.txt: no such file or directory\n$/],
  ])('exits 2 for gcd %j', async (args, message) => {
    const result = await runCli(['gcd', ...args], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 naming the line of a malformed pairs file', async () => {
    const file = join(dir.dir, 'bad.txt');
    await writeFile(file, '1 2\n3 x\n');
    const result = await runCli(['gcd', '--pairs', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*bad\.txt:2:3: .*"3 x"/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 when naive would count down too far', async () => {
    const result = await runCli(['gcd', '--pairs', '-', '--mode', 'serial'], {
      input: '1000000000000 2000000000000\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--algorithm euclid/);
  });
});
