import { expectErrorContract } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as workersApi from '../src/workers/index.js';

describe('error contract', () => {
  it('every error class of both entries has a stable code', () => {
    const samples = [
      new api.PatternSyntaxError('rle', 'bad header', { line: 1, column: 5, fileName: 'a.rle' }),
      new api.RuleSyntaxError('B9', 2, 'birth count 9 is not a neighbour count (0-8)'),
      new api.UnknownPatternError('glidr', api.builtinPatternNames),
      new api.EngineClosedError('bitwise'),
      new api.EngineWorkerError('worker 0 exited with code 1'),
      new api.HashLifeMemoryError(64, 1_500_000),
      new api.GenerationCountError('ten', 'expected a whole number'),
    ];
    expectErrorContract(api, samples);
    expectErrorContract(workersApi, samples);
  });

  it('keeps what a caller acts on as fields, apart from the message', () => {
    const error = new api.PatternSyntaxError('rle', 'missing "!"', { line: 3, column: 1 });
    expect(error).toMatchObject({ problem: 'missing "!"', line: 3, column: 1, format: 'rle' });
    expect(error.message).toBe('<rle>:3:1: missing "!"');
  });
});
