import { raceAbort } from '@fanout/internal/abort';
import type { PairSource, PairStream } from './source.js';
import type { GcdPair } from '../types.js';

/**
 * The batches of a source, as the runners read it: an array is one batch, a stream gives
 * its own. When `signal` aborts while a stream is being waited for (stdin that sends
 * nothing), the iteration rejects with `signal.reason` at once. Ending early closes the
 * stream (a file is closed; a read still in flight is not waited for).
 */
export async function* batchesOf(
  source: PairSource,
  signal: AbortSignal | undefined,
): AsyncGenerator<readonly GcdPair[], void, undefined> {
  if (Array.isArray(source)) {
    if (source.length > 0) yield source as readonly GcdPair[];
    return;
  }
  const iterator = (source as PairStream)[Symbol.asyncIterator]();
  let reading = false;
  let ended = false;
  try {
    for (;;) {
      reading = true;
      const step = await raceAbort(iterator.next(), signal);
      reading = false;
      if (step.done === true) {
        ended = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!ended) {
      const closing = Promise.resolve(iterator.return?.()).catch(() => undefined);
      if (!reading) await closing;
    }
  }
}

/** Whether a source is a stream (read as it goes) rather than an array. */
export function isStream(source: PairSource): source is PairStream {
  return !Array.isArray(source);
}
