/**
 * Demo item 5: keeping the event loop free. Like the seed's `asyncio.run(debug=True)`, a
 * watch reports a callback that blocks the loop, naming it; then the same watch over the
 * log merge of item 4 (whose output a writer thread takes over once it is up) shows the
 * loop stayed responsive.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type SlowCallbackEvent, watchEventLoop } from '@fanout/executors';

const THRESHOLD_MS = 50;
const BLOCK_MS = 150;

/** What the watch saw while some work ran. */
export interface LoopReport {
  slowCallbacks: number;
  maxDelayMs: number;
  p99DelayMs: number;
}

/** Runs `work` under an event-loop watch and reports what it saw. */
export async function watchWhile(work: () => Promise<void>): Promise<LoopReport> {
  const watch = watchEventLoop({ thresholdMs: THRESHOLD_MS });
  try {
    await work();
    const delay = watch.delay();
    return { slowCallbacks: watch.slowCallbacks, maxDelayMs: delay.max, p99DelayMs: delay.p99 };
  } finally {
    watch.stop();
  }
}

/** Blocks the loop on purpose from a named timer callback and returns what the watch saw. */
async function catchBlockingCallback(): Promise<SlowCallbackEvent | undefined> {
  const seen: SlowCallbackEvent[] = [];
  const watch = watchEventLoop({ thresholdMs: THRESHOLD_MS, onSlow: (event) => seen.push(event) });
  try {
    await new Promise<void>((resolve) => {
      setTimeout(function slowCallback() {
        // The seed's time.sleep(0.5) inside a coroutine: a synchronous wait.
        const end = performance.now() + BLOCK_MS;
        while (performance.now() < end) {}
        resolve();
      }, 0);
    });
    // onSlow is delivered from a later turn of the loop.
    for (let i = 0; i < 5 && seen.length === 0; i++) await nextTurn();
  } finally {
    watch.stop();
  }
  return seen.find((event) => event.name === 'slowCallback') ?? seen[0];
}

/** Prints item 5, given the report of the watch over item 4's merge. */
export async function demoEventLoop(
  print: (text: string) => void,
  merge: LoopReport,
): Promise<void> {
  print('5. Keeping the event loop free (the seed: asyncio debug=True, a writer thread)\n');
  const event = await catchBlockingCallback();
  if (event === undefined) {
    throw new Error(`the event-loop watch missed a ${BLOCK_MS} ms blocking callback`);
  }
  print(
    `a blocking callback is caught: ${event.type} ${event.name ?? '(anonymous)'} took ${event.durationMs.toFixed(0)} ms\n`,
  );
  print(
    `while merging (the writer thread takes the output over once it is up): ${merge.slowCallbacks} callbacks over ${THRESHOLD_MS} ms, loop delay p99 ${merge.p99DelayMs.toFixed(1)} ms, max ${merge.maxDelayMs.toFixed(1)} ms\n\n`,
  );
}
