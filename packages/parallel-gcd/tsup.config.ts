import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// `worker` is public (`@fanout/parallel-gcd/worker`: the gcd task module) and is what the
// pool's threads load, as its CommonJS build `dist/worker.cjs` (see workerFileUrl).
// `constants` is public too (`@fanout/parallel-gcd/constants`): names and defaults for
// option lists, loading none of the runs.
export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', worker: 'src/worker.ts', constants: 'src/constants.ts' },
  }),
);
