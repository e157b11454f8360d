import { type TempDir, tempDir } from '@fanout/test-kit';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAll,
  parseOneJson,
  runCli,
  SEED_COLUMNS,
  startCli,
  waitForCpuTime,
} from './helpers.js';

/** Files written by Golly (bgolly), kept with the grid package's tests. */
const GOLLY = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/grid/test/fixtures/golly',
);

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
    // HashLife is the unbounded default; --engine unbounded runs the tile engine.
    expect(parseOneJson(result.stdout)).toMatchObject({ population: 5, engine: 'hashlife' });
    const tiles = await runCli([
      'life',
      '--pattern',
      'glider',
      '--topology',
      'unbounded',
      '--engine',
      'unbounded',
      '--generations',
      '4',
      '--json',
    ]);
    expect(parseOneJson(tiles.stdout)).toMatchObject({ population: 5, engine: 'unbounded' });
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

  it('exits 2 naming the flag and the path when --pattern is a directory', async () => {
    const folder = join(dir.dir, 'patterns-folder');
    await mkdir(folder, { recursive: true });
    const result = await runCli(['life', '--pattern', folder]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: --pattern '${folder}' is a directory, not a pattern file\n`);
  });
});

describe.concurrent("fanout life with Golly's bounded grids", () => {
  it('loads the header Golly writes for a 2048x2048 torus, as that world', async () => {
    const input = join(dir.dir, 'golly-2048.rle');
    await writeFile(input, 'x = 2048, y = 2048, rule = B3/S23:T2048,2048\n3o!\n');
    for (const engine of ['cells', 'bitwise']) {
      const result = await runCli([
        'life',
        '--pattern',
        input,
        '--engine',
        engine,
        '--generations',
        engine === 'cells' ? '0' : '3',
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(parseOneJson(result.stdout)).toMatchObject({
        width: 2048,
        height: 2048,
        population: 3,
      });
    }
  });

  it('runs a file Golly wrote in its own topology and writes it back with its grid and comments', async () => {
    const output = join(dir.dir, 'glider-out.rle');
    const result = await runCli([
      'life',
      '--pattern',
      join(GOLLY, 'torus-glider.rle'),
      '--generations',
      '40',
      '--engine',
      'bitwise',
      '--print',
      'none',
      '--out',
      output,
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^40 generations of 10x12 \(bitwise\): population 5,/);
    const rle = await readFile(output, 'utf8');
    // Golly places the 3x3 box at (5, 4) of the 12x10 torus; 40 generations move the glider
    // 10 cells down and right: back to the same rows, 10 columns on (2 to the left, wrapped).
    expect(rle).toBe(
      [
        '#N Glider on a torus',
        '#O fanout',
        '#C A glider on a 12 by 10 torus.',
        'x = 12, y = 10, rule = B3/S23:T12,10',
        '4$4bo$5bo$3b3o!',
        '',
      ].join('\n'),
    );
  });

  it('takes --size and --topology over the file, and keeps the plane of a plane file', async () => {
    const plane = join(GOLLY, 'plane-glider.rle');
    const own = parseOneJson(
      (await runCli(['life', '--pattern', plane, '--generations', '40', '--json'])).stdout,
    );
    expect(own).toMatchObject({ width: 8, height: 8, population: 4 }); // a block in a corner
    const torus = parseOneJson(
      (
        await runCli([
          'life',
          '--pattern',
          plane,
          '--generations',
          '40',
          '--topology',
          'torus',
          '--json',
        ])
      ).stdout,
    );
    expect(torus).toMatchObject({ width: 8, height: 8, population: 5 }); // still a glider
    const sized = parseOneJson(
      (await runCli(['life', '--pattern', plane, '--size', '20x30', '--json'])).stdout,
    );
    expect(sized).toMatchObject({ width: 30, height: 20 });
  });

  it.concurrent.each([
    ['K30*,20', /Golly's Klein bottle grid \(:K30\*,20\) is not supported/],
    ['C30,20', /cross-surface/],
    ['S30', /sphere/],
    ['T30+5,20', /shifted edges/],
    ['P0,20', /infinite width/],
  ])(
    'exits 2 naming the file, line and column of an unsupported grid :%s',
    async (suffix, message) => {
      const input = join(dir.dir, `grid-${suffix.replace(/\W/g, '_')}.rle`);
      await writeFile(input, `x = 3, y = 1, rule = B3/S23:${suffix}\n3o!\n`);
      const result = await runCli(['life', '--pattern', input]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^error: ${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:29: `),
      );
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    },
  );
});

