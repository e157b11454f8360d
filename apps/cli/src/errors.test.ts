import * as executors from '@fanout/executors';
import * as grid from '@fanout/grid';
import * as guess from '@fanout/guess-protocol';
import * as gcd from '@fanout/parallel-gcd';
import * as queue from '@fanout/queue';
import * as tail from '@fanout/tail';
import { errorClassesOf } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import * as cli from './errors.js';
import { describeError, RUNTIME_CODES, USER_INPUT_CODES, UsageError } from './errors.js';

/** Every error class of every package the CLI runs, and the CLI's own. */
const everyErrorClass = [executors, grid, guess, gcd, queue, tail, cli].flatMap((api) => [
  ...errorClassesOf(api),
]);

function systemError(code: string, extra: Record<string, unknown>): Error {
  return Object.assign(new Error(`${code}: something`), { code, ...extra });
}

describe('describeError', () => {
  it('maps usage errors and package input errors to exit 2, on one line', () => {
    expect(describeError(new UsageError('bad\n  flag'))).toEqual({
      exitCode: 2,
      message: 'bad flag',
    });
    const pattern = new grid.PatternSyntaxError('rle', 'bad', {
      line: 2,
      column: 3,
      fileName: 'a.rle',
    });
    expect(describeError(pattern)).toEqual({ exitCode: 2, message: 'a.rle:2:3: bad' });
  });

  it('classifies every error class of every package as user input (2) or runtime (1)', () => {
    expect(everyErrorClass.length).toBeGreaterThan(10);
    for (const [name, errorClass] of everyErrorClass) {
      const code = String(errorClass.code);
      const user = USER_INPUT_CODES.has(code);
      expect(user !== RUNTIME_CODES.has(code), `${name} (${code}) is in exactly one list`).toBe(
        true,
      );
      // By code alone: a plain error that carries the code maps the same way.
      const carrier = Object.assign(new Error(`${name} happened`), { code });
      expect(describeError(carrier), name).toEqual({
        exitCode: user ? 2 : 1,
        message: `${name} happened`,
      });
    }
  });

  it('finds the code through a cause chain', () => {
    const inner = new gcd.PairsSyntaxError({ line: 4, column: 1, content: 'x', problem: 'bad' });
    expect(describeError(new Error('reading pairs', { cause: inner })).exitCode).toBe(2);
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
