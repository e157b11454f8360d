import { defineConfig } from 'tsup';

export default defineConfig({
  // The writer worker is its own entry: line-writer.ts loads it from beside the built module.
  entry: { index: 'src/index.ts', 'writer-worker': 'src/writer-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
});
