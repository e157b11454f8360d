/**
 * The threads of a `WorkerPool` (the default runtime), on piscina. piscina starts, feeds
 * and replaces the threads; this adds what piscina has no option for, each built on its
 * own API:
 * - a running-task timeout: an abort of the task's piscina signal (piscina ends the thread
 *   running an aborted task and starts a fresh one as `minThreads` needs), timed from the
 *   moment the thread reports the call started;
 * - `setup`: the runner's handler factory, which piscina awaits once on every thread it
 *   starts, replacements included;
 * - recycling: a thread that reaches its limit delivers the result as a notice and holds
 *   its piscina task open (so piscina gives it nothing else) until the pool aborts that
 *   task, which ends the thread through piscina;
 * - broadcast: barrier tasks (see thread-broadcast.ts).
 */
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ExecutorClosedError, TimeoutError, WorkerCrashedError } from '../errors.js';
import {
  type BarrierResult,
  type BarrierTask,
  type CallBody,
  NOTICE,
  RUNNER_EXPORT,
  type TaskBody,
  THROWN,
  type ThreadInit,
  type ThreadNotice,
  type ThreadTaskBody,
  type ThrownEnvelope,
} from '../worker/protocol.js';
import { deserializeThrown } from '../worker/serialize-error.js';
import { runnerPath } from '../worker-paths.js';
import { type CallOptions, settleCall, type WorkerBackend } from './backend.js';
import { execArgvError } from './exec-argv.js';
import type { WorkerResourceLimits } from './options.js';
import { type BarrierCall, ThreadBroadcasts } from './thread-broadcast.js';
import { ThreadSetups } from './thread-setups.js';

/** How the threads are run. */
export interface ThreadWorkersConfig {
  readonly init: ThreadInit;
  readonly resourceLimits: WorkerResourceLimits | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly idleTimeout: number;
}

/** A call on the threads: a task, a map chunk, or one barrier task of a broadcast. */
class ThreadCall {
  /** piscina's abort signal of the attempt in flight; undefined when none is. */
  attempt: AbortController | undefined = undefined;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  done = false;

  constructor(
    readonly id: number,
    readonly task: ThreadTaskBody | BarrierTask,
    readonly exportName: string,
    readonly options: CallOptions,
    readonly resolve: (value: unknown) => void,
    readonly reject: (reason: unknown) => void,
  ) {}
}

/** Why the pool aborted a piscina task (never seen by callers). */
const WITHDRAWN = new Error('withdrawn by the pool');

const CALLED_OFF: BarrierResult = { threadId: -1, cancelled: true, value: undefined };

function isEnvelope(value: unknown): value is ThrownEnvelope {
  return typeof value === 'object' && value !== null && THROWN in value;
}

function isNotice(value: unknown): value is ThreadNotice {
  return typeof value === 'object' && value !== null && NOTICE in value;
}

export class ThreadWorkers implements WorkerBackend {
  readonly #config: ThreadWorkersConfig;
  readonly #piscina: Piscina | undefined;
  /** Why no thread can start (flags Node refuses in workers): every call fails with it. */
  readonly #startError: unknown;
  /** Calls with an attempt in flight in piscina, by id (notices name them). */
  readonly #calls = new Map<number, ThreadCall>();
  /** With a `setup`: which threads are up, and the calls threads that are not gave back. */
  readonly #setups: ThreadSetups<ThreadCall> | undefined;
  readonly #broadcasts: ThreadBroadcasts;
  #nextId = 0;
  #closing = false;

