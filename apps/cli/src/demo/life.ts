/**
 * Demo items 1 and 2: the seed's 5x9 Life example, one task per cell, first through a
 * bounded pool (ThreadPoolExecutor(max_workers=10)), then gathered like asyncio coroutines.
 * Every cell's rule call awaits a short delay, the seed's socket read.
 */
import { AsyncPool, type Executor } from '@fanout/executors';
import {
  createEngine,
  delayedLogic,
  formatColumns,
  getBuiltinPattern,
  type Grid,
} from '@fanout/grid';

const GENERATIONS = 4;
const IO_MS = 1;

/** Runs the seed demo through `executor` (none: gather all cells) and returns the columns. */
export async function lifeColumns(
  executor: Executor | undefined,
  signal: AbortSignal,
): Promise<string> {
  const pattern = getBuiltinPattern('seed-demo');
  const engine = await createEngine(pattern, {
    kind: 'per-cell',
    size: { height: pattern.height, width: pattern.width },
    logic: delayedLogic(IO_MS),
    ...(executor ? { executor } : {}),
  });
  try {
    const generations: Grid[] = [engine.snapshot()];
    for (let i = 0; i < GENERATIONS; i++) {
      await engine.step(1, { signal });
      generations.push(engine.snapshot());
    }
    return formatColumns(generations);
  } finally {
    await engine.close();
  }
}

/** Items 1 and 2: pool, then async; prints both and checks they are identical. */
export async function demoLife(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  print(
    '1. Life, one task per cell on a bounded pool (the seed: ThreadPoolExecutor, max_workers=10)\n',
  );
  const pool = new AsyncPool({ maxConcurrency: 10 });
  let pooled: string;
  try {
    pooled = await lifeColumns(pool, signal);
  } finally {
    await pool.close();
  }
  print(`${pooled}\n\n`);
  print('2. Life, every cell a coroutine, fanned in with gather (the seed: asyncio)\n');
  const gathered = await lifeColumns(undefined, signal);
  print(`${gathered}\n`);
  if (gathered !== pooled) {
    throw new Error('the async run differs from the pool run');
  }
  print('identical to the pool run: yes\n\n');
}
