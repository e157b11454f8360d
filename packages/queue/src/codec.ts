/**
 * Values cross Redis as JSON, which has no BigInt, undefined, Map or Error. Every value is
 * turned into plain JSON data with tagged objects (`{ "$fanout": "bigint", "v": "12" }`) for
 * the rest, and rebuilt on the other side. An own object that happens to have a `$fanout`
 * key is wrapped too, so decoding never mistakes user data for a tag.
 */
import { UnsupportedValueError } from './errors.js';

const TAG = '$fanout';
const MAX_DEPTH = 64;

/** JSON data as the encoder produces it. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

type Tagged = { readonly [TAG]: string; readonly [key: string]: Encoded };

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

type TypedArrayName = keyof typeof TYPED_ARRAYS;

const BUILTIN_ERRORS: Readonly<Record<string, new (message?: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const ERROR_FIELDS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

function tag(kind: string, fields: Record<string, Encoded> = {}): Tagged {
  return { [TAG]: kind, ...fields };
}

function bytesToBase64(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

function encodeNumber(value: number): Encoded {
  if (Number.isNaN(value)) return tag('number', { v: 'NaN' });
  if (value === Number.POSITIVE_INFINITY) return tag('number', { v: 'Infinity' });
  if (value === Number.NEGATIVE_INFINITY) return tag('number', { v: '-Infinity' });
  if (Object.is(value, -0)) return tag('number', { v: '-0' });
  return value;
}

/**
 * Thrown inside the encoder instead of `UnsupportedValueError`: each level it unwinds
 * through adds its step, so no path string is built for values that encode fine (a
 * string per element of every array sent would be most of the encoder's work).
 */
class Unsupported {
  readonly steps: string[] = [];
  constructor(readonly problem: string) {}
}

/** Runs `encodeAt`, adding `step` to the path of an `Unsupported` it throws. */
function at(
  step: string | number,
  value: unknown,
  depth: number,
  style: 'key' | 'index' | 'raw',
): Encoded {
  try {
    return encodeAt(value, depth + 1);
  } catch (error) {
    if (error instanceof Unsupported) {
      error.steps.push(
        style === 'key' ? `.${step}` : style === 'index' ? `[${step}]` : String(step),
      );
    }
    throw error;
  }
}

function encodeError(error: Error, depth: number): Encoded {
  const props: Record<string, Encoded> = {};
  for (const key of Object.keys(error)) {
    if (ERROR_FIELDS.has(key)) continue;
    // A field that cannot cross (a socket on a system error) becomes its description:
    // losing one detail must not lose the error.
    try {
      props[key] = encodeAt((error as unknown as Record<string, unknown>)[key], depth + 1);
    } catch {
      props[key] = String((error as unknown as Record<string, unknown>)[key]);
    }
  }
  const fields: Record<string, Encoded> = {
    name: String(error.name),
    message: String(error.message),
    props,
  };
  if (typeof error.stack === 'string') fields.stack = error.stack;
  if ('cause' in error) fields.cause = at('cause', error.cause, depth, 'key');
  if (error instanceof AggregateError) {
    fields.errors = Array.from(error.errors as unknown[], (item, i) =>
      at(`.errors[${i}]`, item, depth, 'raw'),
    );
  }
  return tag('error', fields);
}

function encodeObject(value: object, depth: number): Encoded {
  if (Array.isArray(value)) {
    const out: Encoded[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      // Holes and undefined entries both become undefined, as structured clone does.
      out[i] = at(i, value[i], depth, 'index');
    }
    return out;
  }
  if (value instanceof Error) return encodeError(value, depth);
  if (value instanceof Date) return tag('date', { v: value.getTime() });
  if (value instanceof Map) {
    const entries: Encoded[] = [];
    let i = 0;
    for (const [k, v] of value) {
      entries.push([at(`<key ${i}>`, k, depth, 'raw'), at(`<${i}>`, v, depth, 'raw')]);
      i++;
    }
    return tag('map', { v: entries });
  }
  if (value instanceof Set) {
    return tag('set', {
      v: Array.from(value, (item, i) => at(`<${i}>`, item, depth, 'raw')),
    });
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (name in TYPED_ARRAYS || value instanceof Buffer) {
      return tag('bytes', {
        t: value instanceof Buffer ? 'Uint8Array' : name,
        v: bytesToBase64(value),
      });
    }
    return tag('bytes', { t: 'DataView', v: bytesToBase64(value) });
  }
  if (value instanceof ArrayBuffer) {
    return tag('bytes', { t: 'ArrayBuffer', v: Buffer.from(value).toString('base64') });
  }
  if (value instanceof RegExp) return tag('regexp', { v: value.source, f: value.flags });
  const out: Record<string, Encoded> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue; // as JSON.stringify and structured clone of a missing key
    out[key] = at(key, item, depth, 'key');
  }
  return TAG in out ? tag('object', { v: out }) : out;
}

