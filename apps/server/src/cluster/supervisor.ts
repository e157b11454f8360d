import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.js';
import { isClusterMessage, type ListeningMessage } from './messages.js';

/** A worker crashing sooner than this after its start counts as a crash loop. */
const STABLE_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 5_000;
const CLEAN_EXIT_GRACE_MS = 250;

/**
 * How long to wait before replacing a dead worker. The first crash is replaced at once;
 * crashes in a row, each within 10 s of the worker's start, wait 400 ms, 800 ms, ... up to
 * 5 s, so a broken deployment does not spin. A clean exit (code 0) means the worker itself
 * was told to stop, e.g. by a signal sent to the whole process group: wait a moment, as the
 * primary's own shutdown signal may be on its way.
 */
export function restartDelayMs(fastCrashes: number, cleanExit: boolean): number {
  const backoff = fastCrashes <= 1 ? 0 : Math.min(100 * 2 ** fastCrashes, MAX_RESTART_DELAY_MS);
  return Math.max(cleanExit ? CLEAN_EXIT_GRACE_MS : 0, backoff);
}

/** Options of `WorkerSupervisor`. */
export interface WorkerSupervisorOptions {
  /** Workers to keep running. */
  readonly workers: number;
  /** Environment of every worker (its settings). */
  readonly env: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** A worker reports it listens (the first time, and after every replacement). */
  readonly onListening?: (worker: Worker, message: ListeningMessage) => void;
  /** A worker exited, for whatever reason (before any replacement is forked). */
  readonly onExit?: (worker: Worker) => void;
  /** A dead worker is being replaced. */
  readonly onRestart?: () => void;
}

/**
 * Forks the cluster's workers and keeps them running: a worker that dies is logged and
 * replaced (with `restartDelayMs` of back-off), until `stop()` drains them all.
 */
export class WorkerSupervisor {
  readonly #options: WorkerSupervisorOptions;
  readonly #started = new Map<Worker, number>();
  readonly #listening = new Set<Worker>();
  #fastCrashes = 0;
  #stopping = false;

  constructor(options: WorkerSupervisorOptions) {
    this.#options = options;
  }

  /** Workers listening on the guess port now. */
  get listening(): number {
    return this.#listening.size;
  }

  /** Every worker process alive now (listening or starting). */
  get alive(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
  }

  /**
   * Forks the initial workers; resolves once all listen, rejects (and kills them) if one
   * cannot start (bad port, bad setting).
   */
  async start(): Promise<void> {
    cluster.on('message', (worker, message: unknown) => {
      if (!isClusterMessage(message) || message.type !== 'fanout:listening') return;
      this.#listening.add(worker);
      this.#options.onListening?.(worker, message);
    });
    try {
      await Promise.all(Array.from({ length: this.#options.workers }, () => this.#startOne()));
    } catch (error) {
      this.#stopping = true;
      for (const worker of this.alive) worker.kill('SIGKILL');
      throw error;
    }
    cluster.on('exit', (worker, code, signal) => this.#onExit(worker, code, signal));
  }

  /** Kills every worker at once (a start that failed half-way). */
  kill(): void {
    this.#stopping = true;
    for (const worker of this.alive) worker.kill('SIGKILL');
  }

  /** Asks every worker to drain; kills those still running after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.alive.map((worker) => stopWorker(worker, graceMs)));
  }

  #fork(): Worker {
    const worker = cluster.fork(this.#options.env);
    this.#started.set(worker, Date.now());
    return worker;
  }

  #startOne(): Promise<void> {
    const worker = this.#fork();
    return new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if (!isClusterMessage(message)) return;
        if (message.type === 'fanout:listening') done(resolve);
        if (message.type === 'fanout:start-failed') {
          done(() => reject(new Error(`worker could not start: ${message.message}`)));
        }
      };
      const onExit = (code: number | null, signal: string | null): void =>
        done(() => reject(new Error(`worker exited while starting (${signal ?? code})`)));
      const done = (settle: () => void): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        settle();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
  }

  #onExit(worker: Worker, code: number, signal: string): void {
    const { logger } = this.#options;
    this.#listening.delete(worker);
    this.#options.onExit?.(worker);
    const lived = Date.now() - (this.#started.get(worker) ?? 0);
    this.#started.delete(worker);
    const fields = {
      workerPid: worker.process.pid,
      workerId: worker.id,
      code,
      signal,
      livedMs: lived,
    };
    if (this.#stopping) {
      logger.info(fields, 'worker stopped');
      return;
    }
    this.#fastCrashes = lived < STABLE_AFTER_MS ? this.#fastCrashes + 1 : 0;
    const delayMs = restartDelayMs(this.#fastCrashes, code === 0);
    setTimeout(() => {
      if (this.#stopping) {
        logger.info(fields, 'worker stopped');
        return;
      }
      logger.error({ ...fields, delayMs }, 'worker died: replacing it');
      this.#options.onRestart?.();
      const replacement = this.#fork();
      logger.info(
        { workerPid: replacement.process.pid, workerId: replacement.id },
        'worker forked',
      );
    }, delayMs).unref();
  }
}

/** Asks a worker to drain; kills it if it has not exited after `graceMs`. */
function stopWorker(worker: Worker, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => worker.kill('SIGKILL'), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (worker.isConnected()) worker.send({ type: 'fanout:drain' });
    else worker.kill('SIGTERM');
  });
}
