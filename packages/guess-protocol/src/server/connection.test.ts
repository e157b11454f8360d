import { createServer, type Server, type Socket } from 'node:net';
import { LineSocket } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionContext, GuessConnection } from './connection.js';
import type { CloseReason, GuessServerEvent } from './events.js';
import type { InputTask } from './input-scheduler.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/**
 * One GuessConnection on a real socket, with a scheduler that runs queued input only when
 * the test says so: the test decides what the socket sees first (its FIN, its reset).
 */
async function connection() {
  const queued: InputTask[] = [];
  const events: GuessServerEvent[] = [];
  const closes: CloseReason[] = [];
  const context: ConnectionContext = {
    session: { strategy: 'bisect' },
    idleTimeoutMs: 0,
    maxLineBytes: 1024,
    maxConsecutiveErrors: 10,
    onEvent: (event) => events.push(event),
    scheduler: { schedule: (task) => queued.push(task) },
    connectionClosed: (_connection, reason) => closes.push(reason),
  };
  let accepted: (socket: Socket) => void = () => {};
  const serverSocket = new Promise<Socket>((resolve) => {
    accepted = resolve;
  });
  const server: Server = createServer((socket) => {
    new GuessConnection(1, socket, context);
    accepted(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => server.close());
  const { port } = server.address() as { port: number };
  const client = await LineSocket.open(port);
  cleanup.push(() => client.socket.destroy());
  const runQueued = (): void => {
    for (const task of queued.splice(0)) task.run();
  };
  return { client, socket: await serverSocket, events, closes, runQueued };
}

describe('GuessConnection', () => {
  it('answers input that was still queued when the client half-closed', async () => {
    const { client, socket, runQueued } = await connection();
    const ended = new Promise((resolve) => socket.once('end', resolve));
    client.socket.end('PARAMS 1 1\nNUMBER\n'); // `printf ... | nc`
    await ended; // the FIN is in before the scheduler got round to the input
    runQueued();
    expect(await client.nextLine()).toBe('1');
    await client.closed;
  });

  it('still counts input that was queued when the client reset the connection', async () => {
    const { client, socket, events, closes, runQueued } = await connection();
    client.send('PARAMS 2 2\nNUMBER\nREPORT Correct\n');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('data', resolve));
    client.socket.resetAndDestroy();
    await closed;
    runQueued();
    expect(events.map((e) => e.type)).toEqual([
      'session-start',
      'number',
      'report',
      'game-completed',
    ]);
    expect(closes).toEqual(['error']);
  });
});
