/**
 * The worker entry of `WorkerPool` (built to dist/worker-runner.cjs), for both runtimes. On
 * a worker thread piscina loads it and awaits `runFanoutTask`, the handler of that thread's
 * tasks (see thread-runner.ts). In a child process forked by the pool it serves the IPC
 * channel (see process-runner.ts). It imports the user's module, ES or CommonJS, either way.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import type { ThreadInit } from './protocol.js';
import { serveProcess } from './process-runner.js';
import { type ThreadHandler, threadHandler } from './thread-runner.js';

/** The handler piscina calls (its `name` option), one per thread; set up as the thread starts. */
export const runFanoutTask: Promise<ThreadHandler> | undefined = isMainThread
  ? undefined
  : threadHandler(workerData as ThreadInit);

if (isMainThread && typeof process.send === 'function') serveProcess();
