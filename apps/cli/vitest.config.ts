import { sharedConfig } from '../../vitest.shared.js';

// The tests mostly wait on spawned bins, so two files at once even on two cores.
export default sharedConfig({ test: { maxWorkers: 2 } });
