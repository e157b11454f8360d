import { sharedConfig } from '../../vitest.shared.js';

// The tests mostly wait on spawned bins, so two files at once even on two cores. A test may
// start the CLI several times, each a fresh Node process: on a loaded machine that adds up,
// so the bound on a hang is wider than the shared one (each spawn has its own 30 s bound).
export default sharedConfig({ test: { maxWorkers: 2, testTimeout: 60_000 } });
