/**
 * The runner on a worker thread, where piscina drives it: the `runFanoutTask` export is a
 * promise of the task handler, which piscina awaits once per thread before the thread takes
 * a task (replacements included). That is where the module is loaded and `setup` runs. The
 * handler then runs calls, chunks and broadcast barriers, counts the thread's tasks and
 * measures its heap for recycling, and posts the notices piscina has no channel for.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId } from 'node:worker_threads';
import { waitForBarrier } from './barrier.js';
import {
  type BarrierResult,
  type BarrierTask,
  NOTICE,
  type TaskBody,
  THROWN,
  type ThreadInit,
  type ThreadNotice,
  type ThreadTask,
  type ThrownEnvelope,
} from './protocol.js';
import { loadModule, runBody, runSetup } from './run-body.js';
import { serializeThrown } from './serialize-error.js';

/** What piscina calls for every task. */
export type ThreadHandler = (task: ThreadTask) => unknown;

/** Never settles: a task held open keeps piscina from giving its thread another. */
const HOLD = new Promise<never>(() => {});

function notify(notice: ThreadNotice): void {
  (parentPort as NonNullable<typeof parentPort>).postMessage(notice);
}

function envelope(thrown: unknown): ThrownEnvelope {
  return { [THROWN]: serializeThrown(thrown) };
}

/** A thread whose setup threw runs nothing: it holds each task and says why, until ended. */
function failedSetupHandler(thrown: unknown): ThreadHandler {
  const serialized = serializeThrown(thrown);
  return (task) => {
    if (task.t === 'noop') return undefined;
    notify({ [NOTICE]: 'setup-failed', id: task.id, thrown: serialized });
    return HOLD;
  };
}

/** Loads the module, runs `setup`, and resolves with the handler of this thread's tasks. */
export async function threadHandler(init: ThreadInit): Promise<ThreadHandler> {
  const exports = loadModule(init.module);
  if (init.setup !== undefined) {
    try {
      await runSetup(exports, init.module, init.setup);
    } catch (error) {
      notify({ [NOTICE]: 'down', threadId });
      return failedSetupHandler(error);
    }
    notify({ [NOTICE]: 'up', threadId });
  } else {
    // Load before saying ready, so the first task does not wait for it; a module that
    // fails to load fails each task with its error instead.
    await exports.catch(() => {});
  }
  const { recycleAfterTasks, recycleAboveHeapBytes } = init;
  const measureHeap = Number.isFinite(recycleAboveHeapBytes);
  let tasks = 0;

  /** After a task: deliver its outcome, through piscina or, when the thread retires, a notice. */
  const finish = (id: number, ok: boolean, value: unknown): unknown => {
    tasks++;
    const retire =
      tasks >= recycleAfterTasks ||
      (measureHeap && getHeapStatistics().used_heap_size > recycleAboveHeapBytes);
    if (!retire) {
      if (ok) return value;
      throw envelope(value);
    }
    try {
      notify({
        [NOTICE]: 'retire',
        id,
        outcome: ok
          ? { ok: true, value }
          : { ok: false, thrown: serializeThrown(value), crashed: false },
      });
    } catch (error) {
      // The value cannot be cloned: the caller hears it as a crash would tell it.
      notify({
        [NOTICE]: 'retire',
        id,
        outcome: { ok: false, thrown: serializeThrown(error), crashed: true },
      });
    }
    return HOLD;
  };

  const run = async (
    id: number,
    timed: boolean,
    body: TaskBody,
    wrap?: (value: unknown) => unknown,
  ): Promise<unknown> => {
    if (timed) notify({ [NOTICE]: 'started', id });
    let value: unknown;
    try {
      value = await runBody(exports, init.module, body);
    } catch (error) {
      return finish(id, false, error);
    }
    return finish(id, true, wrap === undefined ? value : wrap(value));
  };

  const barrier = async (task: BarrierTask): Promise<unknown> => {
    if (!(await waitForBarrier(task))) {
      return { threadId, cancelled: true, value: undefined } satisfies BarrierResult;
    }
    return run(
      task.id,
      task.timed,
      task.call,
      (value): BarrierResult => ({ threadId, cancelled: false, value }),
    );
  };

  return (task) => {
    switch (task.t) {
      case 'noop':
        return undefined;
      case 'barrier':
        return barrier(task);
      default:
        return run(task.id, task.timed, task);
    }
  };
}
