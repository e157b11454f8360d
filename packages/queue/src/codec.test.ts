import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { decode, encode, encodeOwned } from './codec.js';
import { UnsupportedValueError } from './errors.js';

/** A value through JSON text, as it travels through Redis. */
function trip<T>(value: T): T {
  return decode(JSON.parse(JSON.stringify(encode(value)))) as T;
}

/** A random value tree of everything the codec carries. */
function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 9 : 14));
  const int = () => Math.floor(random() * 2 ** 31) - 2 ** 30;
  switch (pick) {
    case 0:
      return int();
    case 1:
      return BigInt(int()) * 2n ** BigInt(Math.floor(random() * 90));
    case 2:
      return [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.5][int() & 3];
    case 3:
      return `s${int()}\u{1F600}"\\`;
    case 4:
      return random() < 0.5;
    case 5:
      return null;
    case 6:
      return undefined;
    case 7:
      return new Date(int() * 1000);
    case 8:
      return new Uint8Array([int() & 255, 7]);
    case 9:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    case 10: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--)
        object[`k${i}`] = randomValue(random, depth + 1);
      if (random() < 0.2) object.$fanout = randomValue(random, depth + 1);
      return object;
    }
    case 11:
      return new Map([[randomValue(random, depth + 1), randomValue(random, depth + 1)]]);
    case 12:
      return new Set([int(), `x${int()}`]);
    default:
      return new Float64Array([random(), -0]);
  }
}

describe('codec', () => {
  it('round-trips random value trees through JSON (many seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = randomValue(seededRandom(seed));
      const back = trip(value);
      expect(back, `seed ${seed}`).toEqual(value);
    }
  });

  it('keeps the edge numbers exactly', () => {
    const back = trip([-0, Number.NaN, 2n ** 200n, -(2n ** 64n), Number.MAX_SAFE_INTEGER + 2]);
    expect(Object.is(back[0], -0)).toBe(true);
    expect(Number.isNaN(back[1])).toBe(true);
    expect(back.slice(2)).toEqual([2n ** 200n, -(2n ** 64n), Number.MAX_SAFE_INTEGER + 2]);
  });

  it('keeps typed array kinds, ArrayBuffer, DataView, RegExp and Buffer as bytes', () => {
    const back = trip([
      new BigInt64Array([-(2n ** 63n)]),
      new Int16Array([-2, 3]).subarray(1),
      new ArrayBuffer(3),
      new DataView(new ArrayBuffer(2)),
      /a+b/gi,
      Buffer.from('hi'),
    ]);
    expect(back[0]).toEqual(new BigInt64Array([-(2n ** 63n)]));
    expect(back[1]).toEqual(new Int16Array([3]));
    expect(back[2]).toBeInstanceOf(ArrayBuffer);
    expect(back[3]).toBeInstanceOf(DataView);
    expect(back[4]).toEqual(/a+b/gi);
    expect(back[5]).toEqual(new Uint8Array([104, 105]));
  });

  it('rebuilds errors with name, message, stack, cause chain, code and fields', () => {
    const root = Object.assign(new RangeError('deep'), { code: 'E_DEEP', when: 5n });
    const error = Object.assign(new TypeError('outer', { cause: root }), { code: 'E_OUTER' });
    class CustomError extends Error {
      override name = 'CustomError';
    }
    const aggregate = new AggregateError([new CustomError('one'), 'two'], 'many');
    const [back, many] = trip([error, aggregate]) as [TypeError, AggregateError];
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe('outer');
    expect(back.stack).toBe(error.stack);
    expect((back as TypeError & { code: string }).code).toBe('E_OUTER');
    expect(back.cause).toBeInstanceOf(RangeError);
    expect(back.cause).toMatchObject({ message: 'deep', code: 'E_DEEP', when: 5n });
    expect(Object.keys(back)).toEqual(['code']);
    expect(many).toBeInstanceOf(AggregateError);
    expect(many.errors[0]).toMatchObject({ name: 'CustomError', message: 'one' });
    expect(many.errors[1]).toBe('two');
  });

  it('an error field that cannot travel becomes its description, the error still arrives', () => {
    const error = Object.assign(new Error('with a handle'), { handle: () => 1 });
    const back = trip(error) as Error & { handle: unknown };
    expect(back.message).toBe('with a handle');
    expect(typeof back.handle).toBe('string');
  });

  it('refuses functions, symbols and cycles, naming the path', () => {
    const at = (value: unknown, what = 'args') => {
      try {
        encode(value, what);
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedValueError);
        return (error as UnsupportedValueError).path;
      }
      return undefined;
    };
    expect(at([1, { f: () => 1 }])).toBe('args[1].f');
    expect(at({ s: Symbol('x') }, 'result')).toBe('result.s');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(at(cyclic)).toMatch(/^args(\[0\])+$/);
    expect(at(new Map([[1, () => 1]]))).toBe('args<0>');
    expect(at(new Map([[Symbol('k'), 1]]))).toBe('args<key 0>');
    expect(at({ s: new Set([1, Symbol('x')]) })).toBe('args.s<1>');
    expect(at([new Error('x', { cause: () => 1 })])).toBe('args[0].cause');
    expect(at(new AggregateError([1, () => 1]), 'result')).toBe('result.errors[1]');
  });

  it('encodeOwned gives what encode gives, and plain JSON data as it is (many seeds)', () => {
    let plain = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const value = randomValue(seededRandom(seed));
      const owned = encodeOwned(value);
      expect(owned, `seed ${seed}`).toEqual(encode(value));
      expect(decode(JSON.parse(JSON.stringify(owned))), `seed ${seed}`).toEqual(value);
      if (owned === value && typeof value === 'object' && value !== null) plain++;
    }
    expect(plain).toBeGreaterThan(0);
    const tree = { a: [1, 'two', true, null, { b: [] }] };
    expect(encodeOwned(tree)).toBe(tree);
    for (const special of [
      -0,
      Number.NaN,
      new Array<number>(3).fill(1, 0, 1),
      [undefined],
      { a: undefined },
      { $fanout: 1 },
      1n,
    ]) {
      expect(encodeOwned(special)).not.toBe(special);
      expect(encodeOwned(special)).toEqual(encode(special));
    }
    expect(() => encodeOwned([() => 1], 'result')).toThrow(UnsupportedValueError);
  });

  it('decodes plain JSON data without copying it, and tagged data inside it', () => {
    const data = JSON.parse('{"a":[1,"x",{"b":null}],"c":true}');
    expect(decode(data)).toBe(data);
    const mixed = JSON.parse(JSON.stringify(encode({ a: [1, { b: 2n }], c: 'x' })));
    expect(decode(mixed)).toEqual({ a: [1, { b: 2n }], c: 'x' });
  });

  it('drops object keys whose value is undefined, as JSON and structured clone do', () => {
    expect(trip({ a: undefined, b: 1 })).toEqual({ b: 1 });
    expect(Object.keys(trip({ a: undefined, b: 1 }))).toEqual(['b']);
  });

  it('refuses an unknown tag instead of guessing', () => {
    expect(() => decode({ $fanout: 'future-kind' })).toThrow(/unknown encoded value kind/);
  });
});
