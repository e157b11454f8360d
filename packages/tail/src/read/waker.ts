import { type FSWatcher, watch } from 'node:fs';

/**
 * Wakes a follower when its file changes (`fs.watch`) or after the polling interval, whichever
 * comes first; some filesystems deliver no events, so the timer is the fallback.
 */
export class Waker {
  #watcher: FSWatcher | undefined;
  /** Set when the watch saw a rename or deletion (cleared by the follower once it looked). */
  renamed = false;
  #poked = false;
  #wake: (() => void) | undefined;

  /** Watches `path` (replacing any previous watch); failures leave polling alone. */
  watch(path: string): void {
    this.unwatch();
    try {
      const w = watch(path, { persistent: false }, (type) => {
        if (type === 'rename') this.renamed = true;
        this.#poke();
      });
      w.on('error', () => this.unwatch());
      this.#watcher = w;
    } catch {
      this.#watcher = undefined;
    }
  }

  unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #poke(): void {
    const wake = this.#wake;
    if (wake) wake();
    else this.#poked = true;
  }

  /** Resolves on the next change event, after `ms`, or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#poked || signal?.aborted) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}
