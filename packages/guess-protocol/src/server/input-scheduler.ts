import { createSlicer, type Slicer } from '@fanout/executors/core';

/** Work the scheduler runs: one connection's input received so far. */
export interface InputTask {
  run(): void;
}

/** Where a connection hands its input (the server's `InputScheduler`). */
export interface InputQueue {
  /** Runs `task` now or queues it for a later slice; `fresh`: the connection has had no reply yet. */
  schedule(task: InputTask, fresh: boolean): void;
}

/** Longest stretch of queued work between two polls of the sockets, while nobody connects. */
export const STEADY_SLICE_MS = 4;
/** The same while connections are arriving: the listener is polled (and accepts) that often. */
export const ARRIVAL_SLICE_MS = 0.25;
/**
 * Input handled right in its read callback, per poll of the sockets, at most (the rest is
 * queued). Answering at once keeps this process and its clients working side by side;
 * the cap keeps a poll short however many sockets are ready.
 */
export const INLINE_MS = 1;

/**
 * Tasks in arrival order: `now` is worked through by index while new ones gather in
 * `later`, and the two swap when `now` runs out, so no array is shifted or grows forever.
 */
class Lane {
  #now: InputTask[] = [];
  #at = 0;
  #later: InputTask[] = [];

  get size(): number {
    return this.#now.length - this.#at + this.#later.length;
  }

  push(task: InputTask): void {
    this.#later.push(task);
  }

  take(): InputTask | undefined {
    if (this.#at === this.#now.length) {
      if (this.#later.length === 0) return undefined;
      this.#now = this.#later;
      this.#later = [];
      this.#at = 0;
    }
    return this.#now[this.#at++];
  }
}

/**
 * Decides when the server handles what its connections sent, so that a busy server still
 * accepts and answers new connections at once.
 *
 * Why: libuv (Node 20 and later) accepts one connection per readiness event of the listening
 * socket, and the kernel reports that event once per pass over every ready socket. When each
 * ready socket is read *and answered* in the same callback, one pass over 10,000 busy
 * sessions takes as long as their round trip (hundreds of ms), so new connections wait in
 * the listen queue for seconds. Here the first millisecond of input of each poll is still
 * answered in its read callback (a lightly loaded server behaves as before), but beyond
 * that a read only queues its input. The queue is worked off in slices of a few
 * milliseconds with a poll of the sockets between slices, so a pass over the ready sockets
 * stays short and the listener comes up every slice. Connections that have not had their
 * first reply yet go first, and slices shrink while connections arrive, so a burst of new
 * clients is accepted within a few hundred polls.
 */
export class InputScheduler implements InputQueue {
  readonly #fresh = new Lane();
  readonly #established = new Lane();
  readonly #slicer: Slicer = createSlicer({ sliceMs: STEADY_SLICE_MS });
  #running = false;
  #arrivals = false;
  /** When input was first handled inline in the current poll (undefined: not yet). */
  #pollStart: number | undefined;
  readonly #pollEnded = (): void => {
    this.#pollStart = undefined;
  };

  /** Tasks waiting. */
  get pending(): number {
    return this.#fresh.size + this.#established.size;
  }

  /**
   * Runs `task` now, while the current poll's inline budget lasts, else queues it. Called
   * from read callbacks (the poll phase); the budget renews when the loop moves on.
   */
  schedule(task: InputTask, fresh: boolean): void {
    const now = performance.now();
    if (this.#pollStart === undefined) {
      this.#pollStart = now;
      setImmediate(this.#pollEnded); // the check phase: this poll is over
    }
    if (now - this.#pollStart < (this.#arrivals ? ARRIVAL_SLICE_MS : INLINE_MS)) task.run();
    else this.enqueue(task, fresh);
  }

  /**
   * Queues `task` for a later slice. `fresh` tasks (a connection still waiting for its
   * first reply) run before the others.
   */
  enqueue(task: InputTask, fresh: boolean): void {
    (fresh ? this.#fresh : this.#established).push(task);
    if (!this.#running) {
      this.#running = true;
      void this.#run();
    }
  }

  /** A connection was accepted: keep slices short while more may be waiting to be. */
  noteArrival(): void {
    this.#arrivals = true;
  }

  async #run(): Promise<void> {
    try {
      while (this.pending > 0) {
        // Start every slice from a macrotask: the sockets are polled in between, so the
        // listener gets its turn and every socket with input has been read (and queued).
        await this.#slicer.yield();
        this.#slicer.sliceMs = this.#arrivals ? ARRIVAL_SLICE_MS : STEADY_SLICE_MS;
        this.#arrivals = false;
        for (;;) {
          const task = this.#fresh.take() ?? this.#established.take();
          if (task === undefined) break;
          task.run();
          if (this.#slicer.due) break;
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
