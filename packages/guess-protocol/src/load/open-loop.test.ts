import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { createGuessServer } from '../server/server.js';
import { runOpenLoad } from './open-loop.js';

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the generator's own loop is blocked: games fall due meanwhile
  }
}

describe('runOpenLoad', () => {
  it('starts rate x duration games, each on its own connection, and plays them to Correct', async () => {
    let connections = 0;
    await using server = createGuessServer({
      strategy: 'bisect',
      onEvent: (event) => {
        if (event.type === 'connection-open') connections++;
      },
    });
    const { port } = await server.listen();
    const progress: number[] = [];
    const result = await runOpenLoad({
      port,
      rate: 100,
      durationMs: 500,
      random: createRandom(3),
      onProgress: (p) => progress.push(p.games),
    });
    expect(result).toMatchObject({
      rate: 100,
      durationSeconds: 0.5,
      scheduled: 50,
      games: 50,
      failedGames: 0,
      errors: {},
    });
    expect(connections).toBe(50);
    expect(result.firstReply.count).toBe(50);
    expect(result.game.count).toBe(50);
    expect(result.roundTrip.count).toBe(result.roundTrips);
    expect(result.meanGuesses).toBeCloseTo(result.roundTrips / 50, 10);
    // Every game took at least its first reply, and the start to the end of the run
    // spans the schedule.
    expect(result.game.p50).toBeGreaterThanOrEqual(result.firstReply.p50);
    expect(result.seconds).toBeGreaterThanOrEqual(0.49);
    expect(progress.at(-1)).toBe(50);
  });

  it('counts latency from when a game was due, so a stalled generator cannot hide it', async () => {
    await using server = createGuessServer({ strategy: 'bisect' });
    const { port } = await server.listen();
    // 100 ms into the run this process blocks for 300 ms: the games due meanwhile start
    // late, and their first replies count from their due time (a closed-loop generator
    // would have reported ~1 ms for each).
    setTimeout(() => spin(300), 100);
    const result = await runOpenLoad({ port, rate: 200, durationMs: 600 });
    expect(result.failedGames).toBe(0);
    expect(result.maxStartLagMs).toBeGreaterThanOrEqual(250);
    expect(result.firstReply.max).toBeGreaterThanOrEqual(250);
    expect(result.game.max).toBeGreaterThanOrEqual(result.firstReply.max);
  });

  it('does not start games past maxInFlight, counting them as failed', async () => {
    // A server that accepts and never answers: every game stays in flight until it times out.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const result = await runOpenLoad({
        port,
        rate: 50,
        durationMs: 200,
        maxInFlight: 2,
        timeoutMs: 300,
      });
      expect(result.scheduled).toBe(10);
      expect(result.games).toBe(0);
      expect(result.failedGames).toBe(10);
      expect(result.errors).toEqual({ timeout: 2, 'in-flight-limit': 8 });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stops when aborted and validates its options', async () => {
    await using server = createGuessServer();
    const { port } = await server.listen();
    const controller = new AbortController();
    const run = runOpenLoad({
      port,
      rate: 50,
      durationMs: 60_000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.games > 0) controller.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
    await expect(runOpenLoad({ port, rate: 0, durationMs: 1 })).rejects.toThrow(RangeError);
    await expect(runOpenLoad({ port, rate: 1, durationMs: -1 })).rejects.toThrow(RangeError);
    await expect(runOpenLoad({ port, rate: 1, durationMs: 1, lower: 5, upper: 1 })).rejects.toThrow(
      RangeError,
    );
  });
});
