import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlicer, yieldToEventLoop } from './slicer.js';

describe('createSlicer', () => {
  beforeEach(() => {
    // Only the clock is fake: yields still go through the real event loop.
    vi.useFakeTimers({ toFake: ['performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves at once while the slice lasts, then yields once and starts a new slice', async () => {
    const slicer = createSlicer({ sliceMs: 10 });
    await slicer.tick();
    vi.advanceTimersByTime(9);
    expect(slicer.due).toBe(false);
    await slicer.tick();
    expect(slicer.yields).toBe(0);
    vi.advanceTimersByTime(1);
    expect(slicer.due).toBe(true);
    await slicer.tick();
    expect(slicer.yields).toBe(1);
    expect(slicer.due).toBe(false);
  });

  it('lets a macrotask queued before the yield run before tick resolves', async () => {
    const slicer = createSlicer({ sliceMs: 5 });
    const order: string[] = [];
    setImmediate(() => order.push('other task'));
    vi.advanceTimersByTime(5);
    await slicer.tick();
    order.push('after tick');
    expect(order).toEqual(['other task', 'after tick']);
  });

  it('does not yield on a tick that resolves at once (microtask only)', async () => {
    const slicer = createSlicer({ sliceMs: 1000 });
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await slicer.tick();
    expect(ran).toBe(false);
  });

  it('rejects with the signal reason once aborted, before and after a yield', async () => {
    const controller = new AbortController();
    const slicer = createSlicer({ sliceMs: 5, signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(slicer.tick()).rejects.toBe(reason);
    await expect(slicer.yield()).rejects.toBe(reason);

    const late = new AbortController();
    const lateSlicer = createSlicer({ sliceMs: 5, signal: late.signal });
    vi.advanceTimersByTime(5);
    const ticking = lateSlicer.tick();
    late.abort(reason);
    await expect(ticking).rejects.toBe(reason);
  });

  it('takes a new slice length between ticks and refuses one that is not positive', async () => {
    const slicer = createSlicer({ sliceMs: 100 });
    slicer.sliceMs = 2;
    vi.advanceTimersByTime(2);
    expect(slicer.due).toBe(true);
    expect(() => {
      slicer.sliceMs = 0;
    }).toThrow(RangeError);
    expect(() => createSlicer({ sliceMs: Number.NaN })).toThrow(/sliceMs/);
    expect(() => createSlicer({ sliceMs: -1 })).toThrow(/sliceMs/);
  });
});

describe('yieldToEventLoop', () => {
  it('resolves after macrotasks queued before it', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued first'));
    await yieldToEventLoop();
    order.push('yielded');
    expect(order).toEqual(['queued first', 'yielded']);
  });
});
