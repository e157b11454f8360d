/**
 * Callers of `onEmpty`/`onSizeLessThan` waiting for the queue to shrink. Each resolves once,
 * the first time the queue is smaller than its limit; none ever rejects (clearing or closing
 * the pool empties the queue, so they cannot hang on a pool that stops).
 */
interface SizeWaiter {
  readonly limit: number;
  readonly resolve: () => void;
}

export class SizeWaiters {
  #waiters: SizeWaiter[] = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** A promise resolved once `wake` sees a size below `limit`. */
  wait(limit: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiters.push({ limit, resolve });
    });
  }

  /** Resolves the waiters whose limit is above `size`. */
  wake(size: number): void {
    const waiting = this.#waiters;
    if (!waiting.some((waiter) => size < waiter.limit)) return;
    this.#waiters = waiting.filter((waiter) => size >= waiter.limit);
    for (const waiter of waiting) if (size < waiter.limit) waiter.resolve();
  }
}
