import { Worker } from 'node:worker_threads';
import type { LogLevelName } from '../config/values.js';
import { OpsListenError } from '../errors.js';
import { MAX_HTTP_CONNECTIONS } from '../fd-limit.js';
import type { Logger } from '../logger.js';
import type { MetricsPage, OpsHttpServer } from './http.js';
import type { SharedOpsState } from './state.js';
import type { FromOpsThread, OpsThreadData, ToOpsThread } from './thread-messages.js';
import { workerFileUrl } from '@fanout/internal/worker-file';

/** Options of `startOpsThread`. */
export interface OpsThreadOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly webRoot: string;
  readonly logLevel: LogLevelName;
  readonly logger: Logger;
  /** Shared with the thread; the caller keeps it current (`beat`, `draining`). */
  readonly state: SharedOpsState;
  /** `/healthz` says `stalled` once the heartbeat is this old. */
  readonly stallAfterMs: number;
  readonly startedAt: number;
  /** HTTP connections held at most; default 1024. */
  readonly maxConnections?: number;
  /** Renders the metrics page, on this (the serving) thread. */
  readonly metrics: () => Promise<MetricsPage>;
  /** The built thread entry. Default: `ops-worker.cjs` beside the built module. */
  readonly workerUrl?: URL;
}

/**
 * Runs the operations HTTP endpoint (`startOpsHttp`) in a worker thread with its own event
 * loop. `/healthz` is answered there from shared memory, so it stays fast while the serving
 * loop is busy, yet still turns 503 (`stalled`) when that loop stops turning; `/metrics` is
 * rendered by the serving thread on request.
 */
export async function startOpsThread(options: OpsThreadOptions): Promise<OpsHttpServer> {
  const { logger } = options;
  const data: OpsThreadData = {
    host: options.host,
    port: options.port,
    webRoot: options.webRoot,
    logLevel: options.logLevel,
    state: options.state.buffer,
    stallAfterMs: options.stallAfterMs,
    startedAt: options.startedAt,
    maxConnections: options.maxConnections ?? MAX_HTTP_CONNECTIONS,
  };
  const worker = new Worker(options.workerUrl ?? workerFileUrl('ops-worker', import.meta.url), {
    workerData: data,
  });
  const send = (message: ToOpsThread): void => worker.postMessage(message);
  let closing: Promise<void> | undefined;
  let exited = false;
  worker.once('exit', () => {
    exited = true;
  });

  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (message: FromOpsThread): void => {
      if (message.type === 'listening') done(() => resolve(message.port));
      if (message.type === 'failed')
        done(() => reject(new OpsListenError(message.message, message.code)));
    };
    const onError = (error: Error): void => done(() => reject(error));
    const onExit = (code: number): void =>
      done(() => reject(new Error(`operations thread exited while starting (${code})`)));
    const done = (settle: () => void): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      settle();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });

  worker.on('message', (message: FromOpsThread) => {
    if (message.type !== 'metrics-request') return;
    options.metrics().then(
      (page) => send({ type: 'metrics', id: message.id, ...page }),
      (error: unknown) =>
        send({ type: 'metrics-error', id: message.id, message: String((error as Error).message) }),
    );
  });
  worker.on('error', (error) => logger.error({ err: error }, 'operations thread failed'));
  worker.on('exit', (code) => {
    if (closing === undefined) logger.error({ code }, 'operations thread exited unexpectedly');
  });

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (exited) {
        resolve();
        return;
      }
      worker.once('exit', () => resolve());
      send({ type: 'close' });
      // A thread that does not wind down by itself is ended: closing must not hang.
      setTimeout(() => void worker.terminate(), 5_000).unref();
    });
    return closing;
  };
  return { port, close, [Symbol.asyncDispose]: close };
}
