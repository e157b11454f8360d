/**
 * The child processes of a `WorkerPool` with `runtime: 'process'` (piscina runs threads
 * only) and what runs on each: start, feed, time out, recycle, replace. The pool's own
 * `AsyncPool` in front of this keeps at most `maxThreads` tasks here at once (priorities,
 * `maxQueue`, aborts while queued live there); what waits here waits only for a process
 * that is starting, or busy with a broadcast call.
 */
import { ExecutorClosedError, TimeoutError, WorkerCrashedError } from '../errors.js';
import type { CallBody, FromWorker, RunnerInit, TaskBody } from '../worker/protocol.js';
import { deserializeThrown } from '../worker/serialize-error.js';
import { type CallOptions, settleCall, type WorkerBackend } from './backend.js';
import type { WorkerResourceLimits } from './options.js';
import { startProcess, type WorkerHandle } from './process-handle.js';

/** How the processes are run. */
export interface ProcessWorkersConfig {
  readonly init: RunnerInit;
  readonly resourceLimits: WorkerResourceLimits | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly idleTimeout: number;
  readonly recycleAfterTasks: number;
  readonly recycleAboveHeapBytes: number;
}

interface Call {
  readonly body: TaskBody;
  readonly options: CallOptions;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /** The worker running it (or, for a broadcast call, the only worker it may run on). */
  worker: Slot | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

type SlotState = 'starting' | 'idle' | 'busy' | 'gone';

interface Slot {
  readonly handle: WorkerHandle;
  state: SlotState;
  /** Ended on purpose (retired, timed out, aborted): its exit is no crash. */
  ending: boolean;
  call: Call | undefined;
  /** Broadcast calls only this worker may run, before any shared call. */
  readonly own: Call[];
  tasks: number;
  busySince: number;
  setupError: unknown;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

const now = (): number => performance.now();

export class ProcessWorkers implements WorkerBackend {
  readonly #config: ProcessWorkersConfig;
  /** Workers not yet gone, in start order. */
  #slots: Slot[] = [];
  /** Every worker whose exit has not been seen, for `close`. */
  readonly #exits = new Set<Promise<void>>();
  readonly #waiting: Call[] = [];
  #nextId = 0;
  #closed = false;
  /** A worker failed before it was ready and none came up since: start more only on demand. */
  #startFailed = false;
  #busyMs = 0;
  readonly #createdAt = now();

  constructor(config: ProcessWorkersConfig) {
    this.#config = config;
    this.#fill();
  }

  /** Workers alive or starting. */
  get count(): number {
    return this.#slots.length;
  }

  /** Share of the workers' capacity spent running calls since the pool started, 0 to 1. */
  get utilization(): number {
    const at = now();
    let busy = this.#busyMs;
    for (const slot of this.#slots) if (slot.state === 'busy') busy += at - slot.busySince;
    const capacity = this.#config.maxThreads * (at - this.#createdAt);
    return capacity > 0 ? Math.min(1, busy / capacity) : 0;
  }

  /** Runs `body` on the first free worker. */
  dispatch(body: TaskBody, options: CallOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const call = this.#newCall(body, options, resolve, reject);
      if (call === undefined) return;
      this.#waiting.push(call);
      this.#schedule();
    });
  }

  /**
   * Runs `body` once on every worker, starting the missing ones up to `maxThreads` first.
   * Resolves with the results in worker start order; rejects with the first failure (after
   * every call settled, so none is left running unobserved).
   */
  async broadcast(body: CallBody, options: CallOptions): Promise<unknown[]> {
    if (this.#closed) throw new ExecutorClosedError('executor is closed: broadcast rejected');
    options.signal?.throwIfAborted();
    let startError: unknown;
    while (this.#slots.length < this.#config.maxThreads) {
      if (!this.#start(true)) {
        startError = new WorkerCrashedError(this.#config.init.module, body.exportName, {
          cause: new Error('a worker could not be started'),
        });
        break;
      }
    }
    if (this.#slots.length === 0) throw startError;
    const calls = this.#slots.map(
      (slot) =>
        new Promise<unknown>((resolve, reject) => {
          const call = this.#newCall(body, options, resolve, reject);
          if (call === undefined) return;
          call.worker = slot;
          slot.own.push(call);
          if (slot.state === 'idle') this.#feed(slot);
          else if (slot.state === 'starting') slot.handle.ref();
        }),
    );
    const outcomes = await Promise.allSettled(calls);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
  }

