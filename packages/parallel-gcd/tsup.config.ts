import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: threads load dist/worker.js (or .cjs), never the source.
  entry: { index: 'src/index.ts', worker: 'src/worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Gives the CJS build `import.meta.url`, used to find dist/worker.cjs beside it.
  shims: true,
});
