/**
 * `@fanout/executors/core` must run in a browser: nothing reachable from the built core
 * entry may import a Node built-in or a package, and its types may not name Node's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/', import.meta.url);

/** Every file reachable from an entry through relative imports (ESM build). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, dist), 'utf8');
    for (const match of text.matchAll(/from\s*["'](\.\/[^"']+)["']/g))
      visit((match[1] as string).slice(2));
  };
  visit(entry);
  return [...seen];
}

describe('the core entry', () => {
  it('imports no node: module and no package, in code', () => {
    const files = reachable('core.js');
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const text = readFileSync(new URL(file, dist), 'utf8');
      expect(text, file).not.toMatch(/from\s*["'](node:|[a-z@][^"'.]*["'])/);
      expect(text, file).not.toMatch(/\bimport\(\s*["']node:/);
      expect(text, file).not.toMatch(/require\(/);
    }
  });

  it('names no Node type in its declarations', () => {
    for (const file of reachable('core.d.ts')) {
      const text = readFileSync(new URL(file, dist), 'utf8');
      expect(text, file).not.toMatch(/NodeJS\.|node:|TransferListItem|ResourceLimits\b/);
    }
  });

  it('loads on its own and runs a pool with its options on', async () => {
    const core = (await import(new URL('core.js', dist).href)) as typeof import('../src/core.js');
    const pool = new core.AsyncPool({
      maxConcurrency: 1,
      intervalCap: 5,
      interval: 10,
      timeout: 1_000,
    });
    expect(await pool.run(() => 'ok', { priority: 1 })).toBe('ok');
    await pool.close();
  });
});
