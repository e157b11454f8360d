/**
 * Model-based fault test of AsyncPool: random mixes of every feature (priorities and
 * re-prioritising, timeouts from start and from submit, aborts, clear, pause/resume,
 * concurrency changes, a rate limit, tasks that resolve, reject, throw or never look at
 * their signal), many seeds, fake time. It checks at every step what the README promises:
 * - a task starts only when it is the first queued task by (priority, submission), or when
 *   nothing is queued; never while paused; never above `maxConcurrency`;
 * - no more than `intervalCap` starts in any `interval`;
 * - a timeout fires exactly `timeout` ms after the start (or submission) it counts from;
 * - every promise settles (nothing hangs), the counters add up, and nothing is ever an
 *   unhandled rejection.
 */
import { type Deferred, deferred, flush, seededRandom } from '@fanout/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TaskClearedError, TimeoutError } from '../errors.js';
import { AsyncPool } from './async-pool.js';

interface ModelTask {
  readonly label: string;
  readonly seq: number;
  priority: number;
  readonly submittedAt: number;
  startedAt: number | undefined;
  queued: boolean;
  settled: boolean;
  readonly controller: AbortController;
  readonly gate: Deferred<string>;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  process.on('unhandledRejection', onUnhandled);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  process.off('unhandledRejection', onUnhandled);
});

