import { expectErrorContract } from '@fanout/test-kit';
import { describe, it } from 'vitest';
import * as api from '../src/index.js';

describe('error contract', () => {
  it('every exported error class has a stable code', () => {
    expectErrorContract(api, [
      new api.PairsSyntaxError({ line: 2, column: 3, content: '1 x', problem: 'not an integer' }),
      new api.NaiveTooLargeError(10n ** 20n, 3, { limit: api.NAIVE_LIMIT }),
      new api.ResultsMismatchError(0, { serial: 1, workers: 2 }),
      new api.PairsSourceError('pairs.txt', Object.assign(new Error('EISDIR'), { code: 'EISDIR' })),
    ]);
  });
});