  /** Ends every worker (the pool drained first) and resolves once all have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    const refused = () => new ExecutorClosedError('executor closed before the call started');
    for (const call of this.#waiting.splice(0)) this.#settle(call, false, refused());
    for (const slot of [...this.#slots]) {
      for (const call of slot.own.splice(0)) this.#settle(call, false, refused());
      const running = slot.call;
      if (running !== undefined) {
        this.#settle(running, false, new ExecutorClosedError('executor closed while the call ran'));
      }
      this.#end(slot, running !== undefined);
    }
    await Promise.all(this.#exits);
  }

  #newCall(
    body: TaskBody,
    options: CallOptions,
    resolve: (value: unknown) => void,
    reject: (reason: unknown) => void,
  ): Call | undefined {
    const { signal } = options;
    if (signal?.aborted === true) {
      reject(signal.reason);
      return undefined;
    }
    const call: Call = {
      body,
      options,
      resolve,
      reject,
      worker: undefined,
      timer: undefined,
      onAbort: undefined,
      done: false,
    };
    if (signal !== undefined) {
      call.onAbort = () => this.#abort(call);
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    return call;
  }

  /** Feed idle workers, start workers for what still waits. */
  #schedule(): void {
    for (const slot of this.#slots) {
      if (this.#waiting.length === 0) break;
      if (slot.state === 'idle') this.#feed(slot);
    }
    if (this.#waiting.length === 0) return;
    let starting = 0;
    for (const slot of this.#slots) {
      if (slot.state !== 'starting') continue;
      starting++;
      // Someone waits for it: it must keep the process alive until it is ready.
      slot.handle.ref();
    }
    // After a failed start, wait for the workers that are up or still starting rather
    // than start more that may fail the same way.
    if (this.#startFailed && this.#slots.length > 0) return;
    while (this.#waiting.length > starting && this.#slots.length < this.#config.maxThreads) {
      if (!this.#start(true)) return;
      starting++;
    }
  }

  /** Keep `minThreads` workers (unless starting them fails). */
  #fill(): void {
    if (this.#closed || this.#startFailed) return;
    while (this.#slots.length < this.#config.minThreads) if (!this.#start(false)) return;
  }

  /** Starts a worker; false (and the waiting calls failed if none is up) if it cannot start. */
  #start(wanted: boolean): boolean {
    const slot: Slot = {
      handle: undefined as unknown as WorkerHandle,
      state: 'starting',
      ending: false,
      call: undefined,
      own: [],
      tasks: 0,
      busySince: 0,
      setupError: undefined,
      idleTimer: undefined,
    };
    let resolveExit!: () => void;
    const exited = new Promise<void>((resolve) => {
      resolveExit = resolve;
    });
    let handle: WorkerHandle;
    try {
      handle = startProcess(
        this.#config.init,
        { resourceLimits: this.#config.resourceLimits, execArgv: this.#config.execArgv },
        {
          message: (message) => this.#onMessage(slot, message),
          exit: (cause) => {
            this.#exits.delete(exited);
            resolveExit();
            this.#onExit(slot, cause);
          },
        },
      );
    } catch (error) {
      // Nothing started (the runtime refused the options): fail like a worker that crashed.
      this.#startFailed = true;
      this.#failWaitingIfNoneUp(error);
      return false;
    }
    this.#exits.add(exited);
    (slot as { handle: WorkerHandle }).handle = handle;
    if (!wanted) handle.unref();
    this.#slots.push(slot);
    return true;
  }

  /** Starting fails: the waiting calls would wait forever unless a worker is up or starting. */
  #failWaitingIfNoneUp(cause: unknown, exportName?: string): void {
    if (this.#slots.length > 0) return;
    for (const call of this.#waiting.splice(0)) {
      this.#settle(call, false, this.#crash(call, cause, exportName));
    }
  }

  /** Give an idle worker its next call: its own broadcast calls first, then the shared ones. */
  #feed(slot: Slot): void {
    const call = slot.own.shift() ?? this.#waiting.shift();
    if (call === undefined) {
      this.#idle(slot);
      return;
    }
    if (slot.idleTimer !== undefined) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
    }
    slot.state = 'busy';
    slot.call = call;
    slot.busySince = now();
    call.worker = slot;
    slot.handle.ref();
    try {
      slot.handle.send({ ...call.body, id: ++this.#nextId }, call.options.transferList);
    } catch (error) {
      // An argument that cannot be cloned: nothing was sent, the worker is still free.
      slot.state = 'idle';
      slot.call = undefined;
      this.#settle(call, false, error);
      this.#feed(slot);
      return;
    }
    const { timeoutMs } = call.options;
    if (timeoutMs !== Number.POSITIVE_INFINITY) {
      call.timer = setTimeout(this.#onTimeout, timeoutMs, call);
    }
  }

  #idle(slot: Slot): void {
    slot.state = 'idle';
    slot.handle.unref();
    if (this.#slots.length > this.#config.minThreads && slot.idleTimer === undefined) {
      slot.idleTimer = setTimeout(() => {
        slot.idleTimer = undefined;
        if (slot.state === 'idle' && this.#slots.length > this.#config.minThreads) {
          this.#end(slot, false);
        }
      }, this.#config.idleTimeout);
      slot.idleTimer.unref?.();
    }
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (slot.state === 'gone') return;
    switch (message.t) {
      case 'ready':
        this.#startFailed = false;
        this.#feed(slot);
        return;
      case 'setup-failed':
        slot.setupError = deserializeThrown(message.thrown);
        slot.handle.kill();
        return;
      case 'done':
      case 'unclonable': {
        const call = slot.call;
        if (call === undefined) return;
        slot.call = undefined;
        slot.tasks++;
        this.#busyMs += now() - slot.busySince;
        slot.state = 'idle';
        if (message.t === 'unclonable') {
          const cause = deserializeThrown(message.thrown);
          this.#settle(call, false, this.#crash(call, cause));
        } else if (message.ok) {
          this.#settle(call, true, message.value);
        } else {
          this.#settle(call, false, deserializeThrown(message.thrown));
        }
        const { recycleAfterTasks, recycleAboveHeapBytes } = this.#config;
        // A broadcast call waiting for this worker runs first: the broadcast reaches it.
        const recycle = slot.tasks >= recycleAfterTasks || message.heap > recycleAboveHeapBytes;
        if (recycle && slot.own.length === 0) {
          this.#end(slot, false);
          this.#fill();
          this.#schedule();
          return;
        }
        this.#feed(slot);
        return;
      }
      case 'fatal':
        return;
    }
  }

  #onExit(slot: Slot, cause: Error): void {
    const wasStarting = slot.state === 'starting';
    this.#remove(slot);
    if (slot.ending) return;
    // A crash: whatever it was running, or was to run, fails.
    if (slot.call !== undefined) this.#settle(slot.call, false, this.#crash(slot.call, cause));
    for (const call of slot.own.splice(0)) this.#settle(call, false, this.#crash(call, cause));
    if (wasStarting) {
      const reason = slot.setupError ?? cause;
      const setupName = this.#config.init.setup?.exportName;
      this.#startFailed = true;
      // Starting again would fail the same way: fail the waiting calls unless a worker is
      // up or may still come up.
      this.#failWaitingIfNoneUp(reason, setupName);
    }
    this.#fill();
    this.#schedule();
  }

  /** Ends a worker on purpose; `busy` says it may be running a call (which was settled). */
  #end(slot: Slot, busy: boolean): void {
    if (slot.state === 'gone') return;
    slot.ending = true;
    this.#remove(slot);
    // Keep the process alive until it is gone, so `close()` can wait for its exit.
    slot.handle.ref();
    if (busy) slot.handle.kill();
    else slot.handle.stop();
  }

  #remove(slot: Slot): void {
    if (slot.state === 'busy') this.#busyMs += now() - slot.busySince;
    slot.state = 'gone';
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    this.#slots = this.#slots.filter((other) => other !== slot);
  }

  readonly #onTimeout = (call: Call): void => {
    call.timer = undefined;
    if (call.done) return;
    const error = new TimeoutError(call.body.exportName, call.options.timeoutMs, 'start', false);
    this.#stopRunning(call, error);
  };

  #abort(call: Call): void {
    if (call.done) return;
    const reason = call.options.signal?.reason;
    const slot = call.worker;
    if (slot?.call === call) {
      this.#stopRunning(call, reason);
      return;
    }
    // Not started: take it out of wherever it waits.
    const waitingAt = this.#waiting.indexOf(call);
    if (waitingAt >= 0) this.#waiting.splice(waitingAt, 1);
    if (slot !== undefined) {
      const ownAt = slot.own.indexOf(call);
      if (ownAt >= 0) slot.own.splice(ownAt, 1);
    }
    this.#settle(call, false, reason);
  }

  /** A running call must stop now: settle it, end its worker, start a fresh one if needed. */
  #stopRunning(call: Call, reason: unknown): void {
    const slot = call.worker as Slot;
    this.#settle(call, false, reason);
    slot.call = undefined;
    // Its broadcast calls go with it: they would have run on this worker only.
    for (const own of slot.own.splice(0)) {
      this.#settle(own, false, this.#crash(own, new Error('worker ended before the call started')));
    }
    this.#end(slot, true);
    this.#fill();
    this.#schedule();
  }

  #crash(call: Call, cause: unknown, exportName = call.body.exportName): WorkerCrashedError {
    return new WorkerCrashedError(this.#config.init.module, exportName, { cause });
  }

  #settle(call: Call, ok: boolean, value: unknown): void {
    settleCall(call, ok, value);
  }
}
