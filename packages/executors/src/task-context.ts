import type { TaskContext } from './types.js';

/**
 * Context of a task started without a caller signal. The `AbortController` is created only
 * if the task reads `signal`, so plain tasks pay nothing for it.
 */
export class LazyTaskContext implements TaskContext {
  #controller: AbortController | undefined;

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }
}

/** The context of a task: the caller's signal when given, a lazy one otherwise. */
export function contextFor(signal: AbortSignal | undefined): TaskContext {
  return signal === undefined ? new LazyTaskContext() : { signal };
}
