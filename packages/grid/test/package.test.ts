import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** The one package the main entry may import at run time: executors' browser-safe part. */
const BROWSER_SAFE_DEPENDENCY = '@fanout/executors/core';

/** Every file reachable from an entry through relative imports (ESM build), absolute paths. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from\s*["'](\.\/[^"']+)["']/g))
      visit(join(dirname(file), match[1] as string));
  };
  visit(entry);
  return [...seen];
}

function bareImports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"'.][^"']*)["']/g)].map(
    (match) => match[1] as string,
  );
}

describe('the built package', () => {
  it('keeps the main entry browser-safe: no node: imports reachable from index.js, in grid or in executors/core', () => {
    const ours = reachable(join(dist, 'index.js'));
    const theirs = reachable(
      createRequire(join(root, 'package.json'))
        .resolve(BROWSER_SAFE_DEPENDENCY)
        .replace(/\.cjs$/, '.js'),
    );
    for (const file of [...ours, ...theirs]) {
      const text = readFileSync(file, 'utf8');
      const allowed = ours.includes(file) ? [BROWSER_SAFE_DEPENDENCY] : [];
      expect(
        bareImports(text).filter((name) => !allowed.includes(name)),
        file,
      ).toEqual([]);
      expect(text, file).not.toMatch(/require\(/);
    }
    expect(theirs.length).toBeGreaterThan(0);
  });

  it('ships one worker entry, CommonJS only (the ESM and CJS builds of ./workers start it)', () => {
    const workerFiles = readdirSync(dist).filter((file) => file.startsWith('grid-worker'));
    expect(workerFiles.sort()).toEqual(['grid-worker.cjs', 'grid-worker.cjs.map']);
  });

  it('loads through the exports map from ESM and CJS, workers included', () => {
    const script = `
      const grid = require('@fanout/grid');
      const { createWorkersEngine } = require('@fanout/grid/workers');
      (async () => {
        const g = grid.placePattern(grid.getBuiltinPattern('glider'), { height: 8, width: 8 });
        const engine = await createWorkersEngine(g, { threads: 2 });
        await engine.step(4);
        const snap = engine.snapshot();
        await engine.close();
        const esm = await import('@fanout/grid');
        const b = esm.createBitwiseEngine(g);
        b.stepSync(4);
        console.log(JSON.stringify({ equal: snap.equals(b.snapshot()), pop: snap.population }));
      })();
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ equal: true, pop: 5 });
  });
});
