import { allowManyListeners } from '@fanout/internal/listeners';

/**
 * The shared life cycle of one fail-fast fan-out (`gather`, `map`): a signal handed to every
 * task, linked to the caller's signal, and a settle-once guard. The first failure (a task's
 * error or the caller's abort) rejects the fan-out and aborts the tasks with that reason.
 */
export interface FanOutScope {
  /** Aborted when the fan-out fails; passed to every task. */
  readonly signal: AbortSignal;
  /** True once the fan-out has settled (or the caller's signal was already aborted). */
  readonly finished: boolean;
  /** Mark the fan-out settled and stop listening to the caller's signal. */
  finish(): void;
  /** Fail once: run `onFail`, abort the tasks and reject with `error`. Later calls do nothing. */
  fail(error: unknown): void;
}

/**
 * Opens a scope. When `outer` is already aborted, the fan-out rejects at once with its reason
 * and the scope starts finished.
 */
export function openFanOutScope(
  outer: AbortSignal | undefined,
  reject: (reason: unknown) => void,
  onFail?: () => void,
): FanOutScope {
  const controller = new AbortController();
  // Every task of this fan-out may listen to the shared signal: many listeners are expected.
  allowManyListeners(controller.signal);
  let finished = false;
  const onOuterAbort = (): void => scope.fail(outer?.reason);
  const scope: FanOutScope = {
    signal: controller.signal,
    get finished() {
      return finished;
    },
    finish() {
      finished = true;
      outer?.removeEventListener('abort', onOuterAbort);
    },
    fail(error) {
      if (finished) return;
      scope.finish();
      onFail?.();
      controller.abort(error);
      reject(error);
    },
  };
  if (outer?.aborted === true) {
    finished = true;
    reject(outer.reason);
  } else {
    outer?.addEventListener('abort', onOuterAbort, { once: true });
  }
  return scope;
}
