import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    workers: 'src/workers/index.ts',
    'grid-worker': 'src/workers/grid-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', workers: 'src/workers/index.ts' } },
  sourcemap: true,
  clean: true,
  // Share one copy of the code between the entries in the CJS build too.
  splitting: true,
  // import.meta.url in the CJS build, to find grid-worker.js next to the built module.
  shims: true,
  target: 'node20',
});
