import { expectErrorContract } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as workersApi from '../src/engines/workers/index.js';

describe('error contract', () => {
  it('every error class of both entries has a stable code', () => {
    const samples = [
      new api.PatternSyntaxError('rle', 'bad header', { line: 1, column: 5, fileName: 'a.rle' }),
      new api.RuleSyntaxError('B9', 2, 'birth count 9 is not a neighbour count (0-8)'),
      new api.UnknownPatternError('glidr', api.builtinPatternNames),
      new api.EngineClosedError('bitwise'),
      new api.EngineWorkerError('worker 0 exited with code 1'),
      new api.PatternUnsupportedError('rle', "Golly's sphere grid (:S30) is not supported", {
        line: 1,
        column: 30,
        fileName: 'ball.rle',
      }),
      new api.PatternTooLargeError('rle', 'too many live cells', {
        line: 2,
        column: 1,
        fileName: 'big.rle',
        limit: 16,
      }),
      new api.WorldTooLargeError({ height: 100_000, width: 100_000 }, 'bitwise', 2 ** 30),
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
    const large = new api.PatternTooLargeError('rle', 'a run past 2^30', {
      line: 2,
      column: 1,
      fileName: 'a.rle',
      limit: 2 ** 30 - 1,
    });
    expect(large).toMatchObject({ line: 2, column: 1, fileName: 'a.rle', limit: 2 ** 30 - 1 });
    const world = new api.WorldTooLargeError({ height: 3, width: 5 }, undefined, 10);
    expect(world).toMatchObject({ height: 3, width: 5, engine: undefined, maxCells: 10 });
    expect(world.message).toBe(
      'a 3x5 world (15 cells) is larger than a Grid holds (at most 10 cells)',
    );
  });
});
