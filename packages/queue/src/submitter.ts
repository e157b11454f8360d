/**
 * Sends jobs to Redis in batches: every job submitted in the same turn of the event loop
 * goes in one `addBulk` (one round trip), so a burst of `run` calls costs what one `map`
 * does. A job cancelled before its batch left is simply dropped.
 */
import type { Queue } from 'bullmq';
import type { JobData } from './protocol.js';

interface Outgoing {
  readonly id: string;
  readonly exportName: string;
  readonly data: JobData;
}

const JOB_OPTIONS = {
  // A finished job's record is deleted at once: results travel in the reply stream.
  removeOnComplete: true,
  removeOnFail: true,
  // A task's own error is an outcome, not a reason to retry; re-runs after a dead worker
  // are BullMQ's stalled-job recovery, counted against the job's `maxAttempts`.
  attempts: 1,
} as const;

export class JobSubmitter {
  readonly #queue: Queue;
  readonly #onFailed: (ids: string[], error: unknown) => void;
  #buffer: Outgoing[] = [];
  #scheduled = false;
  #inFlight = new Set<Promise<void>>();

  readonly #ready: Promise<void>;

  /** Nothing is sent before `ready` resolves (the caller's reply stream exists). */
  constructor(
    queue: Queue,
    ready: Promise<void>,
    onFailed: (ids: string[], error: unknown) => void,
  ) {
    this.#queue = queue;
    this.#ready = ready;
    this.#onFailed = onFailed;
  }

  add(id: string, exportName: string, data: JobData): void {
    this.#buffer.push({ id, exportName, data });
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#flush());
  }

  /** Removes the jobs of `ids` not sent yet; returns the ids it removed. */
  drop(ids: ReadonlySet<string>): Set<string> {
    const dropped = new Set<string>();
    this.#buffer = this.#buffer.filter((job) => {
      if (!ids.has(job.id)) return true;
      dropped.add(job.id);
      return false;
    });
    return dropped;
  }

  /** Runs `fn` once every batch sent so far has reached Redis (or failed). */
  afterSent(fn: () => void): void {
    const pending = [...this.#inFlight];
    if (this.#scheduled) pending.push(new Promise<void>((resolve) => queueMicrotask(resolve)));
    Promise.all(pending).then(fn, fn);
  }

  /** Resolves once nothing is buffered or being sent. */
  async flushed(): Promise<void> {
    while (this.#scheduled || this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight, new Promise<void>((resolve) => setImmediate(resolve))]);
    }
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length === 0) return;
    const sending = this.#ready
      .then(() =>
        this.#queue.addBulk(
          batch.map((job) => ({
            name: job.exportName,
            data: job.data,
            opts: { ...JOB_OPTIONS, jobId: job.id },
          })),
        ),
      )
      .then(
        () => {},
        (error: unknown) =>
          this.#onFailed(
            batch.map((job) => job.id),
            error,
          ),
      )
      .finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }
}
