import { sharedConfig } from '../../vitest.shared.js';

// Each test installs packages with npm and runs them: minutes, not seconds, in all.
export default sharedConfig({ test: { testTimeout: 180_000, hookTimeout: 300_000 } });
