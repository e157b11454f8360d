import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededUint32, type TempDir, tempDir } from '@fanout/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, parseOneJson, runCli, startCli, waitForCpuTime } from './helpers.js';

// gcds of the chapter's ten NUMBERS pairs.
const CHAPTER_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

/** `count` pairs g·x, g·(x + 1) (consecutive integers are coprime, so the gcd is g). */
function knownPairs(count: number, seed: number): { text: string; gcds: number[] } {
  const next = seededUint32(seed);
  const lines: string[] = [];
  const gcds: number[] = [];
  for (let i = 0; i < count; i++) {
    const g = 1 + (next() % 1000);
    const x = 1 + (next() % 1_000_000);
    lines.push(`${g * x} ${g * (x + 1)}`);
    gcds.push(g);
  }
  return { text: `${lines.join('\n')}\n`, gcds };
}

/** A random integer of exactly `digits` decimal digits. */
function randomDigits(digits: number, seed: number): string {
  const next = seededUint32(seed);
  const parts: string[] = [String(1 + (next() % 9))];
  for (let i = 1; i < digits; i++) parts.push(String(next() % 10));
  return parts.join('');
}

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
    expect(json).toMatchObject({ pairs: 10, results: CHAPTER_GCDS, workers: 2 });
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
    expect(json.results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS]);
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
    [['--pairs', 'nope.txt'], /^error: --pairs nope\.txt: no such file or directory\n$/],
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

  it('exits 2 naming --pairs and the path when the path is a directory', async () => {
    const folder = join(dir.dir, 'a-folder');
    await mkdir(folder, { recursive: true });
    const result = await runCli(['gcd', '--pairs', folder, '--algorithm', 'euclid']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: --pairs ${folder}: is a directory, expected a pairs file\n`);
  });

  it('exits 2 for an empty pairs file, naming it', async () => {
    const file = join(dir.dir, 'empty.txt');
    await writeFile(file, '# nothing here\n\n');
    const result = await runCli(['gcd', '--pairs', file, '--mode', 'serial']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: --pairs ${file}: no pairs in the input\n`);
  });
});

// Big inputs: one test at a time (they would only slow each other down on a small machine),
// with bounds on a hang that leave room for a loaded one; none measures speed.
describe('fanout gcd on big inputs', () => {
  it('refuses a huge naive pair on one short line naming its position and size', async () => {
    const file = join(dir.dir, 'huge-naive.txt');
    await writeFile(file, `12 18\n${randomDigits(450_000, 1)} ${randomDigits(450_000, 2)}\n`);
    for (const mode of ['serial', 'workers']) {
      const result = await runCli(['gcd', '--pairs', file, '--mode', mode]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.length).toBeLessThan(300);
      expect(lines[0]).toMatch(/pair #2 \(a 450000-digit integer, a 450000-digit integer\)/);
      expect(lines[0]).toMatch(/--algorithm euclid/);
    }
  }, 60_000);

  it('computes a million pairs from a file in every mode, streamed', async () => {
    const { text, gcds } = knownPairs(1_000_000, 7);
    const file = join(dir.dir, 'million.txt');
    await writeFile(file, text);
    const result = await runCli(
      ['gcd', '--pairs', file, '--algorithm', 'euclid', '--mode', 'all', '--json'],
      { timeoutMs: 170_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json.pairs).toBe(1_000_000);
    expect(json.results).toEqual(gcds);
    for (const field of ['serialSeconds', 'asyncSeconds', 'workersSeconds']) {
      expect(typeof json[field]).toBe('number');
    }
  }, 180_000);

  it('computes a million pairs from stdin in one run, and reads it once for several', async () => {
    const { text, gcds } = knownPairs(1_000_000, 8);
    const workers = await runCli(
      ['gcd', '--pairs', '-', '--algorithm', 'binary', '--mode', 'workers', '--json'],
      { input: text, timeoutMs: 170_000 },
    );
    expect(workers.stderr).toBe('');
    expect(workers.code).toBe(0);
    expect(parseOneJson(workers.stdout).results).toEqual(gcds);
    // Read once into memory, then gone through twice (--scale 2): the human summary. 200,000
    // pairs are past the 130,000 that overflowed the call stack before.
    const twice = await runCli(
      ['gcd', '--pairs', '-', '--algorithm', 'euclid', '--mode', 'serial', '--scale', '2'],
      { input: knownPairs(200_000, 9).text, timeoutMs: 170_000 },
    );
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/^400000 pairs \(use --json for every result\)$/m);
  }, 180_000);
});

describe('fanout gcd on a pair of huge numbers stops on SIGTERM', () => {
  // Today's machines need a minute or more for either gcd in one call (Euclid with Lehmer
  // steps on a million digits, Stein's on 450,000); the CLI must stop well before.
  let euclidFile: string;
  let binaryFile: string;
  beforeAll(async () => {
    euclidFile = join(dir.dir, 'huge-euclid.txt');
    binaryFile = join(dir.dir, 'huge-binary.txt');
    const pair = (digits: number, seed: number) =>
      `${randomDigits(digits, seed)} ${randomDigits(digits, seed + 1)}\n`;
    await writeFile(euclidFile, pair(1_000_000, 10) + pair(1_000_000, 12));
    await writeFile(binaryFile, pair(450_000, 20) + pair(450_000, 22));
  });

  it.each([
    ['serial', 'euclid', []],
    ['async', 'binary', []],
    ['workers', 'euclid', ['--workers', '2']],
    ['workers', 'binary', ['--workers', '1']],
  ] as const)(
    '--mode %s --algorithm %s %j exits 143',
    async (mode, algorithm, extra) => {
      const file = algorithm === 'euclid' ? euclidFile : binaryFile;
      const gcd = startCli([
        'gcd',
        '--pairs',
        file,
        '--mode',
        mode,
        '--algorithm',
        algorithm,
        ...extra,
      ]);
      // Start-up and parsing take well under a second of CPU; past 1.5 s it is computing.
      await waitForCpuTime(gcd.child.pid!, 1500, 30_000);
      gcd.child.kill('SIGTERM');
      // The contract is clean-up within 3 s; this only bounds a hang, generously.
      const exit = await gcd.exited(10_000);
      expect(exit.code).toBe(143);
      expect(gcd.stdout()).toBe('');
    },
    60_000,
  );
});