async function scenario(seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rate = random() < 0.4 ? { intervalCap: 1 + Math.floor(random() * 3), interval: 50 } : {};
  const poolTimeout = random() < 0.3 ? 40 + Math.floor(random() * 60) : undefined;
  const pool = new AsyncPool({
    maxConcurrency: 1 + Math.floor(random() * 4),
    ...rate,
    ...(poolTimeout === undefined ? {} : { timeout: poolTimeout }),
  });
  const tasks: ModelTask[] = [];
  const byLabel = new Map<string, ModelTask>();
  const starts: number[] = [];
  const problems: string[] = [];
  let seq = 0;
  let outcomes = 0;
  const now = (): number => performance.now();
  const queuedInModel = (): ModelTask[] => tasks.filter((t) => t.queued);

  pool.addEventListener('error', (event) => {
    const task = byLabel.get(event.task?.name ?? '');
    if (task === undefined) return;
    const error = event.detail;
    if (error instanceof TimeoutError) {
      const origin = error.from === 'start' ? task.startedAt : task.submittedAt;
      if (origin === undefined || now() - origin !== error.timeoutMs) {
        problems.push(
          `${task.label} timed out at ${now()}, origin ${origin}, limit ${error.timeoutMs}`,
        );
      }
      if (error.queued !== task.queued) problems.push(`${task.label} queued flag wrong`);
    }
    // A queued task that failed left the queue right now, synchronously.
    task.queued = false;
  });

  const submit = (): void => {
    const label = `t${seq}`;
    const priority = random() < 0.5 ? 0 : Math.floor(random() * 5) - 2;
    const controller = new AbortController();
    const task: ModelTask = {
      label,
      seq: seq++,
      priority,
      submittedAt: now(),
      startedAt: undefined,
      queued: false,
      settled: false,
      controller,
      gate: deferred<string>(),
    };
    const behaviour = pick(['gate', 'gate', 'gate', 'sync', 'throw', 'ignore-signal']);
    const timeout =
      random() < 0.3
        ? {
            timeout: 20 + Math.floor(random() * 80),
            timeoutFrom: pick(['start', 'submit'] as const),
          }
        : {};
    // The test's own gate: not every task waits on it, so it must not be an unhandled rejection.
    task.gate.promise.catch(() => {});
    tasks.push(task);
    byLabel.set(label, task);
    const promise = pool.run(
      ({ signal }) => {
        // Invariants at the moment of starting.
        const waiting = queuedInModel().filter((t) => t !== task);
        if (pool.paused) problems.push(`${label} started while paused`);
        if (pool.stats.running > pool.maxConcurrency) problems.push(`${label} over concurrency`);
        if (task.queued) {
          const first = [...queuedInModel()].sort(
            (a, b) => b.priority - a.priority || a.seq - b.seq,
          )[0];
          if (first !== task) problems.push(`${label} started before ${first?.label}`);
        } else if (waiting.length > 0) {
          problems.push(`${label} jumped a queue of ${waiting.length}`);
        }
        task.queued = false;
        task.startedAt = now();
        starts.push(now());
        if (behaviour === 'sync') return 'sync';
        if (behaviour === 'throw') throw new Error(`${label} threw`);
        if (behaviour === 'ignore-signal') return task.gate.promise;
        return new Promise<string>((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          task.gate.promise.then(resolve, reject);
        });
      },
      { name: label, id: label, priority, signal: controller.signal, ...timeout },
    );
    if (task.startedAt === undefined) task.queued = true;
    promise.then(
      () => {
        task.settled = true;
        outcomes++;
      },
      (error: unknown) => {
        task.settled = true;
        outcomes++;
        if (error instanceof TaskClearedError && task.startedAt !== undefined) {
          problems.push(`${label} cleared after it started`);
        }
      },
    );
  };

  for (let step = 0; step < 120; step++) {
    const op = random();
    const running = tasks.filter((t) => t.startedAt !== undefined && !t.settled);
    if (op < 0.35) submit();
    else if (op < 0.55 && running.length > 0) {
      const task = pick(running);
      if (random() < 0.8) task.gate.resolve('ok');
      else task.gate.reject(new Error('rejected'));
    } else if (op < 0.62 && tasks.length > 0) {
      const task = pick(tasks);
      if (task.queued) task.queued = false; // removed synchronously by the pool
      task.controller.abort(new Error(`abort ${task.label}`));
    } else if (op < 0.7 && tasks.length > 0) {
      const task = pick(tasks);
      const priority = Math.floor(random() * 5) - 2;
      const changed = pool.setPriority(task.label, priority);
      if (changed !== task.queued) problems.push(`setPriority(${task.label}) said ${changed}`);
      if (changed) task.priority = priority;
    } else if (op < 0.75) {
      if (pool.paused) pool.resume();
      else pool.pause();
    } else if (op < 0.8) {
      pool.maxConcurrency = 1 + Math.floor(random() * 4);
    } else if (op < 0.82) {
      const waiting = queuedInModel().length;
      const cleared = pool.clear();
      if (cleared !== waiting) problems.push(`clear removed ${cleared}, model had ${waiting}`);
      for (const task of tasks) task.queued = false;
    } else {
      await vi.advanceTimersByTimeAsync(Math.floor(random() * 40));
    }
    if (pool.stats.queued !== queuedInModel().length) {
      problems.push(
        `step ${step}: pool queues ${pool.stats.queued}, model ${queuedInModel().length}`,
      );
    }
    expect(problems, `seed ${seed} step ${step}`).toEqual([]);
  }

  // Wind down: everything must settle.
  pool.resume();
  pool.maxConcurrency = 4;
  for (let round = 0; round < 50 && tasks.some((t) => !t.settled || t.queued); round++) {
    for (const task of tasks) task.gate.resolve('end');
    await vi.advanceTimersByTimeAsync(100);
  }
  await pool.close();
  const hanging = tasks.filter((t) => !t.settled).map((t) => t.label);
  expect(hanging, `seed ${seed}: tasks that never settled`).toEqual([]);
  const { completed, failed, queued, running } = pool.stats;
  expect({ queued, running }).toEqual({ queued: 0, running: 0 });
  expect(completed + failed, `seed ${seed}: counters`).toBe(outcomes);
  if (rate.intervalCap !== undefined) {
    for (let i = rate.intervalCap; i < starts.length; i++) {
      expect(
        (starts[i] as number) - (starts[i - rate.intervalCap] as number),
      ).toBeGreaterThanOrEqual(50);
    }
  }
  expect(problems, `seed ${seed}`).toEqual([]);
}

describe('AsyncPool under random operations (model-based)', () => {
  it('keeps its promises over 150 seeds: order, limits, exact timeouts, no hang, no unhandled rejection', async () => {
    for (let seed = 1; seed <= 150; seed++) await scenario(seed);
    vi.useRealTimers();
    await flush();
    expect(unhandled).toEqual([]);
  });
});
