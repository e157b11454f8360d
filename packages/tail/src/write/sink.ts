import { OutputWriteError } from '../errors.js';
import {
  copyRange,
  createLineWriter,
  writeNow,
  type LineWriter,
  takeSpare,
  writeTransfer,
} from './line-writer.js';
import type { CopyResult } from './writer-protocol.js';

/** Copies whole lines of an open input straight into the output (see `copyLines`). */
export type CopyLines = (
  fd: number,
  position: number,
  maxBytes: number,
  maxLineBytes: number,
  tail: Uint8Array,
) => Promise<CopyResult>;

/** Where merged lines go: a LineWriter (file) or a caller's stream (e.g. stdout). */
export interface Sink {
  /** Bytes accepted so far (the output's length once they land, for a file). */
  readonly length: number;
  /** Accepts whole lines; the buffers are not used by the caller afterwards. */
  write(chunks: Buffer[]): Promise<void>;
  /**
   * Writes whole lines now, synchronously, when the output can (a file of ours with nothing
   * queued): true when written, false when nothing was (use `write`). Absent: never.
   */
  readonly writeNow?: (data: Uint8Array) => boolean;
  /** A buffer of `size` bytes to read into, recycled from written data, if one is spare. */
  spare(size: number): Buffer | undefined;
  /**
   * Present when the output can copy from an input itself (a file of ours): lines then never
   * pass through this thread. `length` counts them once the promise resolves.
   */
  readonly copy: CopyLines | undefined;
  flush(): Promise<void>;
  /** Makes accepted bytes durable; resolves with the durable length. */
  sync(): Promise<number>;
  /** Releases what the merge opened itself (a caller's stream or writer is only flushed). */
  close(): Promise<void>;
}

/** A minimal writable stream, as `process.stdout` or `fs.createWriteStream` provide. */
export interface StreamLike {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (...args: unknown[]) => void): unknown;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  removeListener(
    event: 'drain' | 'error' | 'close',
    listener: (...args: unknown[]) => void,
  ): unknown;
}

export function isLineWriter(x: unknown): x is LineWriter {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as LineWriter).sync === 'function' &&
    typeof (x as LineWriter).write === 'function' &&
    typeof (x as LineWriter).close === 'function'
  );
}

/** A LineWriter of ours has the internal methods; one given by a caller may not. */
type Internal = LineWriter & {
  [writeTransfer]?: (c: Buffer[]) => Promise<void>;
  [takeSpare]?: (size: number) => Buffer | undefined;
  [copyRange]?: CopyLines;
  [writeNow]?: (data: Uint8Array) => boolean;
};

class WriterSink implements Sink {
  readonly #writer: LineWriter;
  readonly #owned: boolean;
  readonly copy: CopyLines | undefined;
  readonly writeNow: ((data: Uint8Array) => boolean) | undefined;
  constructor(writer: LineWriter, owned: boolean) {
    this.#writer = writer;
    this.#owned = owned;
    const w = writer as Internal;
    this.copy = w[copyRange]?.bind(writer);
    this.writeNow = w[writeNow]?.bind(writer);
  }
  get length(): number {
    return this.#writer.length;
  }
  write(chunks: Buffer[]): Promise<void> {
    const w = this.#writer as Internal;
    return w[writeTransfer] ? w[writeTransfer](chunks) : w.write(chunks);
  }
  spare(size: number): Buffer | undefined {
    return (this.#writer as Internal)[takeSpare]?.(size);
  }
  flush(): Promise<void> {
    return this.#writer.flush();
  }
  sync(): Promise<number> {
    return this.#writer.sync();
  }
  close(): Promise<void> {
    return this.#owned ? this.#writer.close() : this.#writer.flush();
  }
}

class StreamSink implements Sink {
  readonly #stream: StreamLike;
  readonly #label: string;
  #length = 0;
  #last: Promise<void> = Promise.resolve();
  #error: OutputWriteError | undefined;

  // Held while merging: an 'error' event with no listener (EPIPE on stdout) would crash.
  readonly #onError = (e: unknown) => {
    this.#error ??= new OutputWriteError(this.#label, 'write', e);
  };

  constructor(stream: StreamLike, label: string) {
    this.#stream = stream;
    this.#label = label;
    stream.on('error', this.#onError);
  }
  get length(): number {
    return this.#length;
  }
  readonly copy = undefined;
  spare(): undefined {
    return undefined;
  }
  async write(chunks: Buffer[]): Promise<void> {
    if (this.#error) throw this.#error;
    const data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    this.#length += data.length;
    let ok = true;
    this.#last = new Promise<void>((resolve) => {
      ok = this.#stream.write(data, (e) => {
        if (e) this.#error ??= new OutputWriteError(this.#label, 'write', e);
        resolve();
      });
    });
    if (!ok) await this.#drain();
    if (this.#error) throw this.#error;
  }
  #drain(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (e?: unknown) => {
        this.#stream.removeListener('drain', done);
        this.#stream.removeListener('error', done);
        this.#stream.removeListener('close', done);
        if (e instanceof Error) this.#error ??= new OutputWriteError(this.#label, 'write', e);
        resolve();
      };
      this.#stream.once('drain', done);
      this.#stream.once('error', done);
      this.#stream.once('close', done);
    });
  }
  async flush(): Promise<void> {
    await this.#last;
    if (this.#error) throw this.#error;
  }
  async sync(): Promise<number> {
    await this.flush();
    return this.#length;
  }
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#stream.removeListener('error', this.#onError);
    }
  }
}

/** Opens the merge's output: a path (owned LineWriter), a LineWriter, or a stream. */
export async function openSink(
  output: string | LineWriter | StreamLike,
  truncateTo: number | undefined,
): Promise<Sink> {
  if (typeof output === 'string') {
    const options = truncateTo === undefined ? {} : { truncateTo };
    return new WriterSink(await createLineWriter(output, options), true);
  }
  if (isLineWriter(output)) return new WriterSink(output, false);
  return new StreamSink(output, output === process.stdout ? 'stdout' : 'stream');
}
