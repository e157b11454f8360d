import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionGuardOptions, guardConnections } from './guard.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** An HTTP server with the guard; `/slow` answers with a big body (for slow readers). */
async function start(options: Partial<ConnectionGuardOptions> = {}) {
  const closed: string[] = [];
  const server = createServer((req, res) => {
    res.end(req.url === '/slow' ? 'x'.repeat(16 * 1024 * 1024) : 'ok');
  });
  servers.push(server);
  const guard = guardConnections(server, {
    maxConnections: 4,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    checkEveryMs: 20,
    onClose: (reason) => closed.push(reason),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, guard, closed };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closedOf = (socket: Socket): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

describe('guardConnections', () => {
  it('cuts a connection that never sends a byte, and one that drips its head', async () => {
    const { port, closed } = await start();
    const silent = await open(port);
    const drip = await open(port);
    drip.write('GET / HTTP/1.1\r\nHost: x\r\nX-Drip: ');
    const ticker = setInterval(() => drip.write('a'), 50); // keeps sending, never finishes
    try {
      await Promise.all([closedOf(silent), closedOf(drip)]);
    } finally {
      clearInterval(ticker);
    }
    expect(closed.sort()).toEqual(['headers-timeout', 'headers-timeout']);
  });

  it('cuts a slow reader once its request has run for the request timeout', async () => {
    const { port, closed } = await start();
    const reader = await open(port);
    reader.pause(); // never reads the 16 MB answer (so it never sees the close either)
    reader.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => closed.length > 0, 'the guard to close the slow reader');
    expect(closed).toEqual(['request-timeout']);
  });

  it('makes room for a newcomer by evicting the oldest connection not being answered', async () => {
    const { port, guard, closed } = await start({ headersTimeoutMs: 60_000 });
    const hogs = [];
    for (let i = 0; i < 4; i++) hogs.push(await open(port));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(guard.open).toBe(4);
    // Full: a probe still gets in and is answered; the oldest hog made room.
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      headers: { connection: 'close' },
    });
    expect(await res.text()).toBe('ok');
    await closedOf(hogs[0]!);
    expect(hogs.slice(1).every((hog) => !hog.destroyed)).toBe(true);
    expect(closed).toEqual(['evicted']);
    expect(guard.open).toBeLessThanOrEqual(4);
  });

  it('evicts an idle connection rather than one whose response is still being written', async () => {
    const { port, closed } = await start({ maxConnections: 2, headersTimeoutMs: 60_000 });
    const reader = await open(port);
    reader.pause();
    reader.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n'); // older, but being answered
    await new Promise((resolve) => setTimeout(resolve, 50));
    const idle = await open(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await open(port); // the server is full: someone must go
    await closedOf(idle);
    expect(closed).toEqual(['evicted']);
  });
});
