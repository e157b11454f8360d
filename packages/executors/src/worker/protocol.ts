/**
 * What a `WorkerPool` and its worker runner exchange. The task bodies are the same for
 * both runtimes; around them, each runtime has its own envelope:
 * - threads run on piscina: a task is piscina's task payload, its result piscina's result,
 *   and the few things piscina has no channel for (a worker is set up, a timed call began,
 *   a worker retires) travel as notices on the worker's `parentPort`, which piscina
 *   re-emits as its `message` event;
 * - processes run on the pool's own scheduler, over the IPC channel.
 * Everything here is structured-cloned (threads) or sent with Node's "advanced" (V8)
 * serialization (processes), so the same values cross both.
 */
import type { SerializedValue } from './serialize-error.js';

/** A function every worker runs once, before its first task. */
export interface SetupCall {
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** Call `exportName(...args)` once. */
export interface CallBody {
  readonly t: 'call';
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** Call `exportName(item)` for every item of a chunk, results in order. */
export interface ChunkBody {
  readonly t: 'chunk';
  readonly exportName: string;
  readonly items: readonly unknown[];
}

/** A task as the pool builds it; each runtime adds what it needs to send it. */
export type TaskBody = CallBody | ChunkBody;

// ---- threads (on piscina) ----

/** The runner's export piscina calls (`name` option): a promise of the handler. */
export const RUNNER_EXPORT = 'runFanoutTask';

/** Given to every thread as piscina's `workerData`. */
export interface ThreadInit {
  /** The task module, as a URL the runner can `import()`. */
  readonly module: string;
  readonly setup: SetupCall | undefined;
  /** The thread retires after this many tasks (`Infinity`: never). */
  readonly recycleAfterTasks: number;
  /** The thread retires after a task that left more V8 heap in use (`Infinity`: never measured). */
  readonly recycleAboveHeapBytes: number;
}

/** Fields a thread needs to answer about a task outside piscina's result. */
interface Tracked {
  /** The pool's id of the call, named in notices. */
  readonly id: number;
  /** The call has a running-time limit: say when it starts. */
  readonly timed: boolean;
}

/** A call or chunk, as piscina carries it. */
export type ThreadTaskBody = TaskBody & Tracked;

/**
 * One of the `count` tasks of a broadcast: it claims `slot`, waits on `cells` until every
 * slot is claimed (so each is held by a different thread), then runs `call`.
 */
export interface BarrierTask extends Tracked {
  readonly t: 'barrier';
  readonly call: CallBody;
  readonly cells: Int32Array;
  readonly slot: number;
  readonly count: number;
}

/** Does nothing: the pool sends it so that piscina starts a thread for queued work. */
export interface NoopTask {
  readonly t: 'noop';
}

/** Any payload piscina carries to the runner. */
export type ThreadTask = ThreadTaskBody | BarrierTask | NoopTask;

/** What a barrier task resolves with: which thread ran it, and the call's value. */
export interface BarrierResult {
  readonly threadId: number;
  /** The broadcast was called off before this thread ran the call. */
  readonly cancelled: boolean;
  readonly value: unknown;
}

/** Key of the error envelope a thread's handler throws; a string, as symbols do not cross threads. */
export const THROWN = '__fanoutThrown__';

/** What a task's own throw becomes, so the pool tells it apart from a crash. */
export interface ThrownEnvelope {
  readonly [THROWN]: SerializedValue;
}

/** How a call ended, when a notice (not piscina's result) carries it. */
export type CallOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly thrown: SerializedValue; readonly crashed: boolean };

/** Key of the notices a thread posts on `parentPort`. */
export const NOTICE = '__fanoutNotice__';

/** A thread's notices to the pool, outside piscina's results. */
export type ThreadNotice =
  /** Its setup succeeded: it can run tasks. */
  | { readonly [NOTICE]: 'up'; readonly threadId: number }
  /** Its setup threw: it will run nothing (it gives back every task it gets). */
  | { readonly [NOTICE]: 'down'; readonly threadId: number }
  /** Timed call `id` starts running now. */
  | { readonly [NOTICE]: 'started'; readonly id: number }
  /**
   * Call `id` ended with `outcome` and the thread retires (recycling): it holds the piscina
   * task open, so piscina gives it no other, until the pool aborts it (which ends the thread).
   */
  | {
      readonly [NOTICE]: 'retire';
      readonly id: number;
      readonly outcome: CallOutcome;
    }
  /** Its setup threw: it holds call `id` open, untouched, until the pool ends it. */
  | { readonly [NOTICE]: 'setup-failed'; readonly id: number; readonly thrown: SerializedValue };

/** Layout of a broadcast's shared cells (`Int32Array` over a `SharedArrayBuffer`). */
export const BARRIER = {
  /** GATHERING, then GO (every slot claimed) or CANCELLED (by the pool). */
  state: 0,
  /** How many slots are claimed. */
  arrived: 1,
  /** First slot cell: FREE, CLAIMED (by a thread) or WITHDRAWN (by the pool). */
  slots: 2,
  GATHERING: 0,
  GO: 1,
  CANCELLED: 2,
  FREE: 0,
  CLAIMED: 1,
  WITHDRAWN: 2,
} as const;

// ---- processes (the pool's own scheduler) ----

/** What a process is started with (its first message). */
export interface RunnerInit {
  /** The task module, as a URL the runner can `import()`. */
  readonly module: string;
  readonly setup: SetupCall | undefined;
  /** Measure the heap after each task (for `recycleAboveHeapMb`). */
  readonly reportHeap: boolean;
}

/** Main → process. */
export type ToWorker =
  | (TaskBody & { readonly id: number })
  | { readonly t: 'init'; readonly init: RunnerInit };

/** Process → main. `heap` is the worker's used V8 heap in bytes after the task, -1 if not measured. */
export type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'setup-failed'; readonly thrown: SerializedValue }
  | {
      readonly t: 'done';
      readonly id: number;
      readonly ok: true;
      readonly value: unknown;
      readonly heap: number;
    }
  | {
      readonly t: 'done';
      readonly id: number;
      readonly ok: false;
      readonly thrown: SerializedValue;
      readonly heap: number;
    }
  | {
      readonly t: 'unclonable';
      readonly id: number;
      readonly thrown: SerializedValue;
      readonly heap: number;
    }
  | { readonly t: 'fatal'; readonly thrown: SerializedValue };