  constructor(config: ThreadWorkersConfig) {
    this.#config = config;
    this.#startError = execArgvError(config.execArgv);
    this.#piscina = this.#startError === undefined ? this.#startPiscina() : undefined;
    this.#setups =
      config.init.setup === undefined
        ? undefined
        : new ThreadSetups<ThreadCall>({
            threadIds: () => this.#piscina?.threads.map((thread) => thread.threadId) ?? [],
            busy: () => this.#calls.size > 0,
            resend: (call) => this.#send(call),
            fail: (call, cause) => this.#settle(call, false, this.#setupCrash(call, cause)),
            settled: (call) => call.done,
          });
    this.#broadcasts = new ThreadBroadcasts({
      maxThreads: config.maxThreads,
      sendBarrier: (build, exportName, options) => this.#barrierCall(build, exportName, options),
    });
  }

  #startPiscina(): Piscina {
    const config = this.#config;
    const piscina = new Piscina({
      filename: runnerPath(),
      name: RUNNER_EXPORT,
      workerData: config.init,
      minThreads: config.minThreads,
      maxThreads: config.maxThreads,
      idleTimeout: config.idleTimeout,
      // Idle threads wait with Atomics.waitAsync: their event loop keeps running, so timers
      // and I/O a module or its setup started go on between tasks.
      atomics: 'async',
      ...(config.resourceLimits === undefined
        ? {}
        : { resourceLimits: { ...config.resourceLimits } }),
      ...(config.execArgv === undefined ? {} : { execArgv: [...config.execArgv] }),
    });
    // A thread that dies between tasks is reported as an 'error' event, which would crash
    // the process without a listener; callers learn of crashes through their rejections.
    piscina.on('error', () => {});
    piscina.on('message', this.#onNotice);
    piscina.on('workerDestroy', this.#onThreadGone);
    return piscina;
  }

  /** Threads alive or starting. */
  get count(): number {
    return this.#piscina?.threads.length ?? 0;
  }

  /** piscina's utilisation: run time over the capacity of `maxThreads` since the start. */
  get utilization(): number {
    return this.#piscina?.utilization ?? 0;
  }

  dispatch(body: TaskBody, options: CallOptions): Promise<unknown> {
    const id = ++this.#nextId;
    const timed = options.timeoutMs !== Number.POSITIVE_INFINITY;
    const task: ThreadTaskBody = { ...body, id, timed };
    return new Promise((resolve, reject) => {
      this.#start(new ThreadCall(id, task, body.exportName, options, resolve, reject));
    });
  }

  broadcast(body: CallBody, options: CallOptions): Promise<unknown[]> {
    return this.#broadcasts.run(body, options);
  }

  /** Ends every thread (the pool drained first) and resolves once all have exited. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const call of [...this.#calls.values()]) {
      this.#stop(call, new ExecutorClosedError('executor closed while the call ran'));
    }
    await this.#piscina?.destroy();
  }

  #barrierCall(
    build: (id: number) => BarrierTask,
    exportName: string,
    options: CallOptions,
  ): BarrierCall {
    const id = ++this.#nextId;
    let call!: ThreadCall;
    const result = new Promise<unknown>((resolve, reject) => {
      call = new ThreadCall(id, build(id), exportName, options, resolve, reject);
    });
    this.#start(call);
    return {
      result,
      end: (reason) => this.#stop(call, reason),
      abandon: () => this.#settle(call, true, CALLED_OFF),
    };
  }

  #start(call: ThreadCall): void {
    const { signal } = call.options;
    if (signal?.aborted === true) {
      this.#settle(call, false, signal.reason);
      return;
    }
    if (this.#startError !== undefined) {
      this.#settle(call, false, this.#crash(call, this.#startError));
      return;
    }
    if (signal !== undefined) {
      call.onAbort = () => this.#stop(call, signal.reason);
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    this.#send(call);
  }

  /** Hands the call to piscina (again, after a thread whose setup failed gave it back). */
  #send(call: ThreadCall): void {
    const attempt = new AbortController();
    call.attempt = attempt;
    this.#calls.set(call.id, call);
    const { transferList } = call.options;
    let running: Promise<unknown>;
    try {
      running = (this.#piscina as Piscina).run(call.task, {
        signal: attempt.signal,
        ...(transferList === undefined ? {} : { transferList: transferList as TransferListItem[] }),
      });
    } catch (error) {
      this.#calls.delete(call.id);
      this.#settle(call, false, this.#crash(call, error));
      return;
    }
    running.then(
      (value) => {
        if (call.attempt !== attempt) return;
        this.#calls.delete(call.id);
        this.#settle(call, true, value);
        this.#setups?.freed();
      },
      (error: unknown) => {
        if (call.attempt !== attempt) return;
        this.#calls.delete(call.id);
        this.#settle(call, false, this.#translate(call, error));
        this.#setups?.freed();
      },
    );
  }

  /** Takes the call's attempt back from piscina: out of its queue, or its thread ended. */
  #withdraw(call: ThreadCall): void {
    const attempt = call.attempt;
    if (attempt === undefined) return;
    call.attempt = undefined;
    this.#calls.delete(call.id);
    attempt.abort(WITHDRAWN);
  }

  /** The call must stop now (abort, timeout, close): withdraw it and reject it with `reason`. */
  #stop(call: ThreadCall, reason: unknown): void {
    if (call.done) return;
    this.#withdraw(call);
    this.#settle(call, false, reason);
  }

  #translate(call: ThreadCall, error: unknown): unknown {
    if (isEnvelope(error)) return deserializeThrown(error[THROWN]);
    // Arguments that cannot be cloned, refused on this side: nothing was sent.
    if (error instanceof DOMException && error.name === 'DataCloneError') return error;
    // Anything else piscina rejects with means the thread died under the task.
    return this.#crash(call, error);
  }

  #crash(call: ThreadCall, cause: unknown, exportName = call.exportName): WorkerCrashedError {
    return new WorkerCrashedError(this.#config.init.module, exportName, { cause });
  }

  /** The crash a call hears when no thread could set up to run it: named after the setup. */
  #setupCrash(call: ThreadCall, cause: unknown): WorkerCrashedError {
    return this.#crash(call, cause, this.#config.init.setup?.exportName);
  }

  #settle(call: ThreadCall, ok: boolean, value: unknown): void {
    settleCall(call, ok, value);
  }

  readonly #onTimeout = (call: ThreadCall): void => {
    call.timer = undefined;
    this.#stop(call, new TimeoutError(call.exportName, call.options.timeoutMs, 'start', false));
  };

  readonly #onNotice = (message: unknown): void => {
    // Anything else was posted by the user's module on parentPort: not ours.
    if (!isNotice(message)) return;
    switch (message[NOTICE]) {
      case 'up':
        this.#setups?.up(message.threadId);
        return;
      case 'down':
        this.#setups?.down(message.threadId);
        return;
      case 'started': {
        const call = this.#calls.get(message.id);
        if (call === undefined || call.done || call.timer !== undefined) return;
        call.timer = setTimeout(this.#onTimeout, call.options.timeoutMs, call);
        return;
      }
      case 'retire': {
        const call = this.#calls.get(message.id);
        if (call === undefined) return;
        // Ends the thread; its piscina task held it until now, so nothing else was lost.
        this.#withdraw(call);
        const { outcome } = message;
        if (outcome.ok) {
          this.#settle(call, true, outcome.value);
        } else {
          const thrown = deserializeThrown(outcome.thrown);
          this.#settle(call, false, outcome.crashed ? this.#crash(call, thrown) : thrown);
        }
        this.#setups?.freed();
        return;
      }
      case 'setup-failed': {
        const call = this.#calls.get(message.id);
        if (call === undefined) return;
        // End the thread that cannot run it; the call itself never started.
        this.#withdraw(call);
        if (call.done) return;
        const cause = deserializeThrown(message.thrown);
        // What a transferList moved went to that thread: the call cannot be sent again.
        if (this.#setups === undefined || call.options.transferList !== undefined) {
          this.#settle(call, false, this.#setupCrash(call, cause));
        } else {
          this.#setups.giveBack(call, cause);
        }
        return;
      }
    }
  };

  readonly #onThreadGone = (thread: { readonly id: number }): void => {
    this.#setups?.gone(thread.id);
    // piscina emits this before it forgets the thread: count once it has.
    queueMicrotask(this.#refill);
  };

  /**
   * piscina replaces an ended thread (aborted, timed out, recycled, crashed) only up to
   * `minThreads`, and starts threads only in `run()`: tasks left in its queue (behind
   * broadcast barriers, or sent while a retiring thread held its task) would wait for a
   * `run()` that may never come. Each task that does nothing makes piscina start one
   * thread, up to `maxThreads`; the started threads take the queued tasks first.
   */
  readonly #refill = (): void => {
    const piscina = this.#piscina;
    if (piscina === undefined || this.#closing) return;
    const missing = Math.min(piscina.queueSize, this.#config.maxThreads - piscina.threads.length);
    for (let i = 0; i < missing; i++) piscina.run({ t: 'noop' }).catch(() => {});
  };
}
