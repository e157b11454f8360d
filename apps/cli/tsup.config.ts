import { defineConfig } from 'tsup';
import { appBuild } from '../../tsup.base.js';

// `tasks` is the module `fanout worker` serves: queue jobs call its named exports on the
// worker's threads.
export default defineConfig(
  appBuild({ entry: { bin: 'src/bin.ts' }, workers: { tasks: 'src/tasks.ts' } }),
);
