import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, LineSocket } from '@fanout/test-kit';
import { connectGuessClient } from '../client/connect.js';
import { formatClientResult } from '../decide.js';
import type { GuessServerEvent } from './events.js';
import { createRandom } from '../random.js';
import { playChapterGames } from '../client/chapter-games.js';
import { createGuessServer, type GuessServer, type GuessServerOptions } from './server.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Started {
  server: GuessServer;
  port: number;
  events: GuessServerEvent[];
  /** Resolves once `count` events matching `predicate` arrived (counting earlier ones). */
  waitFor(predicate: (event: GuessServerEvent) => boolean, count?: number): Promise<void>;
}

async function start(options: GuessServerOptions = {}): Promise<Started> {
  const events: GuessServerEvent[] = [];
  const waiters: (() => void)[] = [];
  const server = createGuessServer({
    random: createRandom(1),
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
      for (const waiter of waiters.slice()) waiter();
    },
  });
  cleanup.push(() => server.close({ drainTimeoutMs: 0 }));
  const { port } = await server.listen();
  const waitFor = (predicate: (event: GuessServerEvent) => boolean, count = 1): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (events.filter(predicate).length >= count) {
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        }
      };
      waiters.push(check);
      check();
    });
  return { server, port, events, waitFor };
}

async function raw(port: number): Promise<LineSocket> {
  const client = await LineSocket.open(port);
  cleanup.push(() => client.close());
  return client;
}

/** A well-behaved client plays a whole game to Correct; returns the guesses. */
async function playOneGame(port: number, secret = 7): Promise<number> {
  await using client = await connectGuessClient({ port, timeoutMs: 10_000 });
  await using game = client.session(1, 10, secret);
  let guesses = 0;
  for await (const n of game.requestNumbers(100)) {
    guesses++;
    game.reportOutcome(n);
  }
  return guesses;
}

