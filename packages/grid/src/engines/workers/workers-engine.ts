import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerFileUrl } from '@fanout/internal/worker-file';
import { bufferWords, countPacked, type PackedShape } from '../bitwise-kernel.js';
import { type StepOptions, StepSerializer } from '../engine.js';
import { EngineWorkerError } from '../../errors.js';
import type { Grid, XY } from '../../grid.js';
import { packInto, packedCells, shapeOf, unpack } from '../packed-world.js';
import { CONWAY, type LifeRule } from '../../rule.js';
import { freezeLevel } from './band-schedule.js';
import type { WorkersEngine, WorkersEngineOptions } from './types.js';
import {
  bandsFor,
  type CommandDone,
  Ctrl,
  controlLength,
  type GridWorkerData,
  MAX_COMMAND_GENERATIONS,
} from './protocol.js';

/** How often `step` reports progress while the threads run a command. */
const PROGRESS_MS = 100;

interface Pending {
  readonly epoch: number;
  readonly resolve: (executed: number) => void;
  readonly reject: (error: unknown) => void;
}

class Workers implements WorkersEngine {
  readonly kind = 'workers' as const;
  readonly rule: LifeRule;
  readonly threads: number;
  readonly #shape: PackedShape;
  readonly #ctrl: Int32Array;
  readonly #buffers: readonly [Uint32Array, Uint32Array];
  readonly #workers: Worker[] = [];
  readonly #exited = new Set<Worker>();
  readonly #serial = new StepSerializer('workers');
  #parity = 0;
  #generation = 0;
  #pending: Pending | undefined;
  #failure: EngineWorkerError | undefined;
  #closing: Promise<void> | undefined;

  constructor(grid: Grid, rule: LifeRule, threads: number) {
    this.rule = rule;
    this.#shape = shapeOf(grid, rule);
    this.threads = Math.min(threads, grid.height);
    const bands = bandsFor(grid.height, this.threads);
    const control = new SharedArrayBuffer(controlLength(bands) * 4);
    this.#ctrl = new Int32Array(control);
    const words = bufferWords(grid.height, grid.width);
    const shared = [new SharedArrayBuffer(words * 4), new SharedArrayBuffer(words * 4)] as const;
    this.#buffers = [new Uint32Array(shared[0]), new Uint32Array(shared[1])];
    packInto(grid, this.#shape, this.#buffers[0]);
    const url = workerFileUrl('grid-worker', import.meta.url);
    for (let i = 0; i < this.threads; i++) {
      const data: GridWorkerData = {
        control,
        buffers: shared,
        shape: this.#shape,
        bands,
        threads: this.threads,
        index: i,
      };
      const worker = new Worker(url, { workerData: data });
      worker.on('message', (message: CommandDone) => this.#onDone(message));
      worker.on('error', (error) =>
        this.#fail(new EngineWorkerError(`worker ${i} failed: ${error.message}`, { cause: error })),
      );
      worker.on('exit', (code) => {
        this.#exited.add(worker);
        if (this.#closing === undefined)
          this.#fail(new EngineWorkerError(`worker ${i} exited with code ${code}`));
      });
      this.#workers.push(worker);
    }
  }

  /** Resolves once every worker is running (rejects if one fails to start). */
  started(): Promise<void> {
    return Promise.all(
      this.#workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('online', resolve);
            worker.once('error', reject);
          }),
      ),
    ).then(() => undefined);
  }

