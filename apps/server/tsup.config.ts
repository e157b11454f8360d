import { defineConfig } from 'tsup';
import { appBuild } from '../../tsup.base.js';

export default defineConfig(
  appBuild({
    entry: { bin: 'src/bin.ts' },
    workers: { 'ops-worker': 'src/ops/worker.ts' },
    // dist/web/ is the viewer, written by the Vite build.
    keep: ['web/**'],
  }),
);
