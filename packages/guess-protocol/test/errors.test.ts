import { expectErrorContract } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('error contract', () => {
  it('every exported error class has a stable code', () => {
    expectErrorContract(api, [
      new api.ProtocolError(api.WireErrorCode.NoGame, 'NUMBER before PARAMS'),
      new api.ConnectionClosedError(),
      new api.GuessTimeoutError('connecting to 127.0.0.1:1234', 10_000),
    ]);
  });

  it('keeps the wire error code apart from the error code', () => {
    const error = new api.ProtocolError(api.WireErrorCode.ServerBusy, 'too many connections');
    expect(error.code).toBe('FANOUT_PROTOCOL');
    expect(error.reason).toBe('server-busy');
  });
});
