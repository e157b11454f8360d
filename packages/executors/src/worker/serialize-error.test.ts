import { describe, expect, it } from 'vitest';
import { deserializeThrown, serializeThrown } from './serialize-error.js';

// Structured clone is what the value goes through between threads.
function roundTrip(value: unknown): unknown {
  return deserializeThrown(structuredClone(serializeThrown(value)));
}

class HttpError extends Error {
  status = 503;
  override name = 'HttpError';
}

describe('error serialization across threads', () => {
  it('keeps a custom name, message, stack, props and a cause chain', () => {
    const root = new HttpError('upstream down');
    const error = new Error('request failed', { cause: root });
    const back = roundTrip(error) as Error;
    expect(back).toBeInstanceOf(Error);
    expect(back.message).toBe('request failed');
    expect(back.stack).toBe(error.stack);
    const cause = back.cause as Error & { status?: number };
    expect(cause.name).toBe('HttpError');
    expect(cause.message).toBe('upstream down');
    expect(cause.status).toBe(503);
    expect(Object.keys(back)).not.toContain('cause');
  });

  it('rebuilds built-in classes and AggregateError members', () => {
    expect(roundTrip(new SyntaxError('bad'))).toBeInstanceOf(SyntaxError);
    const aggregate = roundTrip(
      new AggregateError([new TypeError('a'), 'b'], 'both'),
    ) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.errors[0]).toBeInstanceOf(TypeError);
    expect(aggregate.errors[1]).toBe('b');
  });

  it('turns values that cannot be cloned into strings instead of failing', () => {
    const error = Object.assign(new Error('with a function'), { retry: () => 1 });
    const back = roundTrip(error) as Error & { retry?: unknown };
    expect(typeof back.retry).toBe('string');
    expect(roundTrip(42)).toBe(42);
    expect(serializeThrown(Symbol('s'))).toEqual({ kind: 'value', value: 'Symbol(s)' });
  });

  it('stops following very deep cause chains', () => {
    let error: Error = new Error('level 0');
    for (let i = 1; i < 20; i++) error = new Error(`level ${i}`, { cause: error });
    expect(() => roundTrip(error)).not.toThrow();
  });
});
