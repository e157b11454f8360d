/**
 * The one seam between the pools and `watchEventLoop`: how a pool calls a task function.
 * Unset, a pool calls the function directly (one property read per task). A watch that
 * names tasks sets `call` to run each task inside its async context, so a callback that
 * blocks the loop can be traced to the pool and task it belongs to. Kept on `globalThis`
 * under a registered symbol so that every copy of this package in a process (ESM and CJS
 * builds, two versions) shares it. Nothing here touches a Node built-in.
 */

/** Calls `fn(...args)` for the task `task` of the pool `pool` and returns what it returned. */
export type TaskCall = (
  fn: (...args: never[]) => unknown,
  args: readonly unknown[],
  pool: string | undefined,
  task: string | undefined,
) => unknown;

/** The shared hook record. */
export interface TaskHooks {
  call: TaskCall | undefined;
}

const KEY = Symbol.for('@fanout/executors.task-hooks');
const registry = globalThis as unknown as Record<symbol, TaskHooks | undefined>;

function sharedHooks(): TaskHooks {
  const existing = registry[KEY];
  if (existing !== undefined) return existing;
  const created: TaskHooks = { call: undefined };
  registry[KEY] = created;
  return created;
}

/** The process-wide hooks (created by the first copy of the package that loads). */
export const taskHooks: TaskHooks = sharedHooks();
