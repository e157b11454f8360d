import { describe, expect, it } from 'vitest';
import { INLINE_MS, InputScheduler, STEADY_SLICE_MS } from './input-scheduler.js';

/** Spins for `ms` of wall time: a task that costs real work. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

function idle(scheduler: InputScheduler): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (scheduler.pending === 0) resolve();
      else setImmediate(check);
    };
    check();
  });
}

describe('InputScheduler', () => {
  it('runs queued tasks after the current callback, in order, fresh ones first', async () => {
    const scheduler = new InputScheduler();
    const ran: string[] = [];
    const task = (name: string) => ({ run: () => ran.push(name) });
    scheduler.enqueue(task('a'), false);
    scheduler.enqueue(task('b'), false);
    scheduler.enqueue(task('new'), true);
    expect(ran).toEqual([]); // never inside the read callback that queued the input
    await idle(scheduler);
    expect(ran).toEqual(['new', 'a', 'b']);
  });

  it('lets the event loop turn between slices, so I/O and new arrivals get in', async () => {
    const scheduler = new InputScheduler();
    const ran: string[] = [];
    // Far more queued work than one slice: 40 tasks of 1 ms.
    for (let i = 0; i < 40; i++) {
      scheduler.enqueue(
        {
          run: () => {
            spin(1);
            ran.push(`busy${i}`);
          },
        },
        false,
      );
    }
    // Something that needs a turn of the loop (as accepting a connection does) ...
    let turnAt = -1;
    setImmediate(() => {
      turnAt = ran.length;
      // ... and the first input of a connection accepted in that turn.
      scheduler.noteArrival();
      scheduler.enqueue({ run: () => ran.push('new') }, true);
    });
    await idle(scheduler);
    expect(ran).toHaveLength(41);
    // The turn came after about one slice of work, not after all of it.
    expect(turnAt).toBeGreaterThan(0);
    expect(turnAt).toBeLessThanOrEqual(STEADY_SLICE_MS + 1);
    // The new connection ran at the start of the next slice, ahead of the queued work.
    expect(ran.indexOf('new')).toBe(turnAt);
  });

  it('keeps slices short while connections arrive', async () => {
    const scheduler = new InputScheduler();
    const ran: number[] = [];
    for (let i = 0; i < 40; i++) {
      scheduler.enqueue(
        {
          run: () => {
            spin(0.25);
            ran.push(i);
          },
        },
        false,
      );
    }
    // Arrivals in every turn: each slice is then at most ARRIVAL_SLICE_MS (0.25 ms: one task, two at most).
    const turns: number[] = [];
    const arrive = (): void => {
      turns.push(ran.length);
      scheduler.noteArrival();
      if (scheduler.pending > 0) setImmediate(arrive);
    };
    scheduler.noteArrival();
    setImmediate(arrive);
    await idle(scheduler);
    const slices = turns.slice(1).map((done, i) => done - turns[i]!);
    expect(Math.max(...slices)).toBeLessThanOrEqual(3);
    expect(ran).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('runs input at once for the first INLINE_MS of a poll, queues the rest, and renews each turn', async () => {
    const scheduler = new InputScheduler();
    const ran: string[] = [];
    const task = (name: string, cost = 0) => ({
      run: () => {
        spin(cost);
        ran.push(name);
      },
    });
    // One "poll": reads come in one after another in the same callback phase.
    scheduler.schedule(task('a', INLINE_MS + 0.5), false); // inline, and spends the budget
    scheduler.schedule(task('b'), false); // queued
    scheduler.schedule(task('new'), true); // queued, ahead of b
    expect(ran).toEqual(['a']);
    await idle(scheduler);
    expect(ran).toEqual(['a', 'new', 'b']);
    // A later poll has a budget of its own.
    await new Promise((resolve) => setImmediate(resolve));
    scheduler.schedule(task('c'), false);
    expect(ran).toEqual(['a', 'new', 'b', 'c']);
  });
});
