/**
 * What watchEventLoop costs: per callback (a loop of awaits and immediates, watch on vs off),
 * and per pool task with task naming on (100k AsyncPool tasks, each with a continuation:
 * no watch, watch with `tasks: false`, watch with `tasks: true`).
 */
import { api, compare, type Row } from './harness.js';

const { AsyncPool, watchEventLoop } = api;

async function watched(tasks: boolean, load: () => Promise<void>): Promise<void> {
  const watch = watchEventLoop({ thresholdMs: 100, tasks });
  try {
    await load();
  } finally {
    watch.stop();
  }
}

export async function eventLoopRows(): Promise<Row[]> {
  const awaits = 500_000;
  const immediates = 50_000;
  const callbacks = awaits + immediates;
  const loop = async (): Promise<void> => {
    let sum = 0;
    for (let i = 0; i < awaits; i++) sum += await Promise.resolve(i);
    for (let i = 0; i < immediates; i++) await new Promise<void>((r) => setImmediate(r));
    if (sum < 0) throw new Error('unreachable');
  };
  const [on, off] = (await compare(() => watched(false, loop), loop)) as [number, number];
  const perCallback = (ms: number): number => (ms * 1000) / callbacks;

  const tasks = 100_000;
  const poolLoad = async (): Promise<void> => {
    const pool = new AsyncPool({ maxConcurrency: 64, name: 'bench' });
    const all: Promise<unknown>[] = new Array(tasks);
    const task = async (i: number): Promise<number> => {
      await Promise.resolve();
      return i;
    };
    for (let i = 0; i < tasks; i++) all[i] = pool.submit(task, i);
    await Promise.all(all);
  };
  const [named, unnamed, bare] = (await compare(
    () => watched(true, poolLoad),
    () => watched(false, poolLoad),
    poolLoad,
  )) as [number, number, number];
  const perTask = (ms: number): number => (ms * 1000) / tasks;
  return [
    {
      benchmark: 'watchEventLoop on, 500k awaits + 50k setImmediate',
      ours: `${perCallback(on).toFixed(2)} µs/callback`,
      baseline: `${perCallback(off).toFixed(2)} µs/callback (no watch)`,
      ratio: `+${(perCallback(on) - perCallback(off)).toFixed(2)} µs/callback`,
      target: '(cheap enough for a server)',
    },
    {
      benchmark: 'watchEventLoop naming tasks, 100k AsyncPool tasks',
      ours: `${perTask(named).toFixed(2)} µs/task (tasks: true)`,
      baseline: `${perTask(unnamed).toFixed(2)} µs/task (tasks: false); ${perTask(bare).toFixed(2)} no watch`,
      ratio: `+${(perTask(named) - perTask(unnamed)).toFixed(2)} µs/task for the names`,
      target: '(cheap enough to leave on)',
    },
  ];
}
