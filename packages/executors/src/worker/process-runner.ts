/**
 * The runner in a child process (`runtime: 'process'`), driven by the pool's own scheduler
 * over the IPC channel: the init comes as the first message; it loads the module, runs the
 * optional setup, says ready, then runs the tasks it is sent and answers each one.
 */
import { getHeapStatistics } from 'node:v8';
import type { FromWorker, RunnerInit, ToWorker } from './protocol.js';
import { loadModule, type ModuleExports, runBody, runSetup } from './run-body.js';
import { serializeThrown } from './serialize-error.js';

type Send = (message: FromWorker) => void;

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
  exports: Promise<ModuleExports>,
  init: RunnerInit,
  message: ToWorker & { t: 'call' | 'chunk' },
  send: Send,
): Promise<void> {
  const { id } = message;
  try {
    const value = await runBody(exports, init.module, message);
    reply(send, { t: 'done', id, ok: true, value, heap: heapNow(init) });
  } catch (error) {
    reply(send, { t: 'done', id, ok: false, thrown: serializeThrown(error), heap: heapNow(init) });
  }
}

function serve(init: RunnerInit, send: Send, listen: (listener: (m: ToWorker) => void) => void) {
  const exports = loadModule(init.module);
  listen((message) => {
    if (message.t === 'call' || message.t === 'chunk') void runTask(exports, init, message, send);
  });
  const ready = async (): Promise<void> => {
    if (init.setup !== undefined) {
      try {
        await runSetup(exports, init.module, init.setup);
      } catch (error) {
        send({ t: 'setup-failed', thrown: serializeThrown(error) });
        return;
      }
    } else {
      await exports.catch(() => {});
    }
    send({ t: 'ready' });
  };
  void ready();
}

/** Serves the pool that forked this process. */
export function serveProcess(): void {
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
