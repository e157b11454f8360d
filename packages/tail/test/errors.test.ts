import { expectErrorContract } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const missing = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });

describe('error contract', () => {
  it('every exported error class has a stable code', () => {
    expectErrorContract(api, [
      new api.InputError('app.log', 'open', missing),
      new api.OutputWriteError('out.log', 'write', new Error('disk full'), 'ENOSPC'),
      new api.CheckpointError('cp.json', 'not JSON'),
    ]);
  });

  it('keeps the system error code apart from the error code', () => {
    const error = new api.InputError('app.log', 'open', missing);
    expect(error).toMatchObject({ code: 'FANOUT_INPUT', systemCode: 'ENOENT', path: 'app.log' });
    expect(error.cause).toBe(missing);
  });
});
