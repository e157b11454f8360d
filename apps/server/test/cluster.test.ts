import { LineSocket } from '@fanout/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LogLine,
  httpGet,
  killAll,
  monotonicSamples,
  sample,
  spawnServer,
} from './helpers.js';

afterEach(killAll);

const isWorkerUp = (line: LogLine): boolean => line.msg === 'worker listening';
// Forking and starting three node processes takes seconds on a loaded 2-core machine.
const CLUSTER_TEST_TIMEOUT_MS = 60_000;

/** One complete game on a fresh connection: a range of one number is won at once. */
async function playOnce(port: number): Promise<void> {
  const socket = await LineSocket.open(port);
  socket.send('PARAMS 7 7\nNUMBER\n');
  expect(await socket.nextLine()).toBe('7');
  socket.send('REPORT Correct\nNUMBER\n');
  expect(await socket.nextLine()).toBe('7'); // the game is over: the secret is known
  void socket.close();
}

/** Asserts that no counter or histogram sample of `before` is lower (or gone) in `after`. */
function expectNoCounterDecreased(before: string, after: string): void {
  const old = monotonicSamples(before);
  const now = monotonicSamples(after);
  expect(old.size).toBeGreaterThan(20);
  for (const [series, value] of old) {
    expect(now.get(series), `${series} after a worker died`).toBeGreaterThanOrEqual(value);
  }
}

describe('fanout-server --workers 2', () => {
  it(
    'shares the guess port, sums metrics over workers, replaces a crashed worker, keeps its counts',
    async () => {
      const server = await spawnServer(['--workers', '2']);
      const workers = server.logs.filter(isWorkerUp);
      expect(workers).toHaveLength(2);
      expect(new Set(workers.map((w) => w.guessPort))).toEqual(new Set([server.guessPort]));
      expect(JSON.parse((await httpGet(server.httpPort, '/healthz')).body)).toMatchObject({
        status: 'ok',
        workers: 2,
      });
      expect((await httpGet(server.httpPort, '/readyz')).status).toBe(200);

      // Round-robin: both workers play some of these.
      for (let i = 0; i < 6; i++) await playOnce(server.guessPort);
      const before = (await httpGet(server.httpPort, '/metrics')).body;
      // One series per metric for the whole cluster.
      expect(before).not.toContain('worker=');
      expect(sample(before, 'fanout_guess_games_completed_total')).toBe(6);
      expect(sample(before, 'fanout_guess_sessions_total')).toBe(6);
      expect(sample(before, 'fanout_cluster_workers')).toBe(2);
      expect(sample(before, 'fanout_guess_max_connections')).toBeGreaterThan(0);

      // Crash one worker from outside, as the OOM killer would.
      const victim = workers[0]?.pid as number;
      process.kill(victim, 'SIGKILL');
      const died = await server.waitForLog((l) => l.msg === 'worker died: replacing it', 20_000);
      expect(died).toMatchObject({ level: 'error', workerPid: victim, signal: 'SIGKILL' });
      const replacement = await server.waitForLog(
        (l) => isWorkerUp(l) && !workers.some((w) => w.pid === l.pid),
        20_000,
      );
      expect(replacement.guessPort).toBe(server.guessPort);
      // The primary hears of the replacement over IPC, maybe just after its log line.
      let after = '';
      await vi.waitFor(
        async () => {
          after = (await httpGet(server.httpPort, '/metrics')).body;
          expect(sample(after, 'fanout_cluster_worker_restarts_total')).toBe(1);
          expect(sample(after, 'fanout_cluster_workers')).toBe(2);
        },
        { timeout: 10_000, interval: 50 },
      );
      // What the dead worker counted is still there: no counter went down.
      expectNoCounterDecreased(before, after);
      expect(sample(after, 'fanout_guess_games_completed_total')).toBe(6);
      for (let i = 0; i < 2; i++) await playOnce(server.guessPort);
      const later = (await httpGet(server.httpPort, '/metrics')).body;
      expect(sample(later, 'fanout_guess_games_completed_total')).toBe(8);
      expectNoCounterDecreased(after, later);

      // A game in progress holds the shutdown: /healthz and /readyz turn 503, then exit 0.
      const player = await LineSocket.open(server.guessPort);
      player.send('PARAMS 9 9\nNUMBER\n');
      expect(await player.nextLine()).toBe('9');
      server.child.kill('SIGTERM');
      await vi.waitFor(
        async () => {
          const health = await httpGet(server.httpPort, '/healthz');
          expect(health.status).toBe(503);
          expect(JSON.parse(health.body)).toMatchObject({ status: 'draining' });
          expect((await httpGet(server.httpPort, '/readyz')).status).toBe(503);
          expect((await httpGet(server.httpPort, '/livez')).status).toBe(200);
        },
        { timeout: 10_000, interval: 25 },
      );
      player.send('REPORT Correct\n');
      await player.closed;
      expect(await server.exited).toBe(0);
      expect(server.logs.filter((l) => l.msg === 'worker died: replacing it')).toHaveLength(1);
      expect(server.logs.at(-1)?.msg).toBe('stopped');
    },
    CLUSTER_TEST_TIMEOUT_MS,
  );
});
