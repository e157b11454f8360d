import { defineConfig } from 'tsup';

const common = {
  sourcemap: true,
  target: 'node20',
} as const;

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts', workers: 'src/workers/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // Leave the worker entry of the second build alone (the two builds run in parallel).
    clean: ['!grid-worker.js', '!grid-worker.js.map'],
    // Share one copy of the code between the entries in the CJS build too.
    splitting: true,
    // import.meta.url in the CJS build, to find grid-worker.js next to the built module.
    shims: true,
  },
  {
    ...common,
    // The worker thread entry, ESM only: the CJS build of `./workers` starts this same
    // file (the package is `"type": "module"`), so a `grid-worker.cjs` would never run.
    entry: { 'grid-worker': 'src/workers/grid-worker.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
