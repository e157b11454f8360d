/**
 * Errors arrive from a worker as plain `Error`s with the original name, message, stack,
 * `cause` and fields. Those of fanout's own classes get their class back, so
 * `instanceof JobAttemptsExceededError` works on the caller as it would locally.
 */
import { WorkerCrashedError } from '@fanout/executors';
import { JobAttemptsExceededError, UnsupportedValueError } from './errors.js';

const CLASSES: ReadonlyMap<string, { prototype: Error }> = new Map<string, { prototype: Error }>([
  [JobAttemptsExceededError.code, JobAttemptsExceededError],
  [UnsupportedValueError.code, UnsupportedValueError],
  [WorkerCrashedError.code, WorkerCrashedError],
]);

/** `value` with its fanout error class restored, when it is one. */
export function reviveError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  const errorClass = typeof code === 'string' ? CLASSES.get(code) : undefined;
  if (errorClass !== undefined && value.name === (errorClass as unknown as { name: string }).name) {
    Object.setPrototypeOf(value, errorClass.prototype);
  }
  return value;
}
