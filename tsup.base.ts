/**
 * The one tsup setup every fanout package and app builds with; each tsup.config.ts names
 * only its entries. Two rules hold everywhere:
 * - Library entries are ESM + CJS with .d.ts/.d.cts. Code shared by several entries is
 *   split into chunks in both formats (so a class is one class whichever entry loaded it),
 *   tree-shaken by rollup (which keeps class names and source maps relative), `keepNames`.
 * - Worker entries are built once, as CommonJS, beside the modules that start them; they
 *   are found with `workerFileUrl` from `@fanout/internal/worker-file`.
 */
import type { Options } from 'tsup';

/** Entry name → source file, as tsup's `entry` takes it. */
export type Entries = Readonly<Record<string, string>>;

export interface BuildOptions {
  /** Public entry points (`index`, `workers`, …). */
  readonly entry: Entries;
  /** Worker thread entries, built as `dist/<name>.cjs`. */
  readonly workers?: Entries;
  /** Files in `dist/` another build writes, which cleaning must leave alone. */
  readonly keep?: readonly string[];
  /** Dependencies never bundled, besides those package.json lists (tsup's default). */
  readonly external?: readonly string[];
}

const shared = {
  sourcemap: true,
  target: 'node20',
  keepNames: true,
  // import.meta.url in the CJS build, which workerFileUrl locates workers from.
  shims: true,
} satisfies Options;

function keepPatterns(workers: Entries, keep: readonly string[]): string[] {
  return [...Object.keys(workers).map((name) => `!${name}.cjs*`), ...keep.map((p) => `!${p}`)];
}

function workerBuild(workers: Entries, external: readonly string[]): Options[] {
  if (Object.keys(workers).length === 0) return [];
  return [
    { ...shared, entry: { ...workers }, format: ['cjs'], clean: false, external: [...external] },
  ];
}

/** A published package: ESM + CJS + types for `entry`, CommonJS `workers`. */
export function libraryBuild({
  entry,
  workers = {},
  keep = [],
  external = [],
}: BuildOptions): Options[] {
  return [
    {
      ...shared,
      entry: { ...entry },
      format: ['esm', 'cjs'],
      dts: true,
      splitting: true,
      treeshake: true,
      clean: keepPatterns(workers, keep),
      external: [...external],
    },
    ...workerBuild(workers, external),
  ];
}

/** An app's bins: ESM with a shebang, CommonJS `workers`. */
export function appBuild({
  entry,
  workers = {},
  keep = [],
  external = [],
}: BuildOptions): Options[] {
  return [
    {
      ...shared,
      entry: { ...entry },
      format: ['esm'],
      clean: keepPatterns(workers, keep),
      banner: { js: '#!/usr/bin/env node' },
      external: [...external],
    },
    ...workerBuild(workers, external),
  ];
}
