import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TempDir, tempDir } from '@fanout/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A browser project type-checks against the built declarations: `lib: ["dom", "esnext"]`,
// `types: []` and no @types/node anywhere it can reach (the packages are copied out of the
// workspace, whose node_modules would otherwise supply Node's types).

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireHere = createRequire(join(root, 'package.json'));
const tsc = requireHere.resolve('typescript/bin/tsc');
const executorsRoot = dirname(requireHere.resolve('@fanout/executors/package.json'));

const TSCONFIG = {
  compilerOptions: {
    lib: ['dom', 'esnext'],
    types: [],
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  },
  include: ['*.ts'],
};

const BROWSER_APP = `
import {
  createBitwiseEngine, createEngine, delayedLogic, formatRle, Grid, parsePattern,
  placePattern, randomGrid, simulate, type EngineOptions, type LifeEngine, type Pattern,
} from '@fanout/grid';

const grid: Grid = randomGrid({ height: 8, width: 8, density: 0.3, seed: 1 });
const engine = createBitwiseEngine(grid);
engine.set(0, 0, true);
engine.stepSync();
const options = { kind: 'per-cell', logic: delayedLogic(1) } satisfies EngineOptions;
const pattern: Pattern = parsePattern('x = 1, y = 1, rule = B3/S23:T8,8\\no!');
const running: Promise<LifeEngine> = createEngine(pattern, options);
void running;
void simulate(placePattern(pattern, { height: 8, width: 8 }));
document.title = formatRle(engine.snapshot());
`;

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('grid-browser-types');
  const modules = join(dir.dir, 'node_modules', '@fanout');
  for (const [name, from] of [
    ['grid', root],
    ['executors', executorsRoot],
  ] as const) {
    mkdirSync(join(modules, name), { recursive: true });
    cpSync(join(from, 'package.json'), join(modules, name, 'package.json'));
    cpSync(join(from, 'dist'), join(modules, name, 'dist'), { recursive: true });
  }
});
afterAll(async () => {
  await dir.cleanup();
});

function typeCheck(project: string, source: string): { status: number | null; output: string } {
  const folder = join(dir.dir, project);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  writeFileSync(join(folder, 'main.ts'), source);
  const result = spawnSync(process.execPath, [tsc, '-p', folder], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the main entry's types in a browser project", () => {
  it('type-check without Node types', () => {
    const result = typeCheck('app', BROWSER_APP);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('(control) the same project cannot see Node types, so a leak would fail', () => {
    const result = typeCheck('control', "import type { Worker } from 'node:worker_threads';\n");
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/node:worker_threads/);
  });
});
