// Running out of file descriptors, on 127.0.0.1, under `ulimit -n 400`: the connection
// limit is derived from the open-file limit with room for the service's own files, so
// every connection past it is answered `server-busy` (none is dropped silently by the OS)
// and the probes and metrics stay reachable at the limit.
import { LineSocket } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { httpGet, killAll, sample, spawnServer } from './helpers.js';

afterEach(killAll);

const LIMIT = 400;
/** Connections opened: more than the process has descriptors. */
const FLOOD = LIMIT + 40;

describe('fanout-server at its open-file limit', () => {
  it('derives its limit from ulimit -n, answers every connection past it, and keeps /healthz and /metrics up', async () => {
    const server = await spawnServer([], {}, { openFileLimit: LIMIT });
    const limit = await server.waitForLog((l) => l.msg === 'connection limit');
    const maxConnections = limit.maxConnections as number;
    expect(limit).toMatchObject({ level: 'info', openFileLimit: LIMIT });
    expect(maxConnections).toBeGreaterThan(100);
    expect(maxConnections).toBeLessThan(LIMIT - 64);

    const sockets: LineSocket[] = [];
    try {
      for (let i = 0; i < FLOOD; i++) {
        const socket = await LineSocket.open(server.guessPort);
        sockets.push(socket);
        socket.send('PARAMS 1 5\nNUMBER\n');
      }
      // Every connection got an answer: a guess, or server-busy. None was dropped unheard.
      const first = await Promise.all(sockets.map((socket) => socket.nextLine()));
      const busy = first.filter((line) => line?.startsWith('ERROR server-busy')).length;
      const guesses = first.filter((line) => line !== undefined && /^[1-5]$/.test(line)).length;
      expect({ busy, guesses }).toEqual({ busy: FLOOD - maxConnections, guesses: maxConnections });

      // At the limit, the operations port still answers.
      expect((await httpGet(server.httpPort, '/healthz')).status).toBe(200);
      const page = await httpGet(server.httpPort, '/metrics');
      expect(page.status).toBe(200);
      expect(sample(page.body, 'process_max_fds')).toBe(LIMIT);
      expect(sample(page.body, 'process_open_fds')).toBeLessThan(LIMIT);
      expect(sample(page.body, 'process_open_fds')).toBeGreaterThan(maxConnections);
      expect(sample(page.body, 'fanout_guess_max_connections')).toBe(maxConnections);
      expect(sample(page.body, 'fanout_guess_connections_open')).toBe(maxConnections);
      expect(sample(page.body, 'fanout_guess_errors_total', 'code="server-busy"')).toBe(
        FLOOD - maxConnections,
      );
      expect(sample(page.body, 'fanout_fd_limit_reached_total')).toBe(0);
    } finally {
      for (const socket of sockets) socket.socket.destroy();
    }
  }, 60_000);

  it('warns at start when --max-connections cannot be honoured, and serves what fits', async () => {
    const server = await spawnServer(['--max-connections', '5000'], {}, { openFileLimit: LIMIT });
    const warning = await server.waitForLog((l) => l.msg.includes('cannot be honoured'));
    expect(warning).toMatchObject({ level: 'warn', requested: 5000, openFileLimit: LIMIT });
    expect(warning.msg).toMatch(
      /^--max-connections 5000 cannot be honoured: the open-file limit is 400/,
    );
    expect(warning.maxConnections as number).toBeLessThan(LIMIT);
    const page = (await httpGet(server.httpPort, '/metrics')).body;
    expect(sample(page, 'fanout_guess_max_connections')).toBe(warning.maxConnections);
  });
});
