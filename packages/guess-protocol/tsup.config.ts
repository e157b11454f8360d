import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// `constants` is public (`@fanout/guess-protocol/constants`): plain values for option lists.
export default defineConfig(
  libraryBuild({ entry: { index: 'src/index.ts', constants: 'src/constants.ts' } }),
);
