import { expectErrorContract } from '@fanout/test-kit';
import { describe, it } from 'vitest';
import * as core from '../src/core.js';
import * as api from '../src/index.js';

describe('error contract', () => {
  it('every error class of both entries has a stable code', () => {
    const samples = [
      new api.QueueFullError(4),
      new api.ExecutorClosedError(),
      new api.WorkerCrashedError('file:///w.js', 'work', { cause: new Error('exit 1') }),
    ];
    expectErrorContract(api, samples);
    expectErrorContract(core, samples);
  });
});
