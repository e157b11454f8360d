import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Every file reachable from an entry through relative imports (ESM build). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    for (const match of text.matchAll(/from\s*["'](\.\/[^"']+)["']/g))
      visit((match[1] as string).slice(2));
  };
  visit(entry);
  return [...seen];
}

describe('the built package', () => {
  it('keeps the main entry browser-safe: no node: or bare imports reachable from index.js', () => {
    for (const file of reachable('index.js')) {
      const text = readFileSync(join(dist, file), 'utf8');
      // Bare imports only of @fanout/executors/core, which is browser-safe itself.
      const bare = text.replaceAll(/from\s*["']@fanout\/executors\/core["']/g, '');
      expect(bare, file).not.toMatch(/from\s*["'](node:|[a-z@][^"'.]*["'])/);
      expect(text, file).not.toMatch(/require\(/);
    }
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
