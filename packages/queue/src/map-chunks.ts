/**
 * The ordered fan-out/fan-in of `QueueExecutor#map`: chunks go out as room allows
 * (`maxQueue`), results come back in chunk order. Fail-fast unless `settle`: the first
 * error (or the caller's abort) rejects, and `cancel` stops the chunks still outstanding.
 */
import { ExecutorClosedError } from '@fanout/executors';

/** What the map needs from its executor. */
export interface ChunkSink<T> {
  /** Sends one chunk as one job; resolves with its decoded result. */
  send(chunk: T[]): Promise<unknown>;
  hasRoom(): boolean;
  waitForRoom(signal: AbortSignal): Promise<void>;
  isClosed(): boolean;
  /** Rejects and cancels the map's outstanding jobs. */
  cancel(error: unknown): void;
}

/** Per-chunk results, in chunk order (a settled chunk gives its items' outcomes). */
export function mapChunks<T>(
  sink: ChunkSink<T>,
  chunks: readonly T[][],
  settle: boolean,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    const results: unknown[] = new Array(chunks.length);
    let next = 0;
    let done = 0;
    let finished = false;
    // Stops this map's wait for room; the caller's `signal` is only listened to.
    const local = new AbortController();
    const finish = (): void => {
      finished = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (finished) return;
      finish();
      local.abort(error);
      sink.cancel(error);
      reject(error);
    };
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settled = (index: number, value: unknown): void => {
      if (finished) return;
      results[index] = value;
      if (++done < chunks.length) return;
      finish();
      resolve(results);
    };
    const feed = (): void => {
      while (!finished && next < chunks.length) {
        if (sink.isClosed()) {
          fail(new ExecutorClosedError('executor closed during a map'));
          return;
        }
        if (!sink.hasRoom()) {
          sink.waitForRoom(local.signal).then(feed, fail);
          return;
        }
        const index = next++;
        const chunk = chunks[index]!;
        sink.send(chunk).then(
          (value) => settled(index, value),
          (error: unknown) => {
            if (!settle) fail(error);
            else
              settled(
                index,
                chunk.map(() => ({ status: 'rejected', reason: error })),
              );
          },
        );
      }
    };
    feed();
  });
}
