// Load test of the built server on 127.0.0.1: new connections must not wait behind the
// sessions already playing. The server runs in its own process (as in production); busy
// sessions play as fast as they can from this process; then a burst of new clients
// connects. Nothing here measures time: each new client counts how many round trips the
// busy sessions completed between its connect() and its first reply. A server that accepts
// and answers a new connection only once per pass over every ready socket lets several
// passes go by, BUSY_SESSIONS round trips each (the server before the input scheduler:
// medians of 11,000 to 61,000 with 2,000 busy sessions); one that gives new connections
// their turn lets well under one pass go by on its side. This process adds up to one pass
// of its own (it reads the first reply after the busy replies that arrived before it), so
// the bound is two passes (the scheduled server: medians of 800 to 1,100).
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadConnection, openConnection } from '../src/load/load-connection.js';
import { createShared } from '../src/load/run-parts.js';
import { createRandom } from '../src/random.js';

const SERVE = fileURLToPath(new URL('./fixtures/serve.mjs', import.meta.url));
const BUSY_SESSIONS = 2_000;
const NEW_CLIENTS = 40;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startServer(): Promise<number> {
  const child = spawn(process.execPath, [SERVE, 'random'], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /PORT (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
}

/** Opens a connection, sends a game's first lines, resolves when the first guess comes back. */
function firstReply(port: number, onStart: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    onStart();
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.on('error', reject);
    socket.once('connect', () => socket.write('PARAMS 1 100\nNUMBER\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
  });
}

describe('a server busy with thousands of sessions', () => {
  it('answers new connections without waiting for a pass over every busy session', async () => {
    const port = await startServer();
    const shared = createShared({ lower: 1, upper: 100, games: 1e9, random: createRandom(7) });
    const busy: LoadConnection[] = [];
    for (let i = 0; i < BUSY_SESSIONS; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, () => openConnection('127.0.0.1', port, 30_000, shared)),
      );
      for (const connection of batch) if (connection !== undefined) busy.push(connection);
    }
    expect(busy).toHaveLength(BUSY_SESSIONS);
    const playing = busy.map((connection) => connection.play());
    try {
      // Let the busy sessions reach full speed: every one of them has played a while.
      while (shared.roundTrips < BUSY_SESSIONS * 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const waited: number[] = [];
      await Promise.all(
        Array.from({ length: NEW_CLIENTS }, async () => {
          let before = 0;
          await firstReply(port, () => {
            before = shared.roundTrips;
          });
          waited.push(shared.roundTrips - before);
        }),
      );
      waited.sort((a, b) => a - b);
      const median = waited[waited.length >> 1]!;
      // The busy sessions kept playing meanwhile, and are still all alive.
      expect(shared.failed).toBe(0);
      // One pass on the server's side and one on ours, at most (see the top of the file).
      expect(median, `round trips before first replies: ${waited.join(', ')}`).toBeLessThan(
        2 * BUSY_SESSIONS,
      );
    } finally {
      for (const connection of busy) connection.fail('test over');
      await Promise.all(playing);
    }
  }, 60_000);
});
