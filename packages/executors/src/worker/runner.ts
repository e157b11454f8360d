/**
 * The worker entry of `WorkerPool` (built to dist/worker-runner.cjs), for both runtimes: a
 * worker thread (messages on `parentPort`, init in `workerData`) and a child process
 * (messages on the IPC channel, init as the first message). It imports the user's module,
 * runs the optional setup, then calls the requested exports and sends back results, or
 * throws turned into plain data so the main side can rebuild them with name, stack, cause.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { isThenable } from '@fanout/internal/thenable';
import type { FromWorker, RunnerInit, ToWorker } from './protocol.js';
import { serializeThrown } from './serialize-error.js';

type ModuleExports = Record<string, unknown>;
type Send = (message: FromWorker) => void;

function exportOf(
  exports: ModuleExports,
  specifier: string,
  name: string,
): (...args: unknown[]) => unknown {
  // A CJS module imported from ESM exposes `module.exports` as `default` (and usually as
  // named exports too); look in both.
  const named = exports[name];
  const fromDefault = (exports.default as ModuleExports | undefined)?.[name];
  const fn = typeof named === 'function' ? named : fromDefault;
  if (typeof fn !== 'function') {
    throw new TypeError(`worker module ${specifier} has no exported function "${name}"`);
  }
  return fn as (...args: unknown[]) => unknown;
}

function heapNow(init: RunnerInit): number {
  return init.reportHeap ? getHeapStatistics().used_heap_size : -1;
}

/** Sends `message`, or, if its value cannot be cloned, says so instead of dying. */
function reply(send: Send, message: FromWorker & { t: 'done' }): void {
  try {
    send(message);
  } catch (error) {
    send({ t: 'unclonable', id: message.id, thrown: serializeThrown(error), heap: message.heap });
  }
}

async function runTask(
  exportsOf: Promise<ModuleExports>,
  init: RunnerInit,
  message: ToWorker & { t: 'call' | 'chunk' },
  send: Send,
): Promise<void> {
  const { id } = message;
  try {
    const fn = exportOf(await exportsOf, init.module, message.exportName);
    let value: unknown;
    if (message.t === 'chunk') {
      const results: unknown[] = new Array(message.items.length);
      for (let i = 0; i < message.items.length; i++) {
        const result = fn(message.items[i]);
        // Only pay for an await when the export is async.
        results[i] = isThenable(result) ? await result : result;
      }
      value = results;
    } else {
      value = await fn(...message.args);
    }
    reply(send, { t: 'done', id, ok: true, value, heap: heapNow(init) });
  } catch (error) {
    reply(send, { t: 'done', id, ok: false, thrown: serializeThrown(error), heap: heapNow(init) });
  }
}

/** Loads the module, runs the setup, says ready, then serves tasks from `onMessage`. */
function serve(
  init: RunnerInit,
  send: Send,
  onMessage: (listener: (m: ToWorker) => void) => void,
): void {
  const exportsOf = import(init.module) as Promise<ModuleExports>;
  // A module that fails to load fails every task with its error, not the worker.
  exportsOf.catch(() => {});
  onMessage((message) => {
    if (message.t === 'call' || message.t === 'chunk') void runTask(exportsOf, init, message, send);
  });
  const ready = async (): Promise<void> => {
    const { setup } = init;
    if (setup !== undefined) {
      try {
        const fn = exportOf(await exportsOf, init.module, setup.exportName);
        await fn(...setup.args);
      } catch (error) {
        send({ t: 'setup-failed', thrown: serializeThrown(error) });
        return;
      }
    } else {
      await exportsOf.catch(() => {});
    }
    send({ t: 'ready' });
  };
  void ready();
}

if (parentPort !== null) {
  const port = parentPort;
  serve(
    workerData as RunnerInit,
    (message) => port.postMessage(message),
    (listener) => {
      port.on('message', listener);
    },
  );
} else if (typeof process.send === 'function') {
  const send: Send = (message) => {
    (process.send as (m: unknown) => boolean)(message);
  };
  // The pool went away (closed, crashed, or retired this process): nothing left to do.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (error) => {
    // Tell the pool why, then die as a thread would.
    (process.send as (m: unknown, callback: () => void) => boolean)(
      { t: 'fatal', thrown: serializeThrown(error) } satisfies FromWorker,
      () => process.exit(1),
    );
  });
  process.once('message', (first: ToWorker) => {
    if (first.t !== 'init') throw new Error('worker runner: expected an init message first');
    const listeners: ((m: ToWorker) => void)[] = [];
    process.on('message', (message: ToWorker) => {
      for (const listener of listeners) listener(message);
    });
    serve(first.init, send, (listener) => listeners.push(listener));
  });
}
