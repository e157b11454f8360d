/**
 * One child process of a `WorkerPool` with `runtime: 'process'`: started with
 * `child_process.fork` of the worker runner, talked to over IPC with V8 serialization.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { FromWorker, RunnerInit, ToWorker } from '../worker/protocol.js';
import { deserializeThrown } from '../worker/serialize-error.js';
import { runnerPath } from '../worker-paths.js';
import type { WorkerResourceLimits } from './options.js';

/** What a handle reports. */
export interface WorkerEvents {
  message(message: FromWorker): void;
  /** The worker is gone; `cause` says why (its uncaught error, or the exit code or signal). */
  exit(cause: Error): void;
}

/** A started worker process. */
export interface WorkerHandle {
  /** The process id. */
  readonly id: number;
  /** Sends a message; throws if a value cannot be cloned (nothing is sent then). */
  send(message: ToWorker, transferList?: readonly object[]): void;
  /** Ends the worker now, even in the middle of a task (SIGKILL). */
  kill(): void;
  /** Ends an idle worker the polite way. */
  stop(): void;
  /** Keep the event loop alive for this worker, or not (idle workers are unref'd). */
  ref(): void;
  unref(): void;
}

/** How a worker is started. */
export interface WorkerStartOptions {
  readonly resourceLimits: WorkerResourceLimits | undefined;
  /** Node flags of the worker; undefined: the parent's (`process.execArgv`). */
  readonly execArgv: readonly string[] | undefined;
}

/** V8 flags for the limits a child process can honour; throws for the others. */
export function processFlags(limits: WorkerResourceLimits | undefined): string[] {
  if (limits === undefined) return [];
  const unsupported = (
    ['maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const
  ).filter((key) => limits[key] !== undefined);
  if (unsupported.length > 0) {
    throw new RangeError(
      `resourceLimits.${unsupported.join(', ')} cannot be applied with runtime 'process' (only maxOldGenerationSizeMb can)`,
    );
  }
  return limits.maxOldGenerationSizeMb === undefined
    ? []
    : [`--max-old-space-size=${limits.maxOldGenerationSizeMb}`];
}

/** Forks a worker process running the worker runner with `init`. */
export function startProcess(
  init: RunnerInit,
  { resourceLimits, execArgv }: WorkerStartOptions,
  events: WorkerEvents,
): WorkerHandle {
  const child: ChildProcess = fork(runnerPath(), [], {
    serialization: 'advanced',
    execArgv: [...(execArgv ?? process.execArgv), ...processFlags(resourceLimits)],
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  let lastError: Error | undefined;
  let exited = false;
  const exit = (cause: Error): void => {
    if (exited) return;
    exited = true;
    events.exit(cause);
  };
  child.on('message', (message: FromWorker) => {
    if (message.t === 'fatal') {
      const thrown = deserializeThrown(message.thrown);
      lastError = thrown instanceof Error ? thrown : new Error(String(thrown));
      return;
    }
    events.message(message);
  });
  child.on('error', (error) => {
    lastError ??= error;
    // A process that could not be spawned never exits: report it gone now.
    if (child.pid === undefined) exit(error);
  });
  child.on('exit', (code, signal) => {
    exit(
      lastError ??
        new Error(
          signal === null
            ? `worker process exited with code ${code}`
            : `worker process was killed by ${signal}`,
        ),
    );
  });
  child.send({ t: 'init', init } satisfies ToWorker);
  return {
    id: child.pid ?? -1,
    // Values are copied between processes: a transfer list has nothing to move.
    send(message) {
      child.send(message);
    },
    kill() {
      child.kill('SIGKILL');
    },
    stop() {
      if (child.connected) child.disconnect();
      else child.kill('SIGKILL');
    },
    ref() {
      child.ref();
      child.channel?.ref();
    },
    unref() {
      child.unref();
      child.channel?.unref();
    },
  };
}
