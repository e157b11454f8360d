/**
 * Callers of `AsyncPool#waitForRoom` waiting in FIFO order. Every waiter settles exactly
 * once: woken, rejected (pool closed), or aborted through its own signal.
 */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
}

export class RoomWaiters {
  #waiters: Waiter[] = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** A promise that settles when `wake` reaches it, `rejectAll` runs, or `signal` aborts. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Resolve up to `count` waiters, oldest first. */
  wake(count: number): void {
    let left = count;
    while (left > 0 && this.#waiters.length > 0) {
      this.#waiters.shift()?.resolve();
      left--;
    }
  }

  /** Reject every waiter with a fresh error from `reason`. */
  rejectAll(reason: () => unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(reason());
  }
}
