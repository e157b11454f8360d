// Entry of the operations thread: the HTTP endpoint on its own event loop, so `/healthz`
// answers promptly even while the serving loop is saturated by thousands of connections.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger.js';
import { type MetricsPage, startOpsHttp } from './http.js';
import { SharedOpsState } from './state.js';
import type { FromOpsThread, OpsThreadData, ToOpsThread } from './thread-messages.js';
import { createStaticHandler } from '../static-files.js';

/** A metrics page the serving thread did not deliver in this time is answered 500. */
const METRICS_TIMEOUT_MS = 10_000;

if (parentPort === null) throw new Error('ops-worker must run in a worker thread');
const port = parentPort;
const data = workerData as OpsThreadData;
const state = new SharedOpsState(data.state);
const logger = createLogger({ level: data.logLevel, base: { thread: 'ops' } });
const post = (message: FromOpsThread): void => port.postMessage(message);

let nextId = 0;
const pending = new Map<
  number,
  { resolve: (page: MetricsPage) => void; reject: (e: Error) => void }
>();

function requestMetrics(): Promise<MetricsPage> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(
        new Error(`the serving thread did not deliver metrics within ${METRICS_TIMEOUT_MS} ms`),
      );
    }, METRICS_TIMEOUT_MS);
    pending.set(id, {
      resolve: (page) => {
        clearTimeout(timer);
        resolve(page);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    post({ type: 'metrics-request', id });
  });
}

/** Serves the operations port until the main thread says close. */
async function serve(): Promise<void> {
  try {
    const server = await startOpsHttp({
      host: data.host,
      port: data.port,
      logger,
      staticFiles: createStaticHandler(data.webRoot),
      metrics: requestMetrics,
      health: () => ({
        stopping: state.stopping,
        stalledMs: state.stalledMs(data.stallAfterMs),
        uptimeSeconds: Math.round((Date.now() - data.startedAt) / 100) / 10,
        details: { connections: state.connections },
      }),
      maxConnections: data.maxConnections,
    });
    port.on('message', (message: ToOpsThread) => {
      if (message.type === 'close') {
        void server.close().then(() => port.close());
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === 'metrics') waiter?.resolve(message);
      else waiter?.reject(new Error(message.message));
    });
    post({ type: 'listening', port: server.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    post({ type: 'failed', message: (error as Error).message, code });
    port.close();
  }
}

void serve();
