import { CONWAY, type LifeRule } from '../rule.js';
import { type LifeLogic, ruleLogic } from './cell-logic.js';

/** Options of `delayedLogic`. */
export interface DelayedLogicOptions {
  /** The rule applied after the delay. Default `B3/S23`. Ignored when `logic` is given. */
  readonly rule?: LifeRule;
  /** The logic called after the delay. Default: `ruleLogic(rule)`. */
  readonly logic?: LifeLogic;
}

/**
 * The seed's `game_logic` with I/O: every call first waits `delayMs` milliseconds (a
 * stand-in for its socket read), then decides with `logic` (default: the rule). The wait
 * ends early when the cell's signal aborts (another cell failed, or the step was aborted):
 * the call then rejects with the signal's reason.
 *
 * @example
 * const engine = createPerCellEngine(grid, { executor: pool, logic: delayedLogic(10) });
 * await engine.step(); // every cell waits 10 ms, fanned out through the pool
 */
export function delayedLogic(delayMs: number, options: DelayedLogicOptions = {}): LifeLogic {
  if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
    throw new RangeError(`delayMs must be a non-negative number of milliseconds, got ${delayMs}`);
  }
  const decide = options.logic ?? ruleLogic(options.rule ?? CONWAY);
  return async (alive, neighbors, cell) => {
    await wait(delayMs, cell.signal);
    return decide(alive, neighbors, cell);
  };
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as it aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
