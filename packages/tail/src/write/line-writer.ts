import { closeSync, fsync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OutputWriteError } from '../errors.js';
import type { InPlaceCounter } from '../read/newline-simd.js';
import { workerFileUrl } from '@fanout/internal/worker-file';
import { copyLines, createCopyBuffer } from './copy-lines.js';
import { type OpenOutput, openOutput } from './open-output.js';
import {
  COPIES,
  type CopyResult,
  FREE,
  type FromWorker,
  LOCK,
  MAIN,
  POSITION,
  SHARED_BYTES,
  type ToWorker,
  type WorkerFailure,
  WRITTEN,
  type WriterConfig,
} from './writer-protocol.js';

/** Data accepted by `LineWriter.write`: bytes or text, already made of whole lines. */
export type WriteData = Buffer | Uint8Array | string | readonly (Buffer | Uint8Array | string)[];

/** Options of `createLineWriter`. */
export interface LineWriterOptions {
  /** Largest single write the worker makes, in bytes (default 4 MiB). */
  batchBytes?: number;
  /** Extra delay before writing a small batch, to gather more (default 0: next turn of the worker's loop). */
  flushIntervalMs?: number;
  /** Bytes handed to the worker but not yet written, past which `write` waits (default 16 MiB). */
  highWaterMark?: number;
  /** Keep the existing content and append (default: truncate the file). */
  append?: boolean;
  /** Cut an existing file back to this length and continue after it (checkpoint restart). */
  truncateTo?: number;
  /**
   * Milliseconds the caller's thread writes alone before the writer thread is started
   * (default 100). A writer closed sooner never starts one: a short merge does not pay for
   * a thread's start-up (about 50 ms of wall time, and the process's exit waits for it).
   */
  threadStartDelayMs?: number;
}

/**
 * An output file written by a worker thread, which batches lines into large writes so that
 * slow system calls never run on the caller's event loop. The file is opened on the
 * caller's thread, which also writes (in bounded stretches) while the worker starts, so
 * that nothing waits for its start-up; the worker then takes over where the file ends.
 */
export interface LineWriter extends AsyncDisposable {
  /** The output path (absolute). */
  readonly path: string;
  /** Length the file will have once every accepted write has landed. */
  readonly length: number;
  /** Hands whole lines to the worker; resolves once accepted (waits while too much is in flight). */
  write(data: WriteData): Promise<void>;
  /** Resolves once everything accepted so far is written to the file. */
  flush(): Promise<void>;
  /** Flushes, then fsyncs; resolves with the durable length. */
  sync(): Promise<number>;
  /** Flushes and closes the file and the worker; idempotent. */
  close(): Promise<void>;
}

/**
 * Internal: write buffers whose memory (their whole ArrayBuffers, views included) belongs to
 * the caller alone, transferring it to the worker instead of copying.
 */
export const writeTransfer = Symbol('writeTransfer');

/**
 * Internal: a buffer of exactly `size` bytes whose memory came back from the worker after
 * being written (so reads reuse memory instead of allocating), or undefined when none is spare.
 */
export const takeSpare = Symbol('takeSpare');

/**
 * Internal: `(fd, position, maxBytes, maxLineBytes)` has the worker copy whole lines of an
 * open input straight to the output (see `copyLines`), after everything written before;
 * resolves once they are written, with `length` already counting them.
 */
export const copyRange = Symbol('copyRange');

/**
 * Internal: `(data)` writes whole lines on the caller's thread now, when the worker has
 * nothing queued or under way (see `#writeDirect`): true once written and counted in
 * `length`; false when nothing was written (busy, failed, closing, or too big), then use
 * `write`. The caller keeps its memory: nothing is transferred or kept.
 */
export const writeNow = Symbol('writeNow');

/** Most buffers kept for reuse; the rest are left to the garbage collector. */
const MAX_SPARE = 24;

