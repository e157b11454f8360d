/**
 * `WorkerPool#broadcast` on piscina, which cannot address one thread: `maxThreads` barrier
 * tasks go to piscina at once (piscina starts a thread for each one that finds none free,
 * up to `maxThreads`), and each, on its thread, claims a slot of a shared `Int32Array` and
 * waits until every slot is claimed (see `worker/barrier.ts`). A thread runs one task at a
 * time, so when the last slot is claimed each thread holds exactly one barrier task, and
 * every thread runs the call exactly once. Broadcasts run one after another: two gathering
 * at once could each hold some threads and wait for the others forever. A slot whose thread
 * ended waits in piscina's queue; the thread pool starts a thread for it (see
 * `ThreadWorkers`: piscina itself would keep only `minThreads`).
 */
import { raceAbort } from '@fanout/internal/abort';
import {
  type BarrierResult,
  type BarrierTask,
  BARRIER,
  type CallBody,
} from '../worker/protocol.js';
import type { CallOptions } from './backend.js';

/** One barrier task sent to piscina, as the thread pool tracks it. */
export interface BarrierCall {
  /** Settles with the task's `BarrierResult`, or rejects as a task would. */
  readonly result: Promise<unknown>;
  /** Rejects it with `reason`; if it runs, its thread is ended (piscina replaces it). */
  end(reason: unknown): void;
  /** Resolves it as called off, leaving its piscina task alone (it runs nothing, if ever). */
  abandon(): void;
}

/** What a broadcast needs from the thread pool. */
export interface BarrierHost {
  readonly maxThreads: number;
  /** Sends a barrier task, built with the id of its call. */
  sendBarrier(
    build: (id: number) => BarrierTask,
    exportName: string,
    options: CallOptions,
  ): BarrierCall;
}

const CALLED_OFF: BarrierResult = { threadId: -1, cancelled: true, value: undefined };

/** The shared cells of one broadcast and its calls, one per slot. */
class Gathering {
  readonly cells: Int32Array;
  readonly calls: BarrierCall[] = [];

  constructor(readonly count: number) {
    const bytes = Int32Array.BYTES_PER_ELEMENT * (BARRIER.slots + count);
    this.cells = new Int32Array(new SharedArrayBuffer(bytes));
  }

  get state(): number {
    return Atomics.load(this.cells, BARRIER.state);
  }

  /**
   * Calls the broadcast off while it gathers: waiting threads return without running the
   * call, unclaimed slots are withdrawn (their tasks run nothing if a thread ever takes
   * them). False if it is too late (every slot was claimed: the call runs) or done already.
   */
  cancel(): boolean {
    const { cells } = this;
    if (
      Atomics.compareExchange(cells, BARRIER.state, BARRIER.GATHERING, BARRIER.CANCELLED) !==
      BARRIER.GATHERING
    ) {
      return false;
    }
    Atomics.notify(cells, BARRIER.state);
    for (let slot = 0; slot < this.count; slot++) {
      const cell = BARRIER.slots + slot;
      if (Atomics.compareExchange(cells, cell, BARRIER.FREE, BARRIER.WITHDRAWN) === BARRIER.FREE) {
        this.calls[slot]?.abandon();
      }
    }
    return true;
  }
}

export class ThreadBroadcasts {
  readonly #host: BarrierHost;
  /** Settles when the last broadcast started is over. */
  #chain: Promise<void> = Promise.resolve();

  constructor(host: BarrierHost) {
    this.#host = host;
  }

  /**
   * Runs `body` once on every thread, `maxThreads` of them, after the broadcasts before it.
   * Resolves with the results in thread start order; rejects with the first failure once
   * every call settled, or with `signal.reason` on abort.
   */
  run(body: CallBody, options: CallOptions): Promise<unknown[]> {
    const previous = this.#chain;
    let finished!: () => void;
    const mine = new Promise<void>((resolve) => {
      finished = resolve;
    });
    this.#chain = previous.then(() => mine);
    const turn = raceAbort(previous, options.signal).then(() => this.#broadcast(body, options));
    void turn.then(finished, finished);
    return turn;
  }

  async #broadcast(body: CallBody, options: CallOptions): Promise<unknown[]> {
    const host = this.#host;
    const gathering = new Gathering(host.maxThreads);
    const { count, cells, calls } = gathering;
    // The broadcast listens to the caller's signal itself: while it gathers, an abort
    // releases the waiting threads instead of ending them.
    const callOptions: CallOptions = {
      signal: undefined,
      transferList: undefined,
      timeoutMs: options.timeoutMs,
    };
    const timed = options.timeoutMs !== Number.POSITIVE_INFINITY;
    let failure: { reason: unknown } | undefined;
    const fail = (reason: unknown): void => {
      failure ??= { reason };
      // Gathering, the others would wait for this one forever: call it off.
      gathering.cancel();
    };
    const { signal } = options;
    const onAbort = (): void => {
      const reason = signal?.reason;
      failure = { reason };
      if (!gathering.cancel() && gathering.state === BARRIER.GO) {
        for (const call of calls) call.end(reason);
      }
    };
    try {
      for (let slot = 0; slot < count; slot++) {
        calls.push(
          host.sendBarrier(
            (id) => ({ t: 'barrier', id, timed, call: body, cells, slot, count }),
            body.exportName,
            callOptions,
          ),
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const results = await Promise.all(
        calls.map((call) =>
          call.result.then(
            (result) => result as BarrierResult,
            (error: unknown) => {
              fail(error);
              return CALLED_OFF;
            },
          ),
        ),
      );
      if (failure !== undefined) throw failure.reason;
      return results.sort((a, b) => a.threadId - b.threadId).map((result) => result.value);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
