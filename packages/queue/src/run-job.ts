/**
 * What a worker does with one job on its local `WorkerPool`: a call, a chunk (fail-fast,
 * in one message to one thread), or a chunk whose items settle one by one. A task's error
 * is an outcome for the caller; only an abort (cancel, requeue) is thrown.
 */
import type { WorkerPool } from '@fanout/executors';
import { encode, encodeOwned } from './codec.js';
import type { JobData, JobOutcome } from './protocol.js';

function encodedOutcome(value: unknown): JobOutcome {
  try {
    // The value came from the thread (a structured clone): nobody else holds it.
    return { ok: true, value: encodeOwned(value, 'result') };
  } catch (error) {
    return { ok: false, error: encode(error) };
  }
}

/** Runs the job and encodes its outcome; rejects only with `signal.reason` on abort. */
export async function runJob(
  pool: WorkerPool,
  exportName: string,
  kind: JobData['k'],
  payload: unknown[],
  signal: AbortSignal,
): Promise<JobOutcome> {
  try {
    if (kind === 'call') return encodedOutcome(await pool.run(exportName, payload, { signal }));
    if (kind === 'chunk' && payload.length === 1) {
      // One item: a plain call (`fn(item)`) is the same and skips the pool's map machinery.
      return encodedOutcome([await pool.run(exportName, payload, { signal })]);
    }
    if (kind === 'chunk') {
      return encodedOutcome(
        await pool.map(exportName, payload, { chunkSize: Math.max(1, payload.length), signal }),
      );
    }
    const settled = await Promise.allSettled(
      payload.map((item) => pool.run(exportName, [item], { signal })),
    );
    signal.throwIfAborted();
    return encodedOutcome(
      settled.map((one) =>
        one.status === 'fulfilled'
          ? { ok: true, value: one.value }
          : { ok: false, error: one.reason },
      ),
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return { ok: false, error: encode(error) };
  }
}
