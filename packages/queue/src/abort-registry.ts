/**
 * One abort listener per caller signal, however many jobs share it: a thousand `run` calls
 * with one `signal` add one listener (no `MaxListenersExceededWarning`, no O(n) listener
 * lists), and aborting cancels every job still registered under it.
 */
export class AbortRegistry {
  readonly #bySignal = new Map<AbortSignal, { jobs: Set<string>; onAbort: () => void }>();
  readonly #cancel: (jobIds: readonly string[], reason: unknown) => void;

  constructor(cancel: (jobIds: readonly string[], reason: unknown) => void) {
    this.#cancel = cancel;
  }

  /** Cancels `jobId` when `signal` aborts, until `forget`. */
  register(signal: AbortSignal, jobId: string): void {
    let entry = this.#bySignal.get(signal);
    if (entry === undefined) {
      const jobs = new Set<string>();
      const onAbort = (): void => {
        this.#bySignal.delete(signal);
        this.#cancel([...jobs], signal.reason);
      };
      entry = { jobs, onAbort };
      this.#bySignal.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    entry.jobs.add(jobId);
  }

  /** The job settled: its signal no longer matters to it. */
  forget(signal: AbortSignal, jobId: string): void {
    const entry = this.#bySignal.get(signal);
    if (entry === undefined) return;
    entry.jobs.delete(jobId);
    if (entry.jobs.size > 0) return;
    this.#bySignal.delete(signal);
    signal.removeEventListener('abort', entry.onAbort);
  }
}
