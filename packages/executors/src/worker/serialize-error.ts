/**
 * Carries a worker's thrown value to the main side intact. Structured clone keeps only
 * some fields of an `Error` (custom `name`s and `cause` can be lost), so the worker sends
 * this plain shape instead and the main side rebuilds the error.
 */

/** An `Error` as plain data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly cause?: SerializedValue;
  readonly errors?: readonly SerializedValue[];
  /** Other own properties (`code`, `errno`, ...), kept when they can be cloned. */
  readonly props: Readonly<Record<string, unknown>>;
}

/** A thrown value: an error as data, or any other (cloneable) value as is. */
export type SerializedValue =
  | { readonly kind: 'error'; readonly error: SerializedError }
  | { readonly kind: 'value'; readonly value: unknown };

const SKIPPED_PROPS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return String(value);
  }
}

/** Turn any thrown value into cloneable data, following `cause` chains (depth-limited). */
export function serializeThrown(value: unknown, depth = 0): SerializedValue {
  if (!(value instanceof Error) || depth > 8) return { kind: 'value', value: cloneable(value) };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!SKIPPED_PROPS.has(key))
      props[key] = cloneable((value as unknown as Record<string, unknown>)[key]);
  }
  const error: SerializedError = {
    name: value.name,
    message: value.message,
    stack: value.stack,
    props,
    ...('cause' in value ? { cause: serializeThrown(value.cause, depth + 1) } : {}),
    ...(value instanceof AggregateError
      ? { errors: Array.from(value.errors as unknown[], (e) => serializeThrown(e, depth + 1)) }
      : {}),
  };
  return { kind: 'error', error };
}

const BUILTIN_ERRORS: Readonly<Record<string, new (message?: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuild the thrown value: an `Error` with the worker's name, message, stack and cause. */
export function deserializeThrown(serialized: SerializedValue): unknown {
  if (serialized.kind === 'value') return serialized.value;
  const data = serialized.error;
  const errors = data.errors?.map(deserializeThrown);
  const Ctor = BUILTIN_ERRORS[data.name] ?? Error;
  const error: Error =
    errors !== undefined ? new AggregateError(errors, data.message) : new Ctor(data.message);
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', {
      value: data.name,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.defineProperty(error, 'stack', {
    value: data.stack,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  if (data.cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: deserializeThrown(data.cause),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  Object.assign(error, data.props);
  return error;
}
