/** Messages between a LineWriter and its worker thread. */

/** How the worker opens the output. */
export interface WriterConfig {
  path: string;
  /** 'truncate': empty it; 'append': keep it; 'cut': cut it back to `truncateTo` (checkpoint restart). */
  mode: 'truncate' | 'append' | 'cut';
  truncateTo: number;
  batchBytes: number;
  flushIntervalMs: number;
}

export type ToWorker =
  | { type: 'write'; chunks: Uint8Array[] }
  | { type: 'flush'; id: number }
  | { type: 'sync'; id: number }
  | { type: 'close'; id: number };

export interface WorkerFailure {
  action: string;
  message: string;
  code: string | undefined;
}

export type FromWorker =
  | { type: 'ready'; length: number }
  /** `spare`: memory of written chunks, handed back so the reader can reuse it. */
  | { type: 'written'; bytes: number; spare: ArrayBuffer[] }
  | { type: 'done'; id: number; length: number }
  | { type: 'failed'; id: number; failure: WorkerFailure }
  | { type: 'error'; failure: WorkerFailure };