function encodeAt(value: unknown, depth: number): Encoded {
  if (depth > MAX_DEPTH) throw new Unsupported(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return encodeNumber(value);
    case 'bigint':
      return tag('bigint', { v: value.toString() });
    case 'undefined':
      return tag('undefined');
    case 'object':
      return value === null ? null : encodeObject(value, depth);
    default:
      throw new Unsupported(
        `a ${typeof value} cannot be sent to another machine (only data: numbers, bigints, strings, arrays, plain objects, Map, Set, Date, typed arrays, errors)`,
      );
  }
}

/**
 * Encodes `value` as JSON data. `what` names the value in errors (`args`, `result`).
 *
 * @throws UnsupportedValueError for functions, symbols and cycles, naming the path.
 */
export function encode(value: unknown, what = 'value'): Encoded {
  try {
    return encodeAt(value, 0);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    throw new UnsupportedValueError(what + error.steps.reverse().join(''), error.problem);
  }
}

/** True when `value` is JSON data as it is: `encode` would return an equal copy. */
function plainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > MAX_DEPTH) return false;
      const proto = Object.getPrototypeOf(value);
      if (proto === Array.prototype) {
        const list = value as unknown[];
        for (let i = 0; i < list.length; i++) if (!plainJson(list[i], depth + 1)) return false;
        return true;
      }
      if (proto !== Object.prototype && proto !== null) return false;
      if (TAG in value) return false;
      for (const key of Object.keys(value)) {
        if (!plainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * `encode` for a value nobody else holds (a result just cloned from a worker thread, sent
 * at once): plain JSON data is returned as it is instead of copied.
 */
export function encodeOwned(value: unknown, what = 'value'): Encoded {
  return plainJson(value, 0) ? (value as Encoded) : encode(value, what);
}

function decodeBytes(type: string, base64: string): unknown {
  const bytes = Buffer.from(base64, 'base64');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  if (type === 'ArrayBuffer') return copy;
  if (type === 'DataView') return new DataView(copy);
  const Ctor = TYPED_ARRAYS[type as TypedArrayName] ?? Uint8Array;
  return new Ctor(copy);
}

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function decodeError(data: Tagged): Error {
  const errors = Array.isArray(data.errors) ? data.errors.map(decode) : undefined;
  const name = typeof data.name === 'string' ? data.name : 'Error';
  const message = typeof data.message === 'string' ? data.message : '';
  const Ctor = BUILTIN_ERRORS[name] ?? Error;
  const error = errors === undefined ? new Ctor(message) : new AggregateError(errors, message);
  if (error.name !== name) defineHidden(error, 'name', name);
  defineHidden(error, 'stack', typeof data.stack === 'string' ? data.stack : undefined);
  if ('cause' in data) defineHidden(error, 'cause', decode(data.cause as Encoded));
  const props = data.props;
  if (props !== null && typeof props === 'object' && !Array.isArray(props)) {
    for (const [key, value] of Object.entries(props)) {
      (error as unknown as Record<string, unknown>)[key] = decode(value);
    }
  }
  return error;
}

function decodeTagged(data: Tagged): unknown {
  const v = data.v;
  switch (data[TAG]) {
    case 'bigint':
      return BigInt(v as string);
    case 'undefined':
      return undefined;
    case 'number':
      return v === '-0' ? -0 : Number(v);
    case 'date':
      return new Date(v as number);
    case 'map':
      return new Map((v as Encoded[][]).map(([k, value]) => [decode(k!), decode(value!)]));
    case 'set':
      return new Set((v as Encoded[]).map(decode));
    case 'bytes':
      return decodeBytes(data.t as string, v as string);
    case 'regexp':
      return new RegExp(v as string, data.f as string);
    case 'error':
      return decodeError(data);
    case 'object':
      return decodeObject(v as Record<string, Encoded>);
    default:
      throw new TypeError(`unknown encoded value kind ${JSON.stringify(data[TAG])}`);
  }
}

function decodeObject(data: Record<string, Encoded>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) out[key] = decode(data[key]!);
  return out;
}

/** True when `data` holds no tagged object: then it is its own decoding. */
function untagged(data: Encoded, depth: number): boolean {
  if (data === null || typeof data !== 'object') return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) if (!untagged(data[i]!, depth + 1)) return false;
    return true;
  }
  if (TAG in data) return false;
  for (const key in data) if (!untagged(data[key]!, depth + 1)) return false;
  return true;
}

/**
 * Rebuilds a value `encode` produced. Plain JSON data (nothing tagged) comes back as
 * it is, not copied: decode only what was just parsed, and nobody else holds it.
 */
export function decode(data: Encoded): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (untagged(data, 0)) return data;
  return rebuild(data);
}

function rebuild(data: Encoded): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map(rebuild);
  if (TAG in data) return decodeTagged(data as Tagged);
  return decodeObject(data);
}
