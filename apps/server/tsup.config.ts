import { defineConfig } from 'tsup';

export default defineConfig({
  // ops-worker is the operations thread's entry, loaded from beside the built bin.
  entry: { bin: 'src/bin.ts', 'ops-worker': 'src/ops-worker.ts' },
  format: ['esm'],
  sourcemap: true,
  // Clean our own output but keep dist/web/, which the viewer's Vite build writes.
  clean: ['!web/**'],
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
