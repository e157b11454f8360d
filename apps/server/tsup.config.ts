import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: ['esm'],
  sourcemap: true,
  // Clean our own output but keep dist/web/, which the viewer's Vite build writes.
  clean: ['!web/**'],
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
