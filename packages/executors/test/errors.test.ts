import { expectErrorContract } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as api from '../src/index.js';

describe('error contract', () => {
  it('every error class of both entries has a stable code', () => {
    const samples = [
      new api.QueueFullError(4),
      new api.ExecutorClosedError(),
      new api.WorkerCrashedError('file:///w.js', 'work', { cause: new Error('exit 1') }),
      new api.TimeoutError('fetchUser', 500, 'start', false),
      new api.TaskClearedError('fetchUser'),
    ];
    expectErrorContract(api, samples);
    expectErrorContract(core, samples);
  });

  it('names the task, the limit and where it was counted from', () => {
    expect(new api.TimeoutError('fetchUser', 500, 'start', false).message).toBe(
      'task "fetchUser" timed out after 500 ms (counted from start)',
    );
    expect(new api.TimeoutError(undefined, 20, 'submit', true)).toMatchObject({
      message: 'task timed out after 20 ms (counted from submit, still queued)',
      taskName: undefined,
      timeoutMs: 20,
      from: 'submit',
      queued: true,
    });
    expect(new api.TaskClearedError().message).toBe('queued task was cleared before it started');
    expect(new api.TaskClearedError('a').taskName).toBe('a');
  });
});
