import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Everything but the runner, which the second config writes at the same time.
    clean: ['!worker-runner.*'],
    target: 'node20',
    // Gives the CJS build `import.meta.url`, used to find the worker runner beside it.
    shims: true,
    external: ['piscina'],
  },
  {
    // The worker entry piscina loads; ESM only, it serves the ESM and the CJS build alike.
    entry: { 'worker-runner': 'src/worker/runner.ts' },
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
]);