describe.concurrent('fanout life refuses inputs larger than the engine holds, before allocating', () => {
  const files: Record<string, string> = {
    'many-cells.rle': 'x = 3, y = 3\n999999999o!\n',
    'long-run.rle': 'x = 3, y = 3\no$12345678901234567890123o!\n',
    'huge-header.rle': 'x = 1000000000, y = 1000000000\no!\n',
    'far-row.rle': '999999999$o!\n',
  };
  const path = (name: string): string => join(dir.dir, name);
  beforeAll(async () => {
    for (const [name, text] of Object.entries(files)) await writeFile(path(name), text);
  });

  it.concurrent.each([
    [
      ['--pattern', 'many-cells.rle'],
      /many-cells\.rle:2:1: the pattern has more than 16777216 live cells/,
    ],
    [
      ['--pattern', 'long-run.rle'],
      /long-run\.rle:2:3: a run of 12345678901234567890123 cells reaches column/,
    ],
    [
      ['--random', '0.5', '--size', '100000x100000', '--engine', 'bitwise'],
      /^error: --size 100000x100000: a 100000x100000 world is more than --engine bitwise holds \(at most 1073741824 cells\); give a smaller --size\n$/,
    ],
    [
      ['--pattern', 'huge-header.rle'],
      /huge-header\.rle \(a pattern 1000000000 cells high and 1000000000 wide\): a 1000000000x1000000000 world is more than --engine cells holds/,
    ],
    [
      ['--pattern', 'far-row.rle', '--engine', 'workers'],
      /far-row\.rle \(a pattern 1000000000 cells high and 1 wide\): a 1000000000x64 world is more than --engine workers holds .*or --topology unbounded/,
    ],
    [
      ['--size', '1000000x1000000'],
      /^error: --size 1000000x1000000: a 1000000x1000000 world is more than --engine cells holds/,
    ],
    [
      ['--size', '100000x100000', '--engine', 'bitwise'],
      /--size 100000x100000: .* --engine bitwise holds/,
    ],
    [
      ['--pattern', 'huge-header.rle', '--topology', 'unbounded'],
      /huge-header\.rle .*: a 1000000000x1000000000 window of the unbounded world is more than can be shown.*--print none/,
    ],
  ])('exits 2 for %j', async (flags, message) => {
    const args = flags.map((flag) => (flag in files ? path(flag) : flag));
    const result = await runCli(['life', ...args], { cwd: dir.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.replaceAll(`${dir.dir}/`, '')).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at |Invalid typed array length/);
  });

  it('runs the same far-apart cells in an unbounded world, which holds them', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      path('huge-header.rle'),
      '--topology',
      'unbounded',
      '--generations',
      '1',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(parseOneJson(result.stdout)).toMatchObject({ engine: 'hashlife', population: 0 });
  });
});

/** Golly's macrocell of the Gosper gun at generation 1000 (written by bgolly 3.3). */
const GOLLY_GUN_MC = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../packages/grid/src/engines/hashlife/fixtures/gosper-gun-gen1000.golly.mc',
);

