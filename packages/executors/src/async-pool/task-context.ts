import type { TaskContext } from '../types.js';

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

/**
 * Context of a task the pool itself may abort (its timeout): `signal` aborts when the
 * caller's signal does or when the pool calls `abort`, whichever comes first. Still lazy:
 * no controller and no listener on the caller's signal until the task reads `signal`.
 */
export class AbortableTaskContext implements TaskContext {
  readonly #outer: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;
  readonly #onOuterAbort = (): void => {
    this.abort(this.#outer?.reason);
  };

  constructor(outer: AbortSignal | undefined) {
    this.#outer = outer;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const outer = this.#outer;
      if (this.#aborted) controller.abort(this.#reason);
      else if (outer?.aborted === true) controller.abort(outer.reason);
      else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
    }
    return this.#controller.signal;
  }

  /** Aborts `signal` with `reason` (once; later calls do nothing). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
    this.#controller?.abort(reason);
  }

  /** Stops listening to the caller's signal (the task settled). */
  release(): void {
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }
}
