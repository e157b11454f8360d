import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AsyncPool } from './async-pool/async-pool.js';
import { type SlowCallbackEvent, watchEventLoop } from './event-loop-watch.js';
import { taskHooks } from './task-hooks.js';

// The loop must really be blocked here; the assertions only rely on "at least this long".
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

function nextTimer(fn: () => void): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(function blockingTimer() {
      fn();
      resolve();
    }, 1);
  });
}

async function delivered(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('watchEventLoop', () => {
  it('reports a timer callback that blocks the loop, with type, name and duration', async () => {
    const events: SlowCallbackEvent[] = [];
    using watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
    await nextTimer(() => block(60));
    await delivered();
    const event = events.find((e) => e.name === 'blockingTimer');
    expect(event).toBeDefined();
    expect(event?.type).toBe('Timeout');
    expect(event?.origin).toBe('Timeout blockingTimer');
    expect(event?.durationMs).toBeGreaterThanOrEqual(60);
    expect(event?.stack).toBeUndefined();
    expect(watch.slowCallbacks).toBeGreaterThanOrEqual(1);
  });

  it('reports a promise continuation that blocks the loop', async () => {
    const events: SlowCallbackEvent[] = [];
    using _watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
    await sleep(1);
    block(60);
    await delivered();
    expect(events.some((e) => e.type === 'PROMISE' && e.durationMs >= 60)).toBe(true);
  });

  it('with captureStacks, says where the slow resource was created', async () => {
    const events: SlowCallbackEvent[] = [];
    using _watch = watchEventLoop({
      thresholdMs: 20,
      captureStacks: true,
      onSlow: (e) => events.push(e),
    });
    await nextTimer(() => block(40));
    await delivered();
    const event = events.find((e) => e.name === 'blockingTimer');
    expect(event?.type).toBe('Timeout');
    expect(event?.stack).toContain('event-loop-watch.test.ts');
    expect(event?.stack).not.toContain('AsyncHook');
    expect(event?.stack).not.toContain('node:timers');
    expect(event?.origin).toContain('Timeout blockingTimer created\n');
  });

  it('does not report its own slow onSlow delivery', async () => {
    const events: SlowCallbackEvent[] = [];
    using _watch = watchEventLoop({
      thresholdMs: 20,
      onSlow: (e) => {
        events.push(e);
        block(40);
      },
    });
    await nextTimer(() => block(40));
    await delivered();
    await delivered();
    expect(events.filter((e) => e.name === 'blockingTimer')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'Immediate' && e.name === 'deliver')).toEqual([]);
  });

  it('stops reporting after stop(), which is idempotent', async () => {
    const events: SlowCallbackEvent[] = [];
    const watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
    watch.stop();
    watch.stop();
    await nextTimer(() => block(40));
    await delivered();
    expect(events).toEqual([]);
    expect(watch.slowCallbacks).toBe(0);
  });

  it('samples loop-delay percentiles in milliseconds', async () => {
    using watch = watchEventLoop({ thresholdMs: 1000, resolutionMs: 5 });
    expect(watch.delay()).toEqual({ min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
    await sleep(20);
    block(80);
    await sleep(30);
    const delay = watch.delay();
    expect(delay.max).toBeGreaterThanOrEqual(40);
    expect(delay.min).toBeLessThanOrEqual(delay.p50);
    expect(delay.p50).toBeLessThanOrEqual(delay.p90);
    expect(delay.p90).toBeLessThanOrEqual(delay.p99);
    expect(delay.p99).toBeLessThanOrEqual(delay.max);
    watch.resetDelay();
    expect(watch.delay().max).toBe(0);
  });

  it('names the pool and task whose continuation blocked the loop', async () => {
    const events: SlowCallbackEvent[] = [];
    using _watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
    const pool = new AsyncPool({ maxConcurrency: 2, name: 'parsers' });
    await pool.run(
      async () => {
        await sleep(1);
        block(60); // in a continuation of the task, long after it started
      },
      { name: 'parseReport' },
    );
    await delivered();
    const event = events.find((e) => e.task === 'parseReport');
    expect(event).toMatchObject({ task: 'parseReport', pool: 'parsers', type: 'PROMISE' });
    expect(event?.origin).toBe('PROMISE in task "parseReport" of pool "parsers"');
  });

  it('names the task whose synchronous start blocked the callback that started it', async () => {
    const events: SlowCallbackEvent[] = [];
    using _watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
    const pool = new AsyncPool({ maxConcurrency: 1 });
    function crunchNumbers(): number {
      block(60);
      return 1;
    }
    await nextTimer(() => {
      void pool.submit(crunchNumbers);
    });
    await delivered();
    const event = events.find((e) => e.name === 'blockingTimer');
    expect(event).toMatchObject({ type: 'Timeout', task: 'crunchNumbers', pool: undefined });
    expect(event?.origin).toBe('Timeout blockingTimer in task "crunchNumbers"');
  });

  it('leaves task and pool undefined for callbacks that are no pool task, and with tasks: false', async () => {
    const events: SlowCallbackEvent[] = [];
    {
      using _watch = watchEventLoop({ thresholdMs: 20, onSlow: (e) => events.push(e) });
      await nextTimer(() => block(40));
      await delivered();
    }
    {
      using _watch = watchEventLoop({
        thresholdMs: 20,
        tasks: false,
        onSlow: (e) => events.push(e),
      });
      expect(taskHooks.call).toBeUndefined();
      const pool = new AsyncPool({ maxConcurrency: 1, name: 'p' });
      await pool.run(
        async () => {
          await sleep(1);
          block(40);
        },
        { name: 'hidden' },
      );
      await delivered();
    }
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) expect(event.task).toBeUndefined();
    // Stopping the last watch takes the hook out of the pools' path again.
    expect(taskHooks.call).toBeUndefined();
  });

  it('reports event-loop utilisation beside the delay percentiles', async () => {
    using watch = watchEventLoop({ thresholdMs: 1000 });
    await sleep(20);
    block(60);
    await sleep(5);
    const busy = watch.utilization();
    expect(busy.activeMs).toBeGreaterThanOrEqual(60);
    expect(busy.utilization).toBeGreaterThan(0);
    expect(busy.utilization).toBeLessThanOrEqual(1);
    expect(busy.utilization).toBeCloseTo(busy.activeMs / (busy.activeMs + busy.idleMs), 6);
    watch.resetDelay();
    expect(watch.utilization().activeMs).toBeLessThan(busy.activeMs);
  });

  it('validates its options', () => {
    expect(() => watchEventLoop({ thresholdMs: -1 })).toThrow(RangeError);
    expect(() => watchEventLoop({ resolutionMs: 0 })).toThrow(RangeError);
  });
});
