import { describe, expect, it } from 'vitest';
import { describeError, UsageError } from './errors.js';

class PatternSyntaxError extends Error {
  override name = 'PatternSyntaxError';
}
class SubPattern extends PatternSyntaxError {}

function systemError(code: string, extra: Record<string, unknown>): Error {
  return Object.assign(new Error(`${code}: something`), { code, ...extra });
}

describe('describeError', () => {
  it('maps usage errors and package input errors to exit 2, on one line', () => {
    expect(describeError(new UsageError('bad\n  flag'))).toEqual({
      exitCode: 2,
      message: 'bad flag',
    });
    expect(describeError(new PatternSyntaxError('a.rle:2:3: bad'))).toEqual({
      exitCode: 2,
      message: 'a.rle:2:3: bad',
    });
  });

  it('recognises subclasses of input errors through the prototype chain', () => {
    const error = new SubPattern('x');
    error.name = 'Error';
    expect(describeError(error).exitCode).toBe(2);
  });

  it('names the path of a missing file, also through a cause chain', () => {
    const missing = systemError('ENOENT', { path: 'in.log', syscall: 'open' });
    expect(describeError(missing)).toEqual({
      exitCode: 2,
      message: 'in.log: no such file or directory',
    });
    const wrapped = new Error('InputError: cannot read', { cause: missing });
    expect(describeError(wrapped)).toEqual({
      exitCode: 2,
      message: 'in.log: no such file or directory',
    });
  });

  it('names the address of a port in use', () => {
    const inUse = systemError('EADDRINUSE', { address: '127.0.0.1', port: 1234 });
    expect(describeError(inUse)).toEqual({
      exitCode: 2,
      message: 'cannot listen on 127.0.0.1:1234: address already in use',
    });
  });

  it('names an unknown host (exit 2) and a refused connection (exit 1)', () => {
    const unknown = systemError('ENOTFOUND', { hostname: 'nope.invalid' });
    expect(describeError(unknown)).toEqual({
      exitCode: 2,
      message: 'nope.invalid: host not found',
    });
    const refused = systemError('ECONNREFUSED', { address: '127.0.0.1', port: 9 });
    expect(describeError(refused)).toEqual({
      exitCode: 1,
      message: 'cannot connect to 127.0.0.1:9: connection refused (is a server running?)',
    });
  });

  it('maps anything else to exit 1', () => {
    expect(describeError(new Error('boom'))).toEqual({ exitCode: 1, message: 'boom' });
    expect(describeError(systemError('ECONNREFUSED', {})).exitCode).toBe(1);
    expect(describeError('text')).toEqual({ exitCode: 1, message: 'text' });
  });
});
