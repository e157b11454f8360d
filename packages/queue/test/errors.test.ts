import { expectErrorContract } from '@fanout/test-kit';
import { describe, it } from 'vitest';
import * as api from '../src/index.js';

describe('error contract', () => {
  it('every error class has a stable code', () => {
    expectErrorContract(api, [
      new api.QueueConnectionError('127.0.0.1:6379', 10_000, {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
      new api.JobAttemptsExceededError('abc-j1', 'work', 4),
      new api.UnsupportedValueError('args[0]', 'a function cannot be sent'),
      new api.RedisUrlError('localhost', 'the scheme must be redis: or rediss:'),
      new api.QueueNameError('a:b', "a queue name may not contain ':'"),
    ]);
  });

  it('keeps the system code apart from the fanout code', async () => {
    const { expect } = await import('vitest');
    const error = new api.QueueConnectionError('h:1', 5, {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect(error.code).toBe('FANOUT_QUEUE_CONNECTION_LOST');
    expect(error.systemCode).toBe('ECONNREFUSED');
    expect(error.message).toBe('lost the connection to Redis at h:1 for more than 5 ms (refused)');
  });
});
