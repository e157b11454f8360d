/**
 * The caller's book of jobs it submitted and has not heard back from: each settles once,
 * whatever arrives (a reply, a second reply after a re-run, a cancel, a lost connection).
 * Also the counters behind `stats` and the waiters of `waitForRoom` and `onIdle`.
 */
import { ExecutorClosedError } from '@fanout/executors';

/** One submitted job. */
export interface PendingJob {
  readonly id: string;
  readonly batch: string;
  readonly exportName: string;
  active: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

interface RoomWaiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class PendingJobs {
  readonly #jobs = new Map<string, PendingJob>();
  readonly #maxQueue: number;
  #waiting = 0;
  #active = 0;
  #completed = 0;
  #failed = 0;
  #roomWaiters: RoomWaiter[] = [];
  #idleWaiters: (() => void)[] = [];
  /** Called when the first job is added and when the last one settles. */
  readonly #onBusyChange: (busy: boolean) => void;

  constructor(maxQueue: number, onBusyChange: (busy: boolean) => void) {
    this.#maxQueue = maxQueue;
    this.#onBusyChange = onBusyChange;
  }

  get size(): number {
    return this.#jobs.size;
  }

  get stats(): { waiting: number; active: number; completed: number; failed: number } {
    return {
      waiting: this.#waiting,
      active: this.#active,
      completed: this.#completed,
      failed: this.#failed,
    };
  }

  hasRoom(): boolean {
    return this.#jobs.size < this.#maxQueue;
  }

  add(job: PendingJob): void {
    this.#jobs.set(job.id, job);
    this.#waiting++;
    if (this.#jobs.size === 1) this.#onBusyChange(true);
  }

  get(id: string): PendingJob | undefined {
    return this.#jobs.get(id);
  }

  /** Ids of the unsettled jobs of `batch` (all of them when omitted). */
  ids(batch?: string): string[] {
    const ids: string[] = [];
    for (const job of this.#jobs.values())
      if (batch === undefined || job.batch === batch) ids.push(job.id);
    return ids;
  }

  /** A worker reported that it started the job. */
  markActive(id: string): void {
    const job = this.#jobs.get(id);
    if (job === undefined || job.active) return;
    job.active = true;
    this.#waiting--;
    this.#active++;
  }

  /** Settles a job once; later calls for the same id do nothing. */
  settle(
    id: string,
    outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
  ): boolean {
    const job = this.#jobs.get(id);
    if (job === undefined) return false;
    this.#jobs.delete(id);
    if (job.active) this.#active--;
    else this.#waiting--;
    if (outcome.ok) {
      this.#completed++;
      job.resolve(outcome.value);
    } else {
      this.#failed++;
      job.reject(outcome.error);
    }
    this.#wakeRoomWaiters();
    if (this.#jobs.size === 0) {
      this.#onBusyChange(false);
      const idle = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of idle) resolve();
    }
    return true;
  }

  /** Rejects every unsettled job (of `ids`, or all) with `error`. */
  rejectAll(error: unknown, ids: readonly string[] = this.ids()): void {
    for (const id of ids) this.settle(id, { ok: false, error });
  }

  onIdle(): Promise<void> {
    if (this.#jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  waitForRoom(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.hasRoom()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: RoomWaiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#roomWaiters = this.#roomWaiters.filter((w) => w !== waiter);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#roomWaiters.push(waiter);
    });
  }

  /** Pending `waitForRoom` calls reject: no room will come. */
  closeRoom(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const waiter of waiters) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new ExecutorClosedError('executor closed while waiting for room'));
    }
  }

  #wakeRoomWaiters(): void {
    // One waiter per free place, in order; each may submit before the next wakes.
    let free = this.#maxQueue - this.#jobs.size;
    while (free > 0 && this.#roomWaiters.length > 0) {
      const waiter = this.#roomWaiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
      free--;
    }
  }
}
