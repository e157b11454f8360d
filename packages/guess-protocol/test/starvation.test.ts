// Load test of the built server on 127.0.0.1: new connections must not wait behind the
// sessions already playing. The server runs in its own process (as in production). Busy
// sessions keep it saturated from this process: each keeps BURST guesses in flight (it
// sends the next BURST `NUMBER` lines as soon as the last answer of the previous ones is
// in), so every busy socket always has input waiting and the server, not this process, is
// the bottleneck. Then a burst of new clients connects. Nothing here measures time: each
// new client counts how many passes over the busy sessions (one pass = every busy session
// answered once, BURST lines each) went by between its connect() and its first reply.
//
// A server that accepts one connection per pass over its ready sockets (libuv since Node
// 20 accepts once per readiness event) answers the k-th new client after about k passes:
// the median of a burst of NEW_CLIENTS waits that many passes (the server before its input
// scheduler: medians of 123 to 194 here). A server that polls the listener between short
// slices of work accepts them all within a pass or two; this process then needs a pass of
// its own to send each request (its connect events queue behind the busy replies) and
// another to read each reply (the scheduled server: medians of 1.5 to 3.2). The bound, 20,
// sits far from both.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SERVE = fileURLToPath(new URL('./fixtures/serve.mjs', import.meta.url));
const BUSY_SESSIONS = 1_000;
/** Guesses each busy session keeps in flight. */
const BURST = 8;
const NEW_CLIENTS = 100;
/** Passes a new client may wait at the median (see above). */
const MAX_PASSES = 20;

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

/** Busy sessions keeping BURST guesses in flight each; `passes()` counts answers / (sessions × BURST). */
async function openBusySessions(port: number) {
  const sockets: Socket[] = [];
  let answered = 0;
  let failed = 0;
  let closing = false;
  const request = Buffer.from('NUMBER\n'.repeat(BURST));
  for (let i = 0; i < BUSY_SESSIONS; i += 100) {
    await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect({ host: '127.0.0.1', port, noDelay: true });
            sockets.push(socket);
            let pending = 0;
            socket.once('connect', () => {
              socket.write('PARAMS 1 1000000\n');
              socket.write(request);
              pending = BURST;
              resolve();
            });
            socket.once('error', reject);
            socket.on('data', (chunk: Buffer) => {
              for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
                answered++;
                if (--pending === 0) {
                  socket.write(request);
                  pending = BURST;
                }
              }
            });
            socket.on('close', () => {
              if (!closing) failed++;
            });
          }),
      ),
    );
  }
  return {
    passes: () => answered / (BUSY_SESSIONS * BURST),
    failed: () => failed,
    close: () => {
      closing = true;
      for (const socket of sockets) socket.destroy();
    },
  };
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
  it('answers a burst of new connections within a few passes over the busy sessions', async () => {
    const port = await startServer();
    const busy = await openBusySessions(port);
    try {
      // Let the busy sessions reach full speed: every one of them has played a while.
      while (busy.passes() < 10) await new Promise((resolve) => setTimeout(resolve, 20));
      const waited: number[] = [];
      await Promise.all(
        Array.from({ length: NEW_CLIENTS }, async () => {
          let before = 0;
          await firstReply(port, () => {
            before = busy.passes();
          });
          waited.push(busy.passes() - before);
        }),
      );
      waited.sort((a, b) => a - b);
      const median = waited[waited.length >> 1]!;
      // The busy sessions kept playing meanwhile, and are still all alive.
      expect(busy.failed()).toBe(0);
      const passes = waited.map((n) => n.toFixed(1));
      expect(median, `passes before each first reply: ${passes.join(' ')}`).toBeLessThan(
        MAX_PASSES,
      );
    } finally {
      busy.close();
    }
  }, 60_000);
});
