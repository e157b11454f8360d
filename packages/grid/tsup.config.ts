import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', workers: 'src/workers/index.ts' },
    workers: { 'grid-worker': 'src/workers/grid-worker.ts' },
  }),
);
