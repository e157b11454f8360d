import { type DirEventType, type DirSubscription, subscribe } from './dir-watch.js';

/** A timer still armed this close to a new deadline is kept (not cleared and set again). */
const KEEP_TIMER_MS = 2;

/**
 * Asked when a wait's timer fires: the delay after which to ask again when nothing changed
 * (the wait goes on, nobody is woken), or undefined to end the wait as a timeout.
 */
export type QuietCheck = () => number | undefined;

/**
 * Wakes a follower when its file's name sees an event in the directory's shared watch, or
 * after a timeout, whichever comes first. `renamed` says a name event (create, delete,
 * move) was seen since the follower last looked at the path.
 *
 * A wake-up costs no allocation beyond the promise: the abort listener is added once per
 * signal, and the timer stays armed across waits for the same deadline (a follower waits
 * for its next safety check, which does not move when an append wakes it). A wait given a
 * `QuietCheck` runs it on the timer's tick and, when nothing changed, re-arms the same timer
 * and goes on waiting: an idle file's periodic look then costs neither a promise nor a turn
 * of the follower's loop (with 1,000 idle files those made most of the garbage collected).
 */
export class Waker {
  #sub: DirSubscription | undefined;
  /** Set by a rename/create/delete event (cleared by the follower once it looked). */
  renamed = true;
  #poked = false;
  #resolve: ((poked: boolean) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #due = 0;
  /** The armed timer's delay (what `refresh` re-arms it with). */
  #ms = 0;
  #quiet: QuietCheck | undefined;
  #signal: AbortSignal | undefined;
  readonly #onAbort = () => this.#finish(false);
  readonly #onTimer = () => {
    const again = this.#resolve ? this.#quiet?.() : undefined;
    const timer = this.#timer;
    if (again !== undefined && timer !== undefined) {
      this.#due = performance.now() + again;
      if (again === this.#ms) timer.refresh();
      else {
        this.#ms = again;
        this.#timer = setTimeout(this.#onTimer, again);
      }
      return;
    }
    this.#timer = undefined;
    this.#finish(false);
  };

  /**
   * Watches `name` in `dir` through the directory's shared watch. `handled`, when given, is
   * asked first on a change event (not a rename): true when it dealt with the event itself,
   * so nobody needs waking.
   */
  watch(dir: string, name: string, handled?: () => boolean): void {
    this.unwatch();
    this.#sub = subscribe(dir, name, (type: DirEventType) => {
      if (type === 'rename') this.renamed = true;
      else if (handled?.()) return;
      this.poke();
    });
  }

  /** True while events arrive from a working watch (otherwise: poll). */
  get watching(): boolean {
    return this.#sub?.active ?? false;
  }

  /** Stops watching, and releases the timer and the abort listener. */
  unwatch(): void {
    this.#sub?.close();
    this.#sub = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#signal = undefined;
    this.#finish(false);
  }

  /** Wakes the follower now (or its next wait at once). */
  poke(): void {
    if (this.#resolve) this.#finish(true);
    else this.#poked = true;
  }

  #finish(poked: boolean): void {
    const resolve = this.#resolve;
    if (!resolve) return;
    this.#resolve = undefined;
    this.#poked = false;
    resolve(poked);
  }

  /**
   * Resolves on the next event (true), after `ms` or when `signal` aborts (false). With
   * `quiet`, the timeout first asks it (see `QuietCheck`) and resolves only when it says so.
   */
  wait(ms: number, signal: AbortSignal | undefined, quiet?: QuietCheck): Promise<boolean> {
    if (this.#poked || signal?.aborted) {
      const poked = this.#poked;
      this.#poked = false;
      return Promise.resolve(poked);
    }
    if (signal !== this.#signal) {
      this.#signal?.removeEventListener('abort', this.#onAbort);
      this.#signal = signal;
      signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
    this.#quiet = quiet;
    const due = performance.now() + ms;
    if (this.#timer === undefined || Math.abs(this.#due - due) > KEEP_TIMER_MS) {
      clearTimeout(this.#timer);
      this.#due = due;
      this.#ms = ms;
      this.#timer = setTimeout(this.#onTimer, ms);
    }
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
}
