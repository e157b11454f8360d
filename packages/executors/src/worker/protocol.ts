/**
 * Messages between a `WorkerPool` and its worker runner (a thread or a child process).
 * Everything here is structured-cloned (threads) or sent with Node's "advanced" (V8)
 * serialization (processes), so the same values cross both.
 */
import type { SerializedValue } from './serialize-error.js';

/** A function every worker runs once, before its first task. */
export interface SetupCall {
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** What a worker is started with (`workerData` for a thread, the first message for a process). */
export interface RunnerInit {
  /** The task module, as a URL the runner can `import()`. */
  readonly module: string;
  readonly setup: SetupCall | undefined;
  /** Measure the heap after each task (for `recycleAboveHeapMb`). */
  readonly reportHeap: boolean;
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

/** A task as the pool builds it; the id is added when it is sent. */
export type TaskBody = CallBody | ChunkBody;

/** Main → worker. */
export type ToWorker =
  | (TaskBody & { readonly id: number })
  | { readonly t: 'init'; readonly init: RunnerInit };

/** Worker → main. `heap` is the worker's used V8 heap in bytes after the task, -1 if not measured. */
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
