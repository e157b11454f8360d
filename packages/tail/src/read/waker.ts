import { type DirEventType, type DirSubscription, subscribe } from './dir-watch.js';

/**
 * Wakes a follower when its file's name sees an event in the directory's shared watch, or
 * after a timeout, whichever comes first. `renamed` says a name event (create, delete,
 * move) was seen since the follower last looked at the path.
 */
export class Waker {
  #sub: DirSubscription | undefined;
  /** Set by a rename/create/delete event (cleared by the follower once it looked). */
  renamed = true;
  #poked = false;
  #wake: (() => void) | undefined;

  /** Watches `name` in `dir` through the directory's shared watch. */
  watch(dir: string, name: string): void {
    this.unwatch();
    this.#sub = subscribe(dir, name, (type: DirEventType) => {
      if (type === 'rename') this.renamed = true;
      this.poke();
    });
  }

  /** True while events arrive from a working watch (otherwise: poll). */
  get watching(): boolean {
    return this.#sub?.active ?? false;
  }

  unwatch(): void {
    this.#sub?.close();
    this.#sub = undefined;
  }

  /** Wakes the follower now (or its next wait at once). */
  poke(): void {
    const wake = this.#wake;
    if (wake) wake();
    else this.#poked = true;
  }

  /** Resolves on the next event (true), after `ms` or when `signal` aborts (false). */
  wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#poked || signal?.aborted) {
      const poked = this.#poked;
      this.#poked = false;
      return Promise.resolve(poked);
    }
    return new Promise((resolve) => {
      const finish = (poked: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        this.#poked = false;
        resolve(poked);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(onAbort, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake = () => finish(true);
    });
  }
}
