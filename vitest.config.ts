/** `pnpm vitest` at the root: every package and app as one Vitest run, each its own project. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/*'],
  },
});
