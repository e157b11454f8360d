/**
 * Everything that waits on an `AsyncPool`'s state, and the transitions that wake it:
 * `waitForRoom` callers (room), `onEmpty`/`onSizeLessThan` callers (queue size), `onIdle`
 * callers, and whether the queue just emptied or the pool just went idle (the `empty` and
 * `idle` events fire once per transition). The pool asks in that order, firing `empty`
 * before it looks at idleness, so an `empty` listener that starts work keeps it busy.
 */
import { RoomWaiters } from './room-waiters.js';
import { SizeWaiters } from './size-waiters.js';

export class PoolWaiters {
  readonly room = new RoomWaiters();
  readonly size = new SizeWaiters();
  #idle: (() => void)[] = [];
  /** Work was accepted since the pool was last idle. */
  busy = false;
  /** Tasks were queued since the queue was last empty. */
  wasQueued = false;

  /** Resolves at the next transition to idle (the caller checked the pool is not idle). */
  untilIdle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#idle.push(resolve);
    });
  }

  /** `room` more tasks would be accepted: wake as many `waitForRoom` callers. */
  wakeRoom(room: number): void {
    if (this.room.length > 0) this.room.wake(room);
  }

  /** `queued` tasks wait: wake the size waiters whose limit is above it. */
  wakeSize(queued: number): void {
    if (this.size.length > 0) this.size.wake(queued);
  }

  /** The queue is empty: true (and size waiters woken) if it just became so. */
  emptied(): boolean {
    if (!this.wasQueued) return false;
    this.wasQueued = false;
    this.wakeSize(0);
    return true;
  }

  /** Nothing runs or waits: true (and `onIdle` callers woken) if the pool just went idle. */
  idled(): boolean {
    if (!this.busy) return false;
    this.busy = false;
    if (this.#idle.length > 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const resolve of waiters) resolve();
    }
    return true;
  }
}
