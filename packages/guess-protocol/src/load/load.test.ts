import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { deferred, waitFor } from '@fanout/test-kit';
import { LatencyHistogram } from './histogram.js';
import { runLoad } from './load.js';
import { createRandom } from '../random.js';
import { createGuessServer } from '../server/server.js';

describe('runLoad', () => {
  it.each(['random', 'bisect'] as const)(
    'plays every game to Correct against the %s strategy',
    async (strategy) => {
      let completed = 0;
      let guesses = 0;
      const allCompleted = deferred();
      await using server = createGuessServer({
        strategy,
        onEvent: (event) => {
          if (event.type === 'game-completed') {
            completed++;
            guesses += event.guesses;
            if (completed === 60) allCompleted.resolve();
          }
        },
      });
      const { port } = await server.listen();
      const progress: number[] = [];
      const result = await runLoad({
        port,
        sessions: 20,
        games: 3,
        lower: 1,
        upper: 50,
        random: createRandom(4),
        onProgress: (p) => progress.push(p.games),
      });
      expect(result).toMatchObject({ sessions: 20, failedSessions: 0, games: 60, errors: {} });
      // The server sees the last reports a moment after the load generator hangs up.
      await allCompleted.promise;
      expect(result.meanGuesses).toBeCloseTo(guesses / 60, 10);
      expect(result.roundTrips).toBe(guesses);
      expect(result.p99RoundTripMs).toBeGreaterThanOrEqual(result.p50RoundTripMs);
      expect(result.maxRoundTripMs).toBeGreaterThanOrEqual(result.p99RoundTripMs);
      expect(progress.at(-1)).toBe(60);
      await server.close();
      expect(server.connections).toBe(0);
    },
  );

  it('counts sessions that break or cannot connect as failed', async () => {
    const sockets = new Set<Socket>();
    let accepted = 0;
    const rude = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      // Every other connection is cut on its first command.
      if (accepted++ % 2 === 0) socket.once('data', () => socket.destroy());
      else socket.once('data', () => socket.write('ERROR exhausted nothing left\n'));
    });
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const address = rude.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await runLoad({ port, sessions: 4, games: 1 });
      expect(result.failedSessions).toBe(4);
      expect(result.games).toBe(0);
      expect(result.errors.exhausted).toBe(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => rude.close(resolve));
    }
    const refused = await runLoad({ port, sessions: 2, games: 1 });
    expect(refused.failedSessions).toBe(2);
    expect(refused.errors.ECONNREFUSED).toBe(2);
  });

  it('reassembles replies split across reads while other connections reuse the read buffer', async () => {
    // Each guess arrives in two pieces a moment apart, so other connections' reads land in
    // the shared read buffer between them: the partial line must have been copied out.
    const sockets = new Set<Socket>();
    let sent = 0;
    const split = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      let guess = 0;
      let carry = '';
      socket.on('data', (chunk: Buffer) => {
        const lines = (carry + chunk.toString('latin1')).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          if (line !== 'NUMBER') continue;
          // 10..14 in turn: every secret of the range comes up within five guesses.
          guess = guess === 0 || guess === 14 ? 10 : guess + 1;
          sent++;
          const text = `${guess}\n`;
          socket.write(text.slice(0, 1));
          setTimeout(() => {
            if (!socket.destroyed) socket.write(text.slice(1));
          }, 2);
        }
      });
    });
    await new Promise<void>((resolve) => split.listen(0, '127.0.0.1', resolve));
    const address = split.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await runLoad({
        port,
        sessions: 6,
        games: 4,
        lower: 10,
        upper: 14,
        random: createRandom(9),
        timeoutMs: 5_000,
      });
      expect(result).toMatchObject({ failedSessions: 0, games: 24, errors: {} });
      expect(result.roundTrips).toBe(sent);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => split.close(resolve));
    }
  });

  it('with durationMs, starts no game after the time is up and finishes those under way', async () => {
    let completed = 0;
    await using server = createGuessServer({
      strategy: 'bisect',
      onEvent: (event) => {
        if (event.type === 'game-completed') completed++;
      },
    });
    const { port } = await server.listen();
    const result = await runLoad({ port, sessions: 4, games: 1_000_000_000, durationMs: 200 });
    expect(result.failedSessions).toBe(0);
    expect(result.games).toBeGreaterThan(4);
    expect(result.games).toBeLessThan(1_000_000_000);
    expect(result.seconds).toBeGreaterThanOrEqual(0.2);
    await expect(runLoad({ port, sessions: 1, games: 1, durationMs: -1 })).rejects.toThrow(
      RangeError,
    );
    // Every game it counted was one the server saw through to Correct (a moment later).
    await waitFor(() => completed >= result.games, 'the server to see the last reports');
    expect(completed).toBe(result.games);
  });

  it('stops when aborted and validates its options', async () => {
    await using server = createGuessServer();
    const { port } = await server.listen();
    const controller = new AbortController();
    const run = runLoad({
      port,
      sessions: 5,
      games: 1_000_000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.games > 0) controller.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
    await expect(runLoad({ port, sessions: 0, games: 1 })).rejects.toThrow(RangeError);
    await expect(runLoad({ port, sessions: 1, games: 1, lower: 5, upper: 1 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles within 0.1 % (perf_hooks HDR histogram), count, mean and max exactly', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i / 10);
    expect(histogram.count).toBe(1000);
    expect(histogram.percentile(50)).toBeGreaterThanOrEqual(50);
    expect(histogram.percentile(50)).toBeLessThanOrEqual(50 * 1.001);
    expect(histogram.percentile(99)).toBeGreaterThanOrEqual(99);
    expect(histogram.percentile(99)).toBeLessThanOrEqual(99 * 1.001);
    expect(histogram.percentile(100)).toBe(100);
    expect(histogram.percentile(0)).toBeCloseTo(0.1, 3);
    expect(histogram.mean).toBeCloseTo(50.05, 6);
    expect(histogram.max).toBe(100);
    expect(histogram.summary()).toMatchObject({ count: 1000, max: 100 });
    expect(new LatencyHistogram().percentile(99)).toBe(0);
    expect(() => histogram.percentile(101)).toThrow(RangeError);
  });

  it('keeps sub-microsecond and hour-long samples in range', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0.0001);
    histogram.record(-5);
    histogram.record(7_200_000);
    expect(histogram.count).toBe(3);
    expect(histogram.percentile(1)).toBeCloseTo(0.001, 6);
    expect(histogram.max).toBe(7_200_000);
    expect(histogram.percentile(100)).toBeLessThanOrEqual(7_200_000);
  });
});