describe('createGuessServer', () => {
  it("prints the seed's transcript: Guess lines, Server events, then Client lines", async () => {
    const log: string[] = [];
    const { port, events } = await start({
      onEvent: (event) => {
        if (event.type === 'report') log.push(event.text);
      },
    });
    const client = await connectGuessClient({ port });
    const results = await playChapterGames(client, { onLine: (line) => log.push(line) });
    await client.close();
    const clientLines = results.map((r) => formatClientResult(r.number, r.decision));
    log.push(...clientLines);

    const serverLines = log.filter((line) => line.startsWith('Server: '));
    expect(clientLines).toEqual(serverLines.map((line) => line.replace('Server:', 'Client:')));
    // The 1..5 session always reaches Correct within 5 guesses (no repeats).
    expect(serverLines).toContain('Server: 3 is Correct');
    expect(log[0]).toBe("Guess a number between 1 and 5! Shhhhh, it's 3.");
    expect(log).toContain("Guess a number between 10 and 15! Shhhhh, it's 12.");
    expect(log.slice(-clientLines.length)).toEqual(clientLines);

    const types = events.map((event) => event.type);
    expect(types[0]).toBe('listening');
    expect(types).toContain('connection-open');
    expect(events.filter((e) => e.type === 'session-start')).toHaveLength(2);
    const completed = events.filter((e) => e.type === 'game-completed');
    expect(completed.length).toBeGreaterThanOrEqual(1);
    const firstGame = completed[0];
    expect(firstGame?.type === 'game-completed' && firstGame.guesses).toBe(
      results.findIndex((r) => r.decision === 'Correct') + 1,
    );
    for (const event of events) {
      if (event.type === 'report') expect(event.roundTripMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('answers ERROR lines where the seed would crash or hang, and stays usable', async () => {
    const { port, events } = await start({ strategy: 'bisect' });
    const client = await raw(port);
    const expectations: [string, RegExp][] = [
      ['NUMBER', /^ERROR no-game /],
      ['REPORT Warmer', /^ERROR no-game /],
      ['HELLO', /^ERROR unknown-command /],
      ['PARAMS 1', /^ERROR bad-arguments /],
      ['PARAMS 1 99999999999', /^ERROR range-too-large /],
    ];
    for (const [line, reply] of expectations) {
      client.send(`${line}\n`);
      expect(await client.nextLine()).toMatch(reply);
    }
    client.send('PARAMS 4 4\nREPORT Unsure\n');
    expect(await client.nextLine()).toMatch(/^ERROR no-guess /);
    client.send('NUMBER\nREPORT Correct\nNUMBER\n');
    expect(await client.nextLine()).toBe('4');
    expect(await client.nextLine()).toBe('4');
    const codes = events.flatMap((e) => (e.type === 'error' ? [e.code] : []));
    expect(codes).toEqual([
      'no-game',
      'no-game',
      'unknown-command',
      'bad-arguments',
      'range-too-large',
      'no-guess',
    ]);
  });

  it('answers exhausted instead of looping when every number was guessed', async () => {
    const { port } = await start();
    const client = await raw(port);
    client.send('PARAMS 1 3\nNUMBER\nNUMBER\nNUMBER\nNUMBER\n');
    const lines = [
      await client.nextLine(),
      await client.nextLine(),
      await client.nextLine(),
      await client.nextLine(),
    ];
    expect(lines.slice(0, 3).map(Number).sort()).toEqual([1, 2, 3]);
    expect(lines[3]).toMatch(/^ERROR exhausted /);
  });

  it('answers pipelined lines split anywhere, with CRLF, in one reply', async () => {
    const { port } = await start({ strategy: 'bisect' });
    const client = await raw(port);
    const text = 'PARAMS 1 9\r\nNUMBER\r\nREPORT Unsure\nNUMBER\n';
    for (const char of text) {
      client.send(char);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await client.nextLine()).toBe('5');
    expect(await client.nextLine()).toMatch(/^\d$/);
  });

  it('closes a connection after a line longer than maxLineBytes, even split across chunks', async () => {
    const { port, waitFor } = await start({ maxLineBytes: 64 });
    const whole = await raw(port);
    whole.send(`PARAMS ${'1'.repeat(100)} 2\n`);
    expect(await whole.linesUntilClose()).toEqual([expect.stringMatching(/^ERROR line-too-long /)]);
    const split = await raw(port);
    for (let i = 0; i < 5; i++) {
      split.send('x'.repeat(20));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await split.linesUntilClose()).toEqual([expect.stringMatching(/^ERROR line-too-long /)]);
    await waitFor((e) => e.type === 'connection-close' && e.reason === 'line-too-long', 2);
  });

  it('closes after maxConsecutiveErrors errors in a row, with a last ERROR line', async () => {
    const { port } = await start({ maxConsecutiveErrors: 4 });
    const client = await raw(port);
    client.send('A\nB\nNUMBER\nPARAMS 1 2\nC\nD\nE\nF\n');
    const lines = await client.linesUntilClose();
    expect(lines.map((line) => line.split(' ')[1])).toEqual([
      'unknown-command',
      'unknown-command',
      'no-game',
      // PARAMS succeeded and reset the count.
      'unknown-command',
      'unknown-command',
      'unknown-command',
      'unknown-command',
      'too-many-errors',
    ]);
  });

  it('survives binary garbage and floods while answering a well-behaved client', async () => {
    const { server, port, waitFor } = await start({ maxLineBytes: 256, maxConsecutiveErrors: 5 });
    const random = createRandom(2024);
    const attackers = await Promise.all(Array.from({ length: 6 }, () => raw(port)));
    attackers.forEach((attacker, i) => {
      if (i % 2 === 0) {
        const bytes = Buffer.alloc(4096);
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
        attacker.send(bytes);
      } else {
        attacker.send(Buffer.alloc(10_000, 0x41));
      }
    });
    const guesses = await playOneGame(port);
    expect(guesses).toBeGreaterThanOrEqual(1);
    for (const attacker of attackers) {
      const lines = await attacker.linesUntilClose();
      expect(lines.at(-1)).toMatch(/^ERROR (line-too-long|too-many-errors) /);
    }
    expect(await playOneGame(port, 3)).toBeGreaterThanOrEqual(1);
    await waitFor((e) => e.type === 'connection-close', 8);
    expect(server.connections).toBe(0);
  });

  it('closes idle connections with ERROR idle-timeout', async () => {
    const { port, waitFor } = await start({ idleTimeoutMs: 100 });
    const client = await raw(port);
    expect(await client.linesUntilClose()).toEqual([expect.stringMatching(/^ERROR idle-timeout /)]);
    await waitFor((e) => e.type === 'connection-close' && e.reason === 'idle-timeout');
  });

  it('closes a slowloris client whose line never completes within idleTimeoutMs', async () => {
    const { port } = await start({ idleTimeoutMs: 300 });
    const client = await raw(port);
    const done = client.linesUntilClose();
    // A byte every 100 ms keeps the socket busy but the line never ends.
    const drip = setInterval(() => {
      if (!client.socket.destroyed) client.send('N');
    }, 100);
    try {
      expect(await done).toEqual([expect.stringMatching(/^ERROR idle-timeout line not completed/)]);
    } finally {
      clearInterval(drip);
    }
  });

  it('keeps a connection that talks more often than idleTimeoutMs open well past it', async () => {
    // The idle timeout is a periodic sweep, not a per-socket timer: traffic must still count.
    const { port, waitFor } = await start({ idleTimeoutMs: 400, strategy: 'bisect' });
    const client = await raw(port);
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    const startedAt = performance.now();
    client.send('PARAMS 1 1000000\nNUMBER\n');
    expect(await client.nextLine()).toMatch(/^\d+$/);
    while (performance.now() - startedAt < 1_200) {
      await sleep(50);
      client.send('REPORT Warmer\nNUMBER\n');
      expect(await client.nextLine()).toMatch(/^\d+$/);
    }
    // Silent from here on: closed by a later sweep.
    expect(await client.linesUntilClose()).toEqual([
      expect.stringMatching(/^ERROR idle-timeout no traffic for 400 ms/),
    ]);
    await waitFor((e) => e.type === 'connection-close' && e.reason === 'idle-timeout');
  });

  it('closes a partial line left without further bytes as not completed', async () => {
    const { port } = await start({ idleTimeoutMs: 150 });
    const client = await raw(port);
    client.send('NUMB');
    expect(await client.linesUntilClose()).toEqual([
      expect.stringMatching(/^ERROR idle-timeout line not completed within 150 ms/),
    ]);
  });

  it('never times out a silent connection when idleTimeoutMs is 0', async () => {
    const { port, server } = await start({ idleTimeoutMs: 0, strategy: 'bisect' });
    const client = await raw(port);
    client.send('NUM');
    await new Promise((r) => setTimeout(r, 300));
    client.send('BER\n');
    expect(await client.nextLine()).toMatch(/^ERROR no-game /);
    expect(server.connections).toBe(1);
  });

  it('rejects connections over maxConnections politely and keeps serving the others', async () => {
    const { server, port, events } = await start({ maxConnections: 2, strategy: 'bisect' });
    const first = await raw(port);
    const second = await raw(port);
    first.send('PARAMS 1 1\nNUMBER\n');
    expect(await first.nextLine()).toBe('1');
    const third = await raw(port);
    expect(await third.linesUntilClose()).toEqual([expect.stringMatching(/^ERROR server-busy /)]);
    expect(server.connections).toBe(2);
    second.send('PARAMS 2 2\nNUMBER\n');
    expect(await second.nextLine()).toBe('2');
    expect(events.some((e) => e.type === 'connection-rejected')).toBe(true);
  });

  // Filling loopback socket buffers takes a few MB of traffic: allow time on a loaded machine.
  it('pauses reading from a client that never reads, and loses nothing when it does', {
    timeout: 60_000,
  }, async () => {
    const paused = deferred();
    const { port, waitFor } = await start({
      strategy: 'bisect',
      onEvent: (event) => {
        if (event.type === 'backpressure' && event.paused) paused.resolve();
      },
    });
    const client = await raw(port);
    client.socket.pause();
    // Long replies (11 bytes each) fill the socket buffers with fewer commands.
    const reply = `${Math.floor((1 + 4e9) / 2)}\n`;
    client.send(`PARAMS 1 ${4e9}\n`);
    const chunk = 'NUMBER\n'.repeat(10_000);
    let sent = 0;
    let isPaused = false;
    void paused.promise.then(() => {
      isPaused = true;
    });
    while (!isPaused && sent < 2_000_000) {
      sent += 10_000;
      if (!client.socket.write(chunk)) {
        await Promise.race([once(client.socket, 'drain'), paused.promise]);
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    expect(isPaused).toBe(true);
    // Count the replies in bulk: every NUMBER is answered, in order, once reading resumes.
    client.socket.removeAllListeners('data');
    let received = '';
    let bytes = 0;
    const all = deferred();
    client.socket.on('data', (text: string) => {
      bytes += text.length;
      if (received.length < 64) received += text.slice(0, 64);
      if (bytes >= sent * reply.length) all.resolve();
    });
    client.socket.resume();
    await all.promise;
    expect(bytes).toBe(sent * reply.length);
    expect(received.startsWith(reply.repeat(3))).toBe(true);
    await waitFor((e) => e.type === 'backpressure' && !e.paused);
  });

  it('closes gracefully: idle connections at once, games in progress after their Correct', async () => {
    const { server, port, events } = await start({ strategy: 'bisect' });
    const idle = await raw(port);
    const playing = await raw(port);
    playing.send('PARAMS 1 3\nNUMBER\n');
    expect(await playing.nextLine()).toBe('2');
    const closing = server.close({ drainTimeoutMs: 20_000 });
    expect(await idle.linesUntilClose()).toEqual([]);
    // The game in progress goes on...
    playing.send('REPORT Unsure\nNUMBER\n');
    const next = await playing.nextLine();
    expect(next).toMatch(/^[13]$/);
    // ...and its connection closes after the Correct report.
    playing.send('REPORT Correct\n');
    expect(await playing.linesUntilClose()).toEqual([]);
    await closing;
    expect(server.connections).toBe(0);
    expect(events.at(-1)).toEqual({ type: 'closed' });
    await expect(LineSocket.open(port)).rejects.toThrow();
    // Idempotent.
    await server.close();
  });

  it('cuts games still running when the drain timeout passes', async () => {
    const { server, port, events } = await start({ strategy: 'bisect' });
    const playing = await raw(port);
    playing.send('PARAMS 1 3\nNUMBER\n');
    await playing.nextLine();
    await server.close({ drainTimeoutMs: 50 });
    await playing.closed;
    expect(events.some((e) => e.type === 'connection-close' && e.reason === 'server-close')).toBe(
      true,
    );
  });

  it('works with await using and validates its options', async () => {
    let port = 0;
    {
      await using server = createGuessServer();
      port = (await server.listen()).port;
      expect(server.address).toEqual({ host: '127.0.0.1', port });
    }
    await expect(LineSocket.open(port)).rejects.toThrow();
    expect(() => createGuessServer({ maxLineBytes: 0 })).toThrow(RangeError);
    expect(() => createGuessServer({ strategy: 'psychic' as 'random' })).toThrow(TypeError);
    expect(() => createGuessServer({ maxRange: 2 ** 60 })).toThrow(RangeError);
    await using first = createGuessServer();
    const taken = (await first.listen()).port;
    await using second = createGuessServer({ port: taken });
    await expect(second.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
