/**
 * `setup` on piscina's threads: which threads are up (their setup succeeded), down (it
 * threw) or still starting, and the calls a down thread gave back. Such a call waits for
 * a thread that is up, or may still come up, and is handed to piscina again whenever one
 * may be free (a thread came up, or a call finished); once no thread is up or starting
 * (a setup that always fails), the calls that wait reject instead of waiting forever.
 */

/** What the tracker does with the calls that wait. */
export interface SetupHost<Call> {
  /** Ids of the threads piscina has now (alive or starting). */
  threadIds(): readonly number[];
  /** True while any call is in flight in piscina (one will finish and free a thread). */
  busy(): boolean;
  /** Hand a waiting call to piscina again. */
  resend(call: Call): void;
  /** No thread can run it: reject it with the setup's error. */
  fail(call: Call, cause: unknown): void;
  /** True once the call settled some other way (aborted, timed out) while it waited. */
  settled(call: Call): boolean;
}

export class ThreadSetups<Call> {
  readonly #host: SetupHost<Call>;
  readonly #up = new Set<number>();
  readonly #down = new Set<number>();
  #waiting: { readonly call: Call; readonly cause: unknown }[] = [];

  constructor(host: SetupHost<Call>) {
    this.#host = host;
  }

  /** A thread's setup succeeded: what waits may run on it. */
  up(threadId: number): void {
    // Only if piscina still has it (it may have ended before the notice arrived).
    if (!this.#host.threadIds().includes(threadId)) return;
    this.#up.add(threadId);
    this.#resendAll();
  }

  /** A thread's setup threw. */
  down(threadId: number): void {
    this.#down.add(threadId);
    this.#failIfHopeless();
  }

  /** A thread ended (piscina reports it before removing it: look once it has). */
  gone(threadId: number): void {
    const wasUp = this.#up.delete(threadId);
    this.#down.delete(threadId);
    queueMicrotask(() => {
      // The thread they waited for is gone (idle, recycled, crashed): piscina starts
      // others as needed, which may set up fine, so what waits goes to piscina again.
      if (wasUp && this.#up.size === 0) this.#resendAll();
      else this.#failIfHopeless();
    });
  }

  /** A call finished on a thread, which may be free now. */
  freed(): void {
    if (this.#waiting.length > 0) this.#resendAll();
  }

  /** A down thread gave `call` back, untouched (it has been ended). */
  giveBack(call: Call, cause: unknown): void {
    this.#waiting.push({ call, cause });
    if (!this.#failIfHopeless() && this.#up.size > 0 && !this.#host.busy()) {
      // Nothing in flight will finish to say a thread is free: the up ones are idle now.
      this.#resendAll();
    }
  }

  #hopeful(): boolean {
    if (this.#up.size > 0) return true;
    return this.#host.threadIds().some((id) => !this.#down.has(id));
  }

  /** Fails what waits if no thread is up or starting; true if it did. */
  #failIfHopeless(): boolean {
    if (this.#waiting.length === 0 || this.#hopeful()) return false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const { call, cause } of waiting) {
      if (!this.#host.settled(call)) this.#host.fail(call, cause);
    }
    return true;
  }

  #resendAll(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const { call } of waiting) if (!this.#host.settled(call)) this.#host.resend(call);
  }
}
