import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred } from '@fanout/test-kit';
import type { GuessClient } from './client.js';
import { connectGuessClient } from './connect.js';
import { ConnectionClosedError, GuessTimeoutError, ProtocolError } from '../errors.js';
import { createGuessServer } from '../server/server.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A scripted fake server: `onLine` gets every line a client sends. */
async function fakeServer(
  onLine: (line: string, socket: Socket) => void,
): Promise<{ port: number; lines: string[] }> {
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let carry = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      const parts = (carry + text).split('\n');
      carry = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine(line, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, lines };
}

async function client(
  port: number,
  timeoutMs = 10_000,
  signal?: AbortSignal,
): Promise<GuessClient> {
  const c = await connectGuessClient({ port, timeoutMs, ...(signal ? { signal } : {}) });
  cleanup.push(() => c.close());
  return c;
}

describe('GuessClient', () => {
  it('speaks the seed protocol: PARAMS, NUMBER, REPORT, and PARAMS 0 -1 on dispose', async () => {
    const guesses = [5, 2, 1, 3];
    const { port, lines } = await fakeServer((line, socket) => {
      if (line === 'NUMBER') socket.write(`${guesses.shift()}\n`);
    });
    const c = await client(port);
    const decisions: string[] = [];
    {
      await using game = c.session(1, 5, 3);
      expect(game).toMatchObject({ lower: 1, upper: 5, secret: 3 });
      for await (const n of game.requestNumbers(10)) decisions.push(game.reportOutcome(n));
    }
    expect(decisions).toEqual(['Unsure', 'Warmer', 'Colder', 'Correct']);
    await c.close();
    expect(lines).toEqual([
      'PARAMS 1 5',
      'NUMBER',
      'REPORT Unsure',
      'NUMBER',
      'REPORT Warmer',
      'NUMBER',
      'REPORT Colder',
      'NUMBER',
      'REPORT Correct',
      'PARAMS 0 -1',
    ]);
  });

  it('turns ERROR lines into ProtocolError and stays usable', async () => {
    await using server = createGuessServer({ strategy: 'bisect' });
    const { port } = await server.listen();
    const c = await client(port);
    const error = await c.requestNumber().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).reason).toBe('no-game');
    expect(() => c.reportOutcome(1)).toThrow(ProtocolError);
    await using game = c.session(1, 1, 1);
    expect(await c.requestNumber()).toBe(1);
    expect(game.reportOutcome(1)).toBe('Correct');
    expect(() => c.session(1, 2, 1)).toThrow(/already open/);
  });

  it('rejects a pending call when the connection drops, and every later call', async () => {
    const { port } = await fakeServer((line, socket) => {
      if (line === 'NUMBER') socket.destroy();
    });
    const c = await client(port);
    c.session(1, 5, 3);
    await expect(c.requestNumber()).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(c.requestNumber()).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(() => c.reportOutcome(2)).toThrow(ConnectionClosedError);
    expect(c.closed).toBe(true);
  });

  it('rejects with the fatal ERROR the server sent before closing', async () => {
    const { port } = await fakeServer((line, socket) => {
      if (line === 'NUMBER') socket.end('ERROR idle-timeout no traffic for 10 ms\n');
    });
    const c = await client(port);
    const error = await c.requestNumber().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).reason).toBe('idle-timeout');
  });

  it('rejects a reply it cannot read as bad-reply', async () => {
    const { port } = await fakeServer((line, socket) => {
      if (line === 'NUMBER') socket.write('banana\n');
    });
    const c = await client(port);
    const error = await c.requestNumber().catch((e: unknown) => e);
    expect((error as ProtocolError).reason).toBe('bad-reply');
  });

  it('times out a reply that never comes', async () => {
    const { port } = await fakeServer(() => {});
    const c = await client(port, 50);
    await expect(c.requestNumber()).rejects.toBeInstanceOf(GuessTimeoutError);
    expect(c.closed).toBe(true);
  });

  it('aborts pending calls with the signal reason', async () => {
    const seen = deferred();
    const { port } = await fakeServer(() => seen.resolve());
    const controller = new AbortController();
    const c = await client(port, 0, controller.signal);
    const pending = c.requestNumber();
    await seen.promise;
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('fails to connect with the socket error, or the abort reason', async () => {
    const { port } = await fakeServer(() => {});
    await cleanup.pop()?.();
    await expect(connectGuessClient({ port })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(connectGuessClient({ port, signal: AbortSignal.abort('no') })).rejects.toBe('no');
  });

  it('closes idempotently and with await using', async () => {
    const { port } = await fakeServer(() => {});
    const c = await client(port);
    await Promise.all([c.close(), c.close()]);
    expect(c.closed).toBe(true);
    {
      await using other = await connectGuessClient({ port });
      expect(other.closed).toBe(false);
    }
  });
});
