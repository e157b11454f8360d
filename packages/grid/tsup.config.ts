import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', workers: 'src/engines/workers/index.ts' },
    workers: { 'grid-worker': 'src/engines/workers/grid-worker.ts' },
  }),
);