  #onDone(message: CommandDone): void {
    const pending = this.#pending;
    if (message.type !== 'done' || pending === undefined || pending.epoch !== message.epoch) return;
    this.#pending = undefined;
    pending.resolve(message.executed);
  }

  #fail(error: EngineWorkerError): void {
    this.#failure ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(this.#failure);
  }

  get generation(): number {
    return this.#generation;
  }

  /** Generations every band has completed in the running command. */
  #commandProgress(): number {
    const ctrl = this.#ctrl;
    let least = Number.MAX_SAFE_INTEGER;
    for (let slot = Ctrl.bands; slot < ctrl.length; slot++) {
      least = Math.min(least, Atomics.load(ctrl, slot) >> 1);
    }
    return least;
  }

  #command(
    generations: number,
    signal: AbortSignal | undefined,
    onRunning: ((done: number) => void) | undefined,
  ): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const ctrl = this.#ctrl;
    const epoch = (Atomics.load(ctrl, Ctrl.epoch) + 1) | 0;
    const onAbort = (): void => freezeLevel(ctrl);
    const executed = new Promise<number>((resolve, reject) => {
      this.#pending = { epoch, resolve, reject };
    });
    // The workers are parked on `epoch`: plain writes, published by the atomic store below.
    ctrl.fill(0, Ctrl.bands);
    Atomics.store(ctrl, Ctrl.generations, generations);
    Atomics.store(ctrl, Ctrl.parity, this.#parity);
    Atomics.store(ctrl, Ctrl.level, 0);
    Atomics.store(ctrl, Ctrl.progress, 0);
    Atomics.store(ctrl, Ctrl.left, 0);
    signal?.addEventListener('abort', onAbort, { once: true });
    Atomics.store(ctrl, Ctrl.epoch, epoch);
    Atomics.notify(ctrl, Ctrl.epoch);
    // The main thread is idle while the threads work: a timer reads their progress. A
    // callback that throws stops the command like an abort, and the step rejects with it.
    let progressFailure: { readonly error: unknown } | undefined;
    const poll =
      onRunning === undefined
        ? undefined
        : setInterval(() => {
            try {
              onRunning(this.#commandProgress());
            } catch (error) {
              progressFailure ??= { error };
              freezeLevel(ctrl);
            }
          }, PROGRESS_MS);
    const stopPolling = (): void => {
      if (poll !== undefined) clearInterval(poll);
    };
    return executed.then(
      (n) => {
        stopPolling();
        signal?.removeEventListener('abort', onAbort);
        this.#generation += n;
        this.#parity ^= n & 1;
        if (progressFailure !== undefined) throw progressFailure.error;
        if (n < generations) signal?.throwIfAborted();
      },
      (error: unknown) => {
        stopPolling();
        signal?.removeEventListener('abort', onAbort);
        throw error;
      },
    );
  }

  step(generations = 1, options: StepOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    return this.#serial.run(generations, signal, async (n) => {
      const start = this.#generation;
      let settled = false;
      const report = (generation: number): void => {
        if (!settled) onProgress?.({ done: generation - start, total: n, generation });
      };
      try {
        // Commands are capped so the doubled generation counts fit an Int32.
        for (let left = n; left > 0; ) {
          const chunk = Math.min(left, MAX_COMMAND_GENERATIONS);
          const base = this.#generation;
          await this.#command(
            chunk,
            signal,
            onProgress === undefined ? undefined : (done) => report(base + done),
          );
          left -= chunk;
        }
        report(this.#generation);
      } finally {
        settled = true;
      }
    });
  }

  #current(): Uint32Array {
    return this.#buffers[this.#parity as 0 | 1];
  }

  snapshot(): Grid {
    return unpack(this.#current(), this.#shape);
  }

  liveCells(): XY[] {
    return packedCells(this.#current(), this.#shape);
  }

  population(): number {
    return countPacked(this.#current(), this.#shape);
  }

  close(): Promise<void> {
    this.#closing ??= this.#serial.close().then(async () => {
      const exits = this.#workers
        .filter((worker) => !this.#exited.has(worker))
        .map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));
      Atomics.store(this.#ctrl, Ctrl.stop, 1);
      Atomics.add(this.#ctrl, Ctrl.epoch, 1);
      Atomics.notify(this.#ctrl, Ctrl.epoch);
      await Promise.all(exits);
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The `workers` engine (Node only): the bitwise kernel run on row bands by worker threads
 * that share the world through `SharedArrayBuffer`s (a double buffer). There is no barrier
 * per generation: a band steps as soon as the bands next to it have caught up (tracked with
 * `Atomics` in shared memory), so a thread the OS deschedules holds up only its neighbours
 * while the other threads keep working. A `step(n)` is one round trip to the
 * workers however large `n` is. Call `snapshot`, `liveCells` and `population` between
 * steps, not while one runs.
 *
 * @example
 * import { createWorkersEngine } from '@fanout/grid/workers';
 * await using engine = await createWorkersEngine(grid, { threads: 2 });
 * await engine.step(1000);
 */
export async function createWorkersEngine(
  grid: Grid,
  options: WorkersEngineOptions = {},
): Promise<WorkersEngine> {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  const engine = new Workers(grid, options.rule ?? CONWAY, threads);
  try {
    await engine.started();
  } catch (error) {
    await engine.close();
    throw new EngineWorkerError('the workers engine could not start its threads', { cause: error });
  }
  return engine;
}