describe.concurrent('fanout life --engine hashlife', () => {
  it('runs a glider to 10^12 and the gun to 10^9 with exact counts', async () => {
    const glider = await runCli([
      'life',
      '--pattern',
      'glider',
      '--engine',
      'hashlife',
      '--generations',
      '1e12',
      '--json',
    ]);
    expect(glider.stderr).toBe('');
    expect(parseOneJson(glider.stdout)).toMatchObject({
      generations: 1_000_000_000_000,
      population: 5,
      width: 3,
      height: 3,
      engine: 'hashlife',
    });
    const gun = await runCli([
      'life',
      '--pattern',
      'gosper-gun',
      '--topology',
      'unbounded',
      '--generations',
      '10^9',
      '--json',
    ]);
    expect(parseOneJson(gun.stdout)).toMatchObject({ generations: 1e9, population: 166_666_713 });
  });

  it('gives generations, population and size as strings past 2^53', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      'gosper-gun',
      '--engine',
      'hashlife',
      '--generations',
      '2^60',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout) as Record<string, unknown>;
    expect(json.generations).toBe(String(2n ** 60n));
    expect(typeof json.population).toBe('string');
    // One 5-cell glider per 30 generations, plus the gun itself.
    const gliders = (2n ** 60n / 30n) * 5n;
    const population = BigInt(json.population as string);
    expect(population - gliders).toBeGreaterThanOrEqual(36n);
    expect(population - gliders).toBeLessThanOrEqual(60n);
    expect(typeof json.width).toBe('string');
  });

  it('prints a column every --step generations, headed by the generation', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      'glider',
      '--engine',
      'hashlife',
      '--size',
      '4x5',
      '--generations',
      '8',
      '--step',
      '4',
      '--print',
      'columns',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        '  0   |   4   |   8  ',
        '-*--- | ----- | -----',
        '--*-- | --*-- | -----',
        '***-- | ---*- | ---*-',
        '----- | -***- | ----*',
      ].join('\n') + '\n',
    );
  });

  it('runs a macrocell file Golly wrote from its generation and writes --out FILE.mc', async () => {
    const out = join(dir.dir, 'gun-2000.mc');
    const result = await runCli([
      'life',
      '--pattern',
      GOLLY_GUN_MC,
      '--generations',
      '1000',
      '--out',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    // bgolly -h -m 2000 on the gun: 384 cells.
    expect(parseOneJson(result.stdout)).toMatchObject({ engine: 'hashlife', population: 384 });
    const written = await readFile(out, 'utf8');
    expect(written).toMatch(/^\[M2\] \(fanout\)\n#R B3\/S23\n#G 2000\n/);
    // And the file runs on: 1000 more generations from 2000.
    const again = await runCli(['life', '--pattern', out, '--generations', '0', '--json']);
    expect(parseOneJson(again.stdout)).toMatchObject({ population: 384, generations: 0 });
  });

  it('runs a macrocell file on a bounded engine when asked, as its cells', async () => {
    const result = await runCli([
      'life',
      '--pattern',
      GOLLY_GUN_MC,
      '--engine',
      'bitwise',
      '--size',
      '600x600',
      '--generations',
      '0',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(parseOneJson(result.stdout)).toMatchObject({ engine: 'bitwise', population: 213 });
  });

  it.each([
    [['--engine', 'hashlife', '--topology', 'torus'], /--engine hashlife runs an unbounded plane/],
    [['--topology', 'unbounded', '--engine', 'bitwise'], /not --engine bitwise/],
    [
      ['--engine', 'bitwise', '--generations', '1e20'],
      /--generations 1e20 is more than --engine bitwise can run/,
    ],
    [['--generations', 'lots'], /option '--generations <n>' argument 'lots' is invalid/],
    [['--generations', '1.5e0'], /--generations 1.5e0: it is not a whole number/],
    [['--engine', 'hashlife', '--step', '0'], /--step 0/],
    [
      ['--engine', 'bitwise', '--max-memory-mb', '8'],
      /--max-memory-mb only applies to --engine hashlife/,
    ],
  ])('exits 2 with one line for %j', async (flags, message) => {
    const result = await runCli(['life', '--pattern', 'glider', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses --random for hashlife, which has no bounded world to fill', async () => {
    const result = await runCli(['life', '--random', '0.3', '--engine', 'hashlife']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--random needs a bounded world/);
  });

  it('exits 1 naming maxMemoryMb when the node cache is too small for the world', async () => {
    // 1024x1024 at 50%: about 22,000 nodes, nearly all a 1 MiB cache holds (23,800).
    const soup = join(dir.dir, 'soup-1024.rle');
    const made = await runCli([
      'life',
      '--random',
      '0.5',
      '--size',
      '1024x1024',
      '--engine',
      'bitwise',
      '--generations',
      '0',
      '--print',
      'none',
      '--out',
      soup,
    ]);
    expect(made.code).toBe(0);
    const result = await runCli([
      'life',
      '--pattern',
      soup,
      '--engine',
      'hashlife',
      '--generations',
      '64',
      '--max-memory-mb',
      '1',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/hashlife ran out of memory: .* maxMemoryMb 1 /);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
