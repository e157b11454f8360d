import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Waker } from './waker.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The wait's outcome once settled, or 'pending'. */
function track(p: Promise<boolean>): () => boolean | 'pending' {
  let state: boolean | 'pending' = 'pending';
  void p.then((v) => {
    state = v;
  });
  return () => state;
}

describe('Waker quiet checks', () => {
  it('goes on waiting while the check sees nothing new, and times out when it says so', async () => {
    const waker = new Waker();
    const answers = [100, 100, undefined];
    const quiet = vi.fn(() => answers.shift());
    const outcome = track(waker.wait(100, undefined, quiet));
    await vi.advanceTimersByTimeAsync(250);
    expect(quiet).toHaveBeenCalledTimes(2);
    expect(outcome()).toBe('pending');
    await vi.advanceTimersByTimeAsync(50);
    expect(quiet).toHaveBeenCalledTimes(3);
    expect(outcome()).toBe(false);
  });

  it('re-arms with the delay the check asks for', async () => {
    const waker = new Waker();
    const answers = [1000, undefined];
    const quiet = vi.fn(() => answers.shift());
    const outcome = track(waker.wait(10, undefined, quiet));
    await vi.advanceTimersByTimeAsync(10);
    expect(quiet).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(990);
    expect(quiet).toHaveBeenCalledTimes(1);
    expect(outcome()).toBe('pending');
    await vi.advanceTimersByTimeAsync(10);
    expect(quiet).toHaveBeenCalledTimes(2);
    expect(outcome()).toBe(false);
  });

  it('wakes at once on an event between quiet checks', async () => {
    const waker = new Waker();
    const quiet = vi.fn(() => 100);
    const outcome = track(waker.wait(100, undefined, quiet));
    await vi.advanceTimersByTimeAsync(150);
    expect(quiet).toHaveBeenCalledTimes(1);
    waker.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome()).toBe(true);
  });

  it('does not ask a check once nobody waits, and a plain wait just times out', async () => {
    const waker = new Waker();
    const quiet = vi.fn(() => 100);
    const first = track(waker.wait(100, undefined, quiet));
    waker.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(first()).toBe(true);
    // The timer stays armed for the next wait; firing with nobody waiting asks nothing.
    await vi.advanceTimersByTimeAsync(100);
    expect(quiet).not.toHaveBeenCalled();
    const second = track(waker.wait(50, undefined));
    await vi.advanceTimersByTimeAsync(50);
    expect(second()).toBe(false);
  });

  it('ends a quiet wait when its signal aborts', async () => {
    const waker = new Waker();
    const ac = new AbortController();
    const outcome = track(waker.wait(100, ac.signal, () => 100));
    await vi.advanceTimersByTimeAsync(250);
    ac.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome()).toBe(false);
  });
});
