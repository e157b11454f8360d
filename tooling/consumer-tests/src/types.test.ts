/**
 * Type-checks a TypeScript consumer of every published library against the packed
 * `.d.ts`/`.d.cts`, installed alone with npm, with the newest TypeScript and @types/node the
 * registry serves and with the oldest we support, in `node16` and `bundler` resolution; and
 * grid's main entry as a browser project sees it (`lib: ["dom","esnext"]`, `types: []`).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtures, newProject, npmInstall, run } from './project.js';
import { packAll, publishedPackages, ROOT, withFanoutDependencies } from './workspace.js';

/** The TypeScript and @types/node pairs a consumer may have. */
const TOOLCHAINS = {
  newest: ['typescript@latest', '@types/node@latest'],
  // The oldest we support: `await using` types need TypeScript 5.2; Node 20's own types.
  oldest: ['typescript@5.2', '@types/node@20.11'],
} as const;

const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

const FIXTURES = join(ROOT, 'tooling', 'consumer-tests', 'fixtures');
const all = publishedPackages();
const libraries = all.filter((p) => Object.keys(p.bin).length === 0);
const made: string[] = [];
const toolDirs: Record<string, string> = {};
let tarballs: Record<string, string> = {};

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'fanout-release-'));
  made.push(out);
  tarballs = packAll(out);
  for (const [name, specs] of Object.entries(TOOLCHAINS)) {
    const dir = newProject(`tsc-${name}`);
    made.push(dir);
    await npmInstall(dir, specs);
    toolDirs[name] = dir;
  }
});

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tsconfig(tools: string, options: Record<string, unknown>, files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      lib: ['es2022', 'esnext.disposable'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(tools, 'node_modules', '@types')],
      ...options,
    },
    files,
  });
}

async function tsc(tools: string, project: string, config: string): Promise<string> {
  writeFileSync(join(project, 'tsconfig.check.json'), config);
  const result = await run(
    join(tools, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.check.json'],
    { cwd: project },
  );
  return (
    `${result.stdout}${result.stderr}`.trim() || (result.code === 0 ? '' : `exit ${result.code}`)
  );
}

describe.each(libraries.map((p) => [p.name, p] as const))('%s types', (name, pkg) => {
  const short = basename(pkg.dir);
  let dir = '';

  beforeAll(async () => {
    dir = newProject(`types-${short}`);
    made.push(dir);
    await npmInstall(
      dir,
      withFanoutDependencies(name, all).map((dep) => tarballs[dep] ?? dep),
    );
    copyFixtures(join(FIXTURES, short), dir);
  });

  it('has ESM and CommonJS consumer fixtures', () => {
    const files = readdirSync(join(FIXTURES, short));
    expect(files).toEqual(expect.arrayContaining(['consumer.mts', 'consumer.cts']));
  });

  for (const toolchain of Object.keys(TOOLCHAINS)) {
    for (const [resolution, options] of Object.entries(RESOLUTIONS)) {
      it(`type-checks with the ${toolchain} TypeScript and @types/node, ${resolution}`, async () => {
        const tools = toolDirs[toolchain] ?? '';
        // bundler resolution has no CommonJS flavour: it reads the `import` types.
        const files =
          resolution === 'bundler' ? ['consumer.mts'] : ['consumer.mts', 'consumer.cts'];
        expect(await tsc(tools, dir, tsconfig(tools, options, files))).toBe('');
      });
    }
  }

  if (existsSync(join(FIXTURES, short, 'browser.ts'))) {
    for (const toolchain of Object.keys(TOOLCHAINS)) {
      it(`type-checks its main entry in a browser project (${toolchain} TypeScript)`, async () => {
        const tools = toolDirs[toolchain] ?? '';
        const config = tsconfig(
          tools,
          { ...RESOLUTIONS.bundler, lib: ['dom', 'esnext'], types: [] },
          ['browser.ts'],
        );
        expect(await tsc(tools, dir, config)).toBe('');
      });
    }
  }
});
