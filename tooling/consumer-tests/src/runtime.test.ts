/**
 * Every published package, packed as it would be published and installed with plain npm
 * into a fresh project outside the workspace together with only its own @fanout
 * dependencies (the selective install users do), then used there: its README example as
 * written, one call from CommonJS, and its worker threads from the installed files. The
 * apps are installed globally from the release folder. Runs on every supported Node.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type RedisServer, startRedis } from '@fanout/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtures, newProject, npmInstall, run } from './project.js';
import { readmeExamples } from './readme-examples.js';
import { packAll, publishedPackages, ROOT, withFanoutDependencies } from './workspace.js';

const FIXTURES = join(ROOT, 'tooling', 'consumer-tests', 'fixtures');
const all = publishedPackages();
const libraries = all.filter((p) => Object.keys(p.bin).length === 0);
const made: string[] = [];
let tarballs: Record<string, string> = {};

/** What each library's CommonJS call and worker fixture must print. */
const expected: Record<string, { call: unknown; workers?: unknown }> = {
  '@fanout/executors': {
    call: { tens: [10, 20, 30], code: 'FANOUT_QUEUE_FULL' },
    workers: { sum: 42, squares: [1, 4, 9, 16] },
  },
  '@fanout/grid': {
    call: { population: 5, gridName: 'Grid' },
    workers: { same: true, threads: 2 },
  },
  '@fanout/guess-protocol': { call: { last: [42, 'Correct'] } },
  '@fanout/tail': {
    call: { lines: ['first', 'second'] },
    workers: { lines: 1000, outputLines: 1000, inOrder: true },
  },
  '@fanout/parallel-gcd': { call: { results: [6, 21] }, workers: { same: true } },
  '@fanout/queue': {
    call: {
      options: { host: 'h', port: 6380, db: 2, password: 'pw', tls: { servername: 'h' } },
      code: 'FANOUT_QUEUE_CONNECTION_LOST',
    },
    workers: { squares: [1, 4, 9, 16], big: '2361183241434822606848' },
  },
};

/** The worker thread entries each package ships (built by tsup.base.ts as `.cjs` only). */
const WORKER_ENTRIES: Record<string, readonly string[]> = {
  '@fanout/executors': ['worker-runner'],
  '@fanout/grid': ['grid-worker'],
  '@fanout/tail': ['writer-worker'],
};

function node(dir: string, file: string, timeoutMs = 60_000) {
  return run(process.execPath, [file], { cwd: dir, timeoutMs });
}

let redis: RedisServer | undefined;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'fanout-release-'));
  made.push(out);
  tarballs = packAll(out);
  // @fanout/queue's README example and workers fixture need a Redis (REDIS_URL).
  redis = await startRedis();
  process.env.REDIS_URL = redis.url;
});

afterAll(async () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  await redis?.stop();
});

it('covers every published library with expectations', () => {
  expect(libraries.map((p) => p.name).sort()).toEqual(Object.keys(expected).sort());
});

describe.each(libraries.map((p) => [p.name, p] as const))('%s installed alone', (name, pkg) => {
  const short = basename(pkg.dir);
  let dir = '';

  beforeAll(async () => {
    dir = newProject(short);
    made.push(dir);
    const specs = withFanoutDependencies(name, all).map((dep) => {
      const tarball = tarballs[dep];
      if (tarball === undefined) throw new Error(`no tarball for ${dep}`);
      return tarball;
    });
    await npmInstall(dir, specs);
    if (existsSync(join(FIXTURES, short))) copyFixtures(join(FIXTURES, short), dir);
    for (const file of readmeExamples(join(pkg.dir, 'README.md'))) {
      writeFileSync(join(dir, file.name), file.source);
    }
  });

  it('ships its LICENSE and README with the built files, and no sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarballs[name] ?? ''], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => /\/(src|test|bench)\//.test(f) || f.endsWith('.test.js'))).toEqual(
      [],
    );
    // A worker entry ships once, as CommonJS: an ESM twin would be a file nothing loads.
    for (const worker of WORKER_ENTRIES[name] ?? []) {
      expect(files).toContain(`package/dist/${worker}.cjs`);
      expect(files).not.toContain(`package/dist/${worker}.js`);
    }
  });

  it('runs its README example as written (example.mjs)', async () => {
    expect(existsSync(join(dir, 'example.mjs')), 'README has a `// example.mjs` js block').toBe(
      true,
    );
    const result = await node(dir, 'example.mjs');
    // An example may print to stderr on purpose (executors' reports a blocked loop, which a
    // busy machine makes happen); what must never show is an error or a Node warning.
    expect(result.stderr).not.toMatch(/\b\w*(Error|Warning)\b/);
    expect(result.code).toBe(0);
  });

  it('works from CommonJS', async () => {
    const result = await node(dir, 'call.cjs');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(expected[name]?.call);
  });

  const workers = expected[name]?.workers;
  if (workers !== undefined) {
    it('runs its worker threads from the installed files', async () => {
      const result = await node(dir, 'workers.mjs');
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual(workers);
    });
  }
});

describe('the apps, installed globally from the release folder', () => {
  let prefix = '';
  const bin = (name: string) => join(prefix, 'bin', name);

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'fanout-global-'));
    made.push(prefix);
    const work = newProject('global');
    made.push(work);
    await npmInstall(work, Object.values(tarballs), ['-g', '--prefix', prefix]);
  });

  it('gives a working `fanout`', async () => {
    const cli = JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const version = await run(bin('fanout'), ['--version'], { cwd: prefix });
    expect(version.stdout.trim()).toBe(cli.version);
    const life = await run(
      bin('fanout'),
      ['life', '--pattern', 'glider', '--generations', '8', '--json'],
      { cwd: prefix },
    );
    expect(life.code).toBe(0);
    expect(JSON.parse(life.stdout)).toMatchObject({ generations: 8, population: 5 });
    const demo = await run(bin('fanout'), ['demo'], { cwd: prefix, timeoutMs: 120_000 });
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
  });

  it('gives a working `fanout-server` that answers /healthz and stops on SIGTERM', async () => {
    const child = spawn(bin('fanout-server'), ['--guess-port', '0', '--http-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    const httpPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${output}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        for (const line of output.split('\n')) {
          if (!line.startsWith('{')) continue;
          const log = JSON.parse(line) as { msg?: string; httpPort?: number };
          if (log.msg === 'listening' && typeof log.httpPort === 'number') {
            clearTimeout(timer);
            resolve(log.httpPort);
          }
        }
      });
    });
    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
