/**
 * Which pool task is running, for `watchEventLoop`. While at least one watch names tasks,
 * the pools call every task inside an `AsyncLocalStorage` context holding its pool and task
 * names (through the `taskHooks` seam, so `@fanout/executors/core` stays free of Node
 * built-ins), and time the task's synchronous start. A slow callback then knows the task it
 * belongs to: the context it ran in (a continuation of the task), or the task whose
 * synchronous start took most of it. Cost: one `run` and two clock reads per task start,
 * plus what `AsyncLocalStorage` costs on the Node version (see the README's benchmarks).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type TaskCall, taskHooks } from './task-hooks.js';

/** The pool and task a callback belongs to. */
export interface TaskTag {
  /** The pool's `name`, if it has one. */
  readonly pool: string | undefined;
  /** The task's `name`, else its function's name, if any. */
  readonly task: string | undefined;
}

/** A watch that wants to hear how long each task start took. */
export interface TaskStartObserver {
  taskStarted(tag: TaskTag, durationMs: number): void;
}

interface Shared {
  readonly storage: AsyncLocalStorage<TaskTag>;
  readonly observers: Set<TaskStartObserver>;
}

// Shared by every copy of the package in the process, like `taskHooks`.
const KEY = Symbol.for('@fanout/executors.event-loop-tasks');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

function shared(): Shared {
  const existing = registry[KEY];
  if (existing !== undefined) return existing;
  const created: Shared = { storage: new AsyncLocalStorage<TaskTag>(), observers: new Set() };
  registry[KEY] = created;
  return created;
}

const { storage, observers } = shared();

const callInContext: TaskCall = (fn, args, pool, task) => {
  const tag: TaskTag = { pool, task: task ?? (fn.name === '' ? undefined : fn.name) };
  const startedAt = performance.now();
  try {
    return storage.run(tag, fn as (...a: unknown[]) => unknown, ...args);
  } finally {
    const durationMs = performance.now() - startedAt;
    for (const observer of observers) observer.taskStarted(tag, durationMs);
  }
};

/** The tag of the running callback, if it belongs to a pool task. */
export function currentTask(): TaskTag | undefined {
  return storage.getStore();
}

/** Start naming tasks for `observer`; returns the function that stops. */
export function observeTasks(observer: TaskStartObserver): () => void {
  observers.add(observer);
  taskHooks.call = callInContext;
  return () => {
    observers.delete(observer);
    if (observers.size === 0 && taskHooks.call === callInContext) {
      taskHooks.call = undefined;
      // Contexts of tasks still running lose their tag; nothing else depends on it.
      storage.disable();
    }
  };
}
