import { expectErrorContract } from '@fanout/test-kit';
import { describe, it } from 'vitest';
import * as errors from '../src/errors.js';

describe('error contract', () => {
  it('every error class of the server has a stable code', () => {
    expectErrorContract(errors, [
      new errors.ConfigError('--workers must be a whole number >= 1, got "x"', '--workers', 'x'),
      new errors.OpsListenError('listen EADDRINUSE', 'EADDRINUSE'),
    ]);
  });
});
