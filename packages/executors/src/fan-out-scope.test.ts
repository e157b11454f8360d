import { describe, expect, it, vi } from 'vitest';
import { openFanOutScope } from './fan-out-scope.js';

describe('openFanOutScope', () => {
  it('fails once: runs onFail, aborts the tasks with the error and rejects with it', () => {
    const reject = vi.fn();
    const onFail = vi.fn();
    const scope = openFanOutScope(undefined, reject, onFail);
    const first = new Error('first');
    scope.fail(first);
    scope.fail(new Error('second'));
    expect(reject).toHaveBeenCalledTimes(1);
    expect(reject).toHaveBeenCalledWith(first);
    expect(onFail).toHaveBeenCalledTimes(1);
    expect(scope.signal.reason).toBe(first);
    expect(scope.finished).toBe(true);
  });

  it("follows the caller's signal until finished, then lets go of it", () => {
    const outer = new AbortController();
    const reject = vi.fn();
    const scope = openFanOutScope(outer.signal, reject);
    outer.abort(new Error('stop'));
    expect(reject).toHaveBeenCalledWith(outer.signal.reason);
    expect(scope.signal.aborted).toBe(true);

    const later = new AbortController();
    const quiet = vi.fn();
    const done = openFanOutScope(later.signal, quiet);
    done.finish();
    later.abort(new Error('too late'));
    expect(quiet).not.toHaveBeenCalled();
    expect(done.signal.aborted).toBe(false);
  });

  it('rejects at once and starts finished when the caller already aborted', () => {
    const reject = vi.fn();
    const scope = openFanOutScope(AbortSignal.abort('gone'), reject);
    expect(scope.finished).toBe(true);
    expect(reject).toHaveBeenCalledWith('gone');
  });
});
