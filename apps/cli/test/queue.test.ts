/**
 * `fanout worker` and `fanout gcd --mode queue|all --redis`: real Redis (started here on a
 * free port), real worker processes, the built bin.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RedisServer, startRedis, type TempDir, tempDir } from '@fanout/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, type LiveCli, parseOneJson, runCli, startCli } from './helpers.js';

// gcds of the seed's ten NUMBERS pairs.
const SEED_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

let redis: RedisServer;
let dir: TempDir;
let worker: LiveCli;
let second: LiveCli;

function startWorker(queue: string, threads = 1): LiveCli {
  return startCli(['worker', '--redis', redis.url, '--queue', queue, '--threads', String(threads)]);
}

beforeAll(async () => {
  redis = await startRedis();
  dir = await tempDir('cli-queue');
  worker = startWorker('shared');
  second = startWorker('shared');
  await worker.waitFor(/serving queue shared/);
  await second.waitFor(/serving queue shared/);
});

afterAll(async () => {
  killAll();
  await redis?.stop();
  await dir?.cleanup();
});

describe('fanout gcd over a queue', () => {
  it('--mode queue --json: the seed results from the workers, with queueSeconds', async () => {
    const result = await runCli([
      'gcd',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--queue',
      'shared',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({ pairs: 10, results: SEED_GCDS, algorithm: 'naive' });
    expect(typeof json.queueSeconds).toBe('number');
    expect(json).not.toHaveProperty('serialSeconds');
  });

  it('--mode queue prints the pairs and the Took line', async () => {
    const result = await runCli([
      'gcd',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--queue',
      'shared',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gcd(1823712, 1924928) = 32\n');
    expect(result.stdout).toMatch(
      /^queue\s+Took \d+\.\d{3} seconds\s+\(queue shared, 2 workers on Redis\)$/m,
    );
  });

  it('--mode all with --redis adds the queue row, and every run agrees', async () => {
    const result = await runCli([
      'gcd',
      '--mode',
      'all',
      '--workers',
      '2',
      '--redis',
      redis.url,
      '--queue',
      'shared',
      '--scale',
      '3',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json.results).toEqual([...SEED_GCDS, ...SEED_GCDS, ...SEED_GCDS]);
    for (const field of ['serialSeconds', 'asyncSeconds', 'workersSeconds', 'queueSeconds']) {
      expect(typeof json[field], field).toBe('number');
    }
    const human = await runCli([
      'gcd',
      '--mode',
      'all',
      '--workers',
      '2',
      '--redis',
      redis.url,
      '--queue',
      'shared',
    ]);
    expect(human.stdout).toMatch(/^queue\s+Took \d+\.\d{3} seconds/m);
    expect(human.stdout).toContain('all 4 runs agree on every result\n');
  });

  it('gives results identical to serial for huge (BigInt) pairs and random pairs files', async () => {
    const lines: string[] = [];
    let x = 123456789n;
    for (let i = 0; i < 60; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      const g = (x % 1000n) + 1n;
      lines.push(
        i % 3 === 0
          ? `${g * 2n ** 70n} ${g * 2n ** 70n * 3n}`
          : `${x % 1000000n} ${(x >> 20n) % 1000000n}`,
      );
    }
    const file = join(dir.dir, 'pairs.txt');
    await writeFile(file, `${lines.join('\n')}\n`);
    const args = ['--pairs', file, '--algorithm', 'euclid', '--json'];
    const serial = parseOneJson((await runCli(['gcd', '--mode', 'serial', ...args])).stdout);
    const queued = await runCli([
      'gcd',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--queue',
      'shared',
      ...args,
    ]);
    expect(queued.stderr).toBe('');
    expect(parseOneJson(queued.stdout).results).toEqual(serial.results);
    expect((serial.results as unknown[]).some((value) => typeof value === 'string')).toBe(true);
  });

  it('fails clearly when no worker serves the queue (exit 1, one line)', async () => {
    const result = await runCli([
      'gcd',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--queue',
      'nobody',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: no worker serves queue nobody on ${redis.url}: start one with fanout worker --redis URL --queue nobody\n`,
    );
  });

  it('fails clearly when Redis cannot be reached (exit 1, one line)', async () => {
    const result = await runCli(['worker', '--redis', 'redis://127.0.0.1:1', '--queue', 'x'], {
      timeoutMs: 40_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: (cannot connect to 127\.0\.0\.1:1|could not connect to Redis at 127\.0\.0\.1:1)/,
    );
  }, 45_000);
});

describe('bad queue flags exit 2 with one line naming the problem', () => {
  const cases: [string[], RegExp][] = [
    [['gcd', '--mode', 'queue'], /^error: --mode queue needs --redis URL/],
    [
      ['gcd', '--mode', 'serial', '--redis', 'redis://h'],
      /^error: --redis only applies to --mode queue or all\n$/,
    ],
    [
      ['gcd', '--mode', 'queue', '--redis', 'localhost:6379'],
      /^error: bad Redis URL localhost:6379: the scheme must be redis: or rediss:/,
    ],
    [
      ['worker', '--redis', 'redis://:secret@h:1/x'],
      /^error: bad Redis URL redis:\/\/:\*\*\*@h:1\/x: the path must be a database number/,
    ],
    [['worker', '--redis', 'redis://h', '--queue', 'a:b'], /^error: bad queue name "a:b"/],
    [['worker'], /^error: required option '--redis <url>' not specified/],
    [
      ['worker', '--redis', 'redis://h', '--threads', '0'],
      /^error: option '--threads <n>' argument '0' is invalid/,
    ],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('secret');
    });
  }
});

describe('fanout worker', () => {
  it('stops on SIGTERM (143) and SIGINT (130), saying what it did', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const live = startWorker(`stop-${signal}`);
      await live.waitFor(/serving queue/);
      live.child.kill(signal);
      const exit = await live.exited();
      expect(exit.code).toBe(code);
      expect(live.stderr()).toMatch(
        /stopped: 0 jobs done, 0 failed, 0 cancelled, 0 put back in the queue\n$/,
      );
    }
  });

  it('shares a run between workers: each job done exactly once in all', async () => {
    const queue = 'pair';
    const a = startWorker(queue);
    const b = startWorker(queue);
    await a.waitFor(/serving queue pair/);
    await b.waitFor(/serving queue pair/);
    const result = await runCli([
      'gcd',
      '--mode',
      'queue',
      '--redis',
      redis.url,
      '--queue',
      queue,
      '--scale',
      '20',
      '--algorithm',
      'binary',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(parseOneJson(result.stdout).results).toEqual(
      Array.from({ length: 20 }, () => SEED_GCDS).flat(),
    );
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([a.exited(), b.exited()]);
    const done = [a, b].map((live) => Number(/stopped: (\d+) jobs done/.exec(live.stderr())?.[1]));
    // 200 pairs in jobs of 2 (at most 128 jobs): 100 jobs, each done once by one worker.
    expect(done[0]! + done[1]!).toBe(100);
  });
});
