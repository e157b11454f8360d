/** Messages between a LineWriter and its worker thread. */

/** What the worker writes to and how. */
export interface WriterConfig {
  /**
   * The output's descriptor, opened (and emptied, or cut back) by the main thread, which
   * closes it; the worker writes at the shared `POSITION`, never truncating.
   */
  fd: number;
  batchBytes: number;
  flushIntervalMs: number;
  /**
   * Written bytes are acknowledged (`written`) once this many gathered, with spare memory,
   * and before answering a flush, sync or close: not once per small write.
   */
  ackBytes: number;
  /** Who may write the output now, and where it ends (see `SharedOutput`). */
  shared: SharedArrayBuffer;
}

/**
 * The output's lock and position, shared by the writer thread and the main thread, so that
 * a small append can be written by the main thread itself while the writer thread has
 * nothing to do (one system call instead of two thread wake-ups). `LOCK` (Int32 0) is
 * `FREE`, `WORKER` or `MAIN`; whoever holds it may write at `POSITION` and moves it on. The
 * Float64 slots are only touched by the lock's holder.
 */
export const SHARED_BYTES = 32;
export const LOCK = 0;
export const FREE = 0;
export const WORKER = 1;
export const MAIN = 2;
/** Float64 slots: the output's end, bytes of `write` messages written, copies done. */
export const POSITION = 1;
export const WRITTEN = 2;
export const COPIES = 3;

export type ToWorker =
  | { type: 'write'; chunks: Uint8Array[] }
  | { type: 'flush'; id: number }
  | { type: 'sync'; id: number }
  | { type: 'close'; id: number }
  | CopyRequest;

/**
 * Copy whole lines of an input file straight into the output, inside the worker: from
 * `position` (a line start) of the open descriptor `fd`, up to about `maxBytes`, stopping at
 * the last newline read, before a line longer than `maxLineBytes`, or at the end of the file.
 */
export interface CopyRequest {
  type: 'copy';
  id: number;
  fd: number;
  position: number;
  maxBytes: number;
  maxLineBytes: number;
  /** The bytes the input must hold just before `position` (see `copyLines`). */
  tail: Uint8Array;
}

/** What a copy did: `bytes` (whole lines) and `lines` landed in the output, which is now `length` long. */
export interface CopyResult {
  bytes: number;
  lines: number;
  /** Reading the input failed: the caller reads it itself to report the error. */
  readFailed: boolean;
  /** The bytes before `position` were not the expected ones: the input was truncated or rewritten. */
  mismatch: boolean;
  /** The bytes just before where the copy stopped (up to 256). */
  tail: Uint8Array;
  /** The copy stopped because the file ended there (nothing after the last copied line). */
  atEnd: boolean;
}

export interface WorkerFailure {
  action: string;
  message: string;
  code: string | undefined;
}

export type FromWorker =
  /** The thread is up: from now on it takes the writes (see `LineWriter`'s start). */
  | { type: 'ready' }
  /** `spare`: memory of written chunks, handed back so the reader can reuse it. */
  | { type: 'written'; bytes: number; spare: ArrayBuffer[] }
  | { type: 'done'; id: number; length: number }
  | ({ type: 'copied'; id: number; length: number } & CopyResult)
  | { type: 'failed'; id: number; failure: WorkerFailure }
  | { type: 'error'; failure: WorkerFailure };