/**
 * Transferred writes up to this size wait for the end of the turn and go to the worker in
 * one message with the others of that turn (small appends of many followed files).
 */
const SMALL_POST_BYTES = 64 * 1024;

/** The worker acknowledges written bytes once this many have gathered (or when asked). */
export function ackBytesFor(highWaterMark: number): number {
  return Math.max(0, Math.min(1024 * 1024, Math.floor(highWaterMark / 2)));
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Flags that load code (with their value when it is the next argument). */
const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's flags the worker should get: all but the module loaders (`--import tsx`…).
 * The worker is a built file using only Node built-ins, and a loader such as tsx costs
 * ~200 ms at every worker start; `--input-type` is refused for a file entry.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--input-type')) continue;
    const eq = a.indexOf('=');
    if (LOADER_FLAGS.has(eq < 0 ? a : a.slice(0, eq))) {
      if (eq < 0) i++; // its value is the next argument
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * Workers inherit the parent's flags; flags a worker cannot take at all (e.g. `--trace-gc`
 * given explicitly) make Node throw, and then the worker gets none.
 */
function startWorker(config: WriterConfig): Worker {
  const url = workerFileUrl('writer-worker', import.meta.url);
  const execArgv = workerExecArgv(process.execArgv);
  try {
    return new Worker(url, { workerData: config, execArgv });
  } catch {
    return new Worker(url, { workerData: config, execArgv: [] });
  }
}

/**
 * Internal (tests): the writer thread takes over only once this promise resolves, so that
 * a test can hold it back and see what this thread does before.
 */
export const holdTakeover = Symbol('holdTakeover');

/** Internal (tests): resolves once the writer thread has taken over (never rejects). */
export const takenOver = Symbol('takenOver');

/** Internal (tests): whether the writer thread has been started (see `threadStartDelayMs`). */
export const threadStarted = Symbol('threadStarted');

/** `LineWriterOptions` with the internal test hook. */
export interface InternalWriterOptions extends LineWriterOptions {
  [holdTakeover]?: Promise<void>;
}

/** Writes `buf[from, to)` at `at` (positioned), all of it or throwing; returns the new end. */
function writeFully(fd: number, buf: Uint8Array, from: number, to: number, at: number): number {
  let end = at;
  for (let done = from; done < to; ) {
    const n = writeSync(fd, buf, done, to - done, end);
    done += n;
    end += n;
  }
  return end;
}

class WorkerLineWriter implements LineWriter {
  readonly path: string;
  /** Opened (and closed) by this thread; written by whichever thread holds the lock. */
  readonly #fd: number;
  /** Started by `#startTimer`, or at once when something must be posted before it fires. */
  #worker: Worker | undefined;
  readonly #config: WriterConfig;
  readonly #hold: Promise<void> | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  readonly #hwm: number;
  #length: number;
  #inFlight = 0;
  #error: OutputWriteError | undefined;
  #space: Waiter[] = [];
  #spare: ArrayBuffer[] = [];
  #calls = new Map<number, { resolve: (length: number) => void; reject: (e: Error) => void }>();
  #copies = new Map<number, { resolve: (r: CopyResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  /** Small transferred writes of this turn, sent together (see `SMALL_POST_BYTES`). */
  #outbox: Uint8Array[] = [];
  #outboxMemory = new Set<ArrayBuffer>();
  #outboxDue = false;
  readonly #sendOutbox = (): void => {
    this.#outboxDue = false;
    if (this.#outbox.length === 0) return;
    const msg: ToWorker = { type: 'write', chunks: this.#outbox };
    for (const c of this.#outbox) this.#postedBytes += c.byteLength;
    this.#send(msg, [...this.#outboxMemory]);
    this.#outbox = [];
    this.#outboxMemory.clear();
  };
  readonly #lock: Int32Array;
  readonly #slots: Float64Array;
  /** Bytes of `write` messages and copy requests posted, to tell when the worker is idle. */
  #postedBytes = 0;
  #copiesPosted = 0;
  /** Something was posted to the worker: it must be asked to close, not just stopped. */
  #posted = false;
  /**
   * The writer thread is up and takes the work from now on. Before, this thread writes and
   * copies everything itself (under the same lock), so that nothing waits for its start-up.
   */
  #joined = false;
  readonly [takenOver]: Promise<void>;
  #joinedNow: () => void = () => {};
  /** fsyncs started from here before anything was posted (the descriptor stays open for them). */
  #syncs = new Set<Promise<void>>();
  /** The buffer this thread copies through before the worker takes over. */
  #copyBuffer: InPlaceCounter | undefined;
  #closing: Promise<void> | undefined;
  #exited = false;

  constructor(
    path: string,
    out: OpenOutput,
    config: WriterConfig,
    hwm: number,
    hold: Promise<void> | undefined,
    startDelayMs: number,
  ) {
    this.path = path;
    this.#fd = out.fd;
    this.#length = out.length;
    this.#hwm = hwm;
    this.#lock = new Int32Array(config.shared, 0, 1);
    this.#slots = new Float64Array(config.shared);
    this.#slots[POSITION] = out.length;
    this.#config = config;
    this.#hold = hold;
    this[takenOver] = new Promise<void>((res) => {
      this.#joinedNow = res;
    });
    this.#startTimer = setTimeout(() => this.#startWorker(), startDelayMs);
    // A writer left open does not keep the process alive for its thread's start.
    this.#startTimer.unref();
  }

  /**
   * Starts the writer thread (once): it takes over the output when it is ready. Undefined
   * when it could not be started: the writer has then failed, as when its thread exits.
   */
  #startWorker(): Worker | undefined {
    clearTimeout(this.#startTimer);
    if (this.#worker || this.#exited) return this.#worker;
    let worker: Worker;
    try {
      worker = startWorker(this.#config);
    } catch (e) {
      this.#lost(new OutputWriteError(this.path, 'write', e));
      return undefined;
    }
    this.#worker = worker;
    const join = (): void => {
      this.#joined = true;
      this.#joinedNow();
    };
    worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'ready':
          if (this.#hold) void this.#hold.then(join);
          else join();
          break;
        case 'written':
          this.#inFlight -= msg.bytes;
          for (const ab of msg.spare) if (this.#spare.length < MAX_SPARE) this.#spare.push(ab);
          this.#release();
          break;
        case 'error':
          this.#fail(this.#errorOf(msg.failure));
          break;
        case 'copied': {
          // Counted here, before anyone resumes: writes posted meanwhile are already counted.
          this.#length += msg.bytes;
          const copy = this.#copies.get(msg.id);
          this.#copies.delete(msg.id);
          copy?.resolve({
            bytes: msg.bytes,
            lines: msg.lines,
            readFailed: msg.readFailed,
            mismatch: msg.mismatch,
            tail: msg.tail,
            atEnd: msg.atEnd,
          });
          break;
        }
        case 'done':
        case 'failed': {
          const copy = msg.type === 'failed' ? this.#copies.get(msg.id) : undefined;
          if (msg.type === 'failed' && copy) {
            this.#copies.delete(msg.id);
            copy.reject(this.#error ?? this.#errorOf(msg.failure));
            break;
          }
          const call = this.#calls.get(msg.id);
          this.#calls.delete(msg.id);
          if (msg.type === 'done') call?.resolve(msg.length);
          else call?.reject(this.#error ?? this.#errorOf(msg.failure));
          break;
        }
      }
    });
    worker.on('error', (e) => {
      this.#fail(new OutputWriteError(this.path, 'write', e));
    });
    worker.on('exit', () => {
      this.#lost(this.#error ?? new OutputWriteError(this.path, 'write', 'writer thread exited'));
    });
    return worker;
  }

  /** The writer thread is gone (exited, or never started): whatever waits on it fails. */
  #lost(err: OutputWriteError): void {
    this.#exited = true;
    for (const call of this.#calls.values()) call.reject(err);
    this.#calls.clear();
    for (const copy of this.#copies.values()) copy.reject(err);
    this.#copies.clear();
    if (!this.#closing) this.#fail(err);
  }

  get length(): number {
    return this.#length;
  }

  get [threadStarted](): boolean {
    return this.#worker !== undefined;
  }

  #errorOf(f: WorkerFailure): OutputWriteError {
    return new OutputWriteError(this.path, f.action, new Error(f.message), f.code);
  }

  #fail(err: OutputWriteError): void {
    this.#error ??= err;
    const waiters = this.#space;
    this.#space = [];
    for (const w of waiters) w.reject(this.#error);
  }

  #release(): void {
    while (this.#space.length > 0 && this.#inFlight <= this.#hwm) {
      (this.#space.shift() as Waiter).resolve();
    }
  }

  #send(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.#posted = true;
    (this.#worker ?? this.#startWorker())?.postMessage(msg, transfer);
  }

  /** Work is with the worker (posted, or waiting to be): flush, sync and close ask it. */
  get #worked(): boolean {
    return this.#posted || this.#outbox.length > 0;
  }

  write(data: WriteData): Promise<void> {
    const list = Array.isArray(data) ? data : [data as Buffer | Uint8Array | string];
    const chunks = list.map((d) => (typeof d === 'string' ? Buffer.from(d) : d));
    return this.#post(chunks, false);
  }

  [writeTransfer](chunks: Buffer[]): Promise<void> {
    return this.#post(chunks, true);
  }

  /**
   * Takes the output for a write on this thread: the shared lock, when the writer thread
   * has nothing queued or under way (everything posted has landed). Returns the output's
   * end, or -1 (lock not taken) when the worker holds it or still has work.
   */
  #take(): number {
    if (Atomics.compareExchange(this.#lock, LOCK, FREE, MAIN) !== FREE) return -1;
    const slots = this.#slots;
    const at = slots[POSITION] as number;
    if (slots[WRITTEN] !== this.#postedBytes || slots[COPIES] !== this.#copiesPosted) {
      this.#give(at);
      return -1;
    }
    return at;
  }

  /** Hands the output back with its new end, for whichever thread writes next. */
  #give(at: number): void {
    this.#slots[POSITION] = at;
    Atomics.store(this.#lock, LOCK, FREE);
    Atomics.notify(this.#lock, LOCK);
  }

  /**
   * Writes here, with positioned writes at the output's end, when the writer thread is idle
   * (see `#take`): every write before it joins, then small appends (one system call instead
   * of two thread wake-ups). False when nothing was written (the caller posts instead);
   * true once written or failed (the failure is then in `#error`).
   */
  #writeDirect(chunks: readonly Uint8Array[], bytes: number): boolean {
    if (this.#outbox.length > 0 || this.#error || this.#closing) return false;
    let at = this.#take();
    if (at < 0) return false;
    try {
      for (const c of chunks) at = writeFully(this.#fd, c, 0, c.byteLength, at);
      this.#length += bytes;
    } catch (e) {
      this.#fail(new OutputWriteError(this.path, 'write', e));
    } finally {
      this.#give(at);
    }
    return true;
  }

  [writeNow](data: Uint8Array): boolean {
    const bytes = data.byteLength;
    if (bytes === 0) return true;
    if (bytes > SMALL_POST_BYTES || !this.#writeDirect([data], bytes)) return false;
    // A failed write is reported by the next `write` (which the caller then makes).
    return this.#error === undefined;
  }

  [takeSpare](size: number): Buffer | undefined {
    const i = this.#spare.findIndex((ab) => ab.byteLength === size);
    if (i < 0) return undefined;
    const ab = this.#spare[i] as ArrayBuffer;
    this.#spare[i] = this.#spare[this.#spare.length - 1] as ArrayBuffer;
    this.#spare.pop();
    return Buffer.from(ab);
  }

  [copyRange](
    fd: number,
    position: number,
    maxBytes: number,
    maxLineBytes: number,
    tail: Uint8Array = new Uint8Array(0),
  ): Promise<CopyResult> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#closing || this.#exited) {
      return Promise.reject(new OutputWriteError(this.path, 'write', 'writer is closed'));
    }
    if (!this.#joined && this.#outbox.length === 0) {
      const at = this.#take();
      if (at >= 0) return this.#copyHere(at, fd, position, maxBytes, maxLineBytes, tail);
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#copies.set(id, { resolve, reject });
      const msg: ToWorker = { type: 'copy', id, fd, position, maxBytes, maxLineBytes, tail };
      this.#sendOutbox(); // everything written before lands before the copy
      this.#copiesPosted++;
      this.#send(msg);
    });
  }

  /**
   * A copy made here while the writer thread starts (holding the lock taken at `at`): one
   * bounded stretch (`maxBytes`, 1 MiB from a follower), as the worker would make it.
   */
  #copyHere(
    at: number,
    fd: number,
    position: number,
    maxBytes: number,
    maxLineBytes: number,
    tail: Uint8Array,
  ): Promise<CopyResult> {
    this.#copyBuffer ??= createCopyBuffer();
    const { buffer, count } = this.#copyBuffer;
    let end = at;
    let result: CopyResult;
    try {
      const write = (b: Buffer, n: number): void => {
        end = writeFully(this.#fd, b, 0, n, end);
      };
      result = copyLines(fd, position, maxBytes, maxLineBytes, buffer, write, count, tail);
      this.#length += result.bytes;
    } catch (e) {
      // Only a write can throw: the output has failed.
      this.#fail(new OutputWriteError(this.path, 'write', e));
      return Promise.reject(this.#error);
    } finally {
      this.#give(end);
    }
    // The answer comes on a later turn, as the worker's would: inputs copying one after the
    // other take turns with timers and I/O instead of running to their ends in one stretch.
    return new Promise((resolve) => setImmediate(resolve, result));
  }

  #post(chunks: Uint8Array[], transfer: boolean): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#closing) {
      return Promise.reject(new OutputWriteError(this.path, 'write', 'writer is closed'));
    }
    let bytes = 0;
    for (const c of chunks) bytes += c.byteLength;
    if (bytes === 0) return Promise.resolve();
    const here = !this.#joined || (transfer && bytes <= SMALL_POST_BYTES);
    if (here && this.#writeDirect(chunks, bytes)) {
      // A plain write is accepted and its failure reported by the next call, as when the
      // worker writes it; the sink's own writes hear of it at once.
      return this.#error && transfer ? Promise.reject(this.#error) : Promise.resolve();
    }
    if (transfer && bytes <= SMALL_POST_BYTES) {
      // Joins this turn's other small writes: one message at the end of the turn.
      for (const c of chunks) {
        this.#outbox.push(c);
        this.#outboxMemory.add(c.buffer as ArrayBuffer);
      }
      if (!this.#outboxDue) {
        this.#outboxDue = true;
        setImmediate(this.#sendOutbox);
      }
    } else {
      this.#sendOutbox();
      // Several chunks may be views of one buffer; each memory is transferred once.
      const transferList = new Set<ArrayBuffer>();
      if (transfer) for (const c of chunks) transferList.add(c.buffer as ArrayBuffer);
      const msg: ToWorker = { type: 'write', chunks };
      this.#postedBytes += bytes;
      this.#send(msg, [...transferList]);
    }
    this.#inFlight += bytes;
    this.#length += bytes;
    if (this.#inFlight <= this.#hwm) return Promise.resolve();
    return new Promise((resolve, reject) => this.#space.push({ resolve, reject }));
  }

  #call(type: 'flush' | 'sync' | 'close'): Promise<number> {
    if (this.#exited) {
      return Promise.reject(
        this.#error ?? new OutputWriteError(this.path, type, 'writer is closed'),
      );
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      const msg: ToWorker = { type, id };
      this.#sendOutbox();
      this.#send(msg);
    });
  }

  async flush(): Promise<void> {
    if (this.#error) throw this.#error;
    // Nothing posted: every write was made on this thread, synchronously; all landed.
    if (this.#worked) await this.#call('flush');
  }

  sync(): Promise<number> {
    if (this.#error) return Promise.reject(this.#error);
    return this.#worked ? this.#call('sync') : this.#syncHere();
  }

  /** fsync of what this thread wrote, off the event loop (libuv's pool): nothing was posted. */
  #syncHere(): Promise<number> {
    const length = this.#length;
    const done = new Promise<number>((resolve, reject) => {
      fsync(this.#fd, (e) => {
        if (!e) return resolve(length);
        this.#fail(new OutputWriteError(this.path, 'sync', e));
        reject(this.#error);
      });
    });
    const settled = done.then(
      () => {},
      () => {},
    );
    this.#syncs.add(settled);
    void settled.then(() => this.#syncs.delete(settled));
    return done;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    let failure: unknown;
    clearTimeout(this.#startTimer);
    if (this.#worked) {
      // Anything posted started the thread; writes still waiting to be posted start it now.
      const worker = this.#worker ?? this.#startWorker();
      const exited = new Promise<void>((res) => {
        if (this.#exited || !worker) res();
        else worker.once('exit', () => res());
      });
      try {
        await this.#call('close');
      } catch (e) {
        failure = e;
      }
      // The worker ends on its own once its port closes; terminate covers a stuck one.
      const timer = setTimeout(() => void worker?.terminate(), 1000);
      await exited;
      clearTimeout(timer);
    } else if (this.#worker) {
      // The worker never got any work: stopped wherever its start-up is, not waited for.
      this.#worker.unref();
      void this.#worker.terminate().catch(() => {});
    }
    await Promise.all(this.#syncs);
    try {
      closeSync(this.#fd);
    } catch (e) {
      failure ??= new OutputWriteError(this.path, 'close', e);
    }
    // A write made on this thread that failed is reported here too.
    failure ??= this.#error;
    if (failure !== undefined) throw failure;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Opens `path` for writing by a worker thread (the seed's WriteThread). Rejects with
 * `OutputWriteError` when the file cannot be opened (EISDIR, EACCES, a missing directory…);
 * later write errors (ENOSPC…) reject `write`, `flush`, `sync` and `close` with the path,
 * never crashing the process. Resolves without waiting for the worker to start: until it
 * has, writes and copies are made on the caller's thread.
 *
 * @example
 * await using out = await createLineWriter('merged.log');
 * await out.write(['first line\n', 'second line\n']);
 * await out.sync(); // durable
 */
export async function createLineWriter(
  path: string,
  options: LineWriterOptions = {},
): Promise<LineWriter> {
  const abs = resolve(path);
  const mode = options.truncateTo !== undefined ? 'cut' : options.append ? 'append' : 'truncate';
  const out = openOutput(abs, mode, options.truncateTo ?? 0);
  const config: WriterConfig = {
    fd: out.fd,
    batchBytes: options.batchBytes ?? 4 * 1024 * 1024,
    flushIntervalMs: options.flushIntervalMs ?? 0,
    ackBytes: ackBytesFor(options.highWaterMark ?? 16 * 1024 * 1024),
    shared: new SharedArrayBuffer(SHARED_BYTES),
  };
  const hold = (options as InternalWriterOptions)[holdTakeover];
  try {
    return new WorkerLineWriter(
      abs,
      out,
      config,
      options.highWaterMark ?? 16 * 1024 * 1024,
      hold,
      options.threadStartDelayMs ?? 100,
    );
  } catch (e) {
    closeSync(out.fd);
    throw new OutputWriteError(abs, 'write', e);
  }
}
