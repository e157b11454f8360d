/**
 * Test settings every fanout package and app shares. Each one's vitest.config.ts is
 * `sharedConfig` (plus what differs), so `pnpm --filter <pkg> test` runs it alone and the
 * root vitest.config.ts runs them all as projects.
 */
import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

const base = defineProject({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: a bound on a hang, never a measure of speed (timing goals live in bench/).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});

/** The shared settings, merged with a project's own. */
export function sharedConfig(own: UserWorkspaceConfig = {}): UserWorkspaceConfig {
  return mergeConfig(base, own);
}
