import { createConnection } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ServerConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

async function start(overrides: Partial<ServerConfig> = {}) {
  const { lines, logger } = captureLogger();
  const config: ServerConfig = { ...DEFAULT_CONFIG, guessPort: 0, httpPort: 0, ...overrides };
  const server = await startServer(config, {
    logger,
    webRoot: '/nonexistent-web-root',
    opsInProcess: true,
  });
  running.push(server);
  return { server, lines };
}

/** Sends `lines` on a fresh connection and collects `replies` reply lines. */
async function converse(port: number, script: string, replies: number): Promise<string[]> {
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.setEncoding('utf8');
  let text = '';
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n').filter(Boolean);
      if (lines.length >= replies) {
        socket.destroy();
        resolve(lines.slice(0, replies));
      }
    });
    socket.write(script);
  });
}

describe('startServer (in process)', () => {
  it('serves health, metrics and a 404 where the viewer is not built', async () => {
    const { server } = await start();
    const health = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', connections: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
    expect(metrics).toContain('fanout_guess_games_completed_total 0');
    expect((await fetch(`http://127.0.0.1:${server.httpPort}/`)).status).toBe(404);
  });

  it('turns games into metrics and Server lines at debug level', async () => {
    const { server, lines } = await start({ strategy: 'bisect' });
    // bisect on 1..1 guesses 1 at once.
    const replies = await converse(
      server.guessPort,
      'PARAMS 1 1\nNUMBER\nREPORT Correct\nNUMBER\n',
      2,
    );
    expect(replies).toEqual(['1', '1']);
    const metrics = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
    expect(metrics).toContain('fanout_guess_games_completed_total 1');
    expect(metrics).toContain('fanout_guess_guesses_per_game_sum 1');
    expect(metrics).toContain('fanout_guess_round_trip_seconds_count 1');
    const report = lines.find((l) => l.msg === 'Server: 1 is Correct');
    expect(report).toMatchObject({ level: 'debug', number: 1, decision: 'Correct' });
  });

  it('close drains: health turns 503 first, and close is idempotent', async () => {
    const { server } = await start({ drainTimeoutMs: 5_000 });
    const socket = createConnection({ host: '127.0.0.1', port: server.guessPort });
    socket.setEncoding('utf8');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('PARAMS 1 10\nNUMBER\n');
    await new Promise((resolve) => socket.once('data', resolve));

    const closing = server.close();
    expect(server.close()).toBe(closing);
    const health = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining' });
    const metrics = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
    expect(metrics).toContain('fanout_draining 1');

    socket.write('REPORT Correct\n'); // ends the game: the server closes the connection
    await new Promise((resolve) => socket.once('close', resolve));
    await closing;
    await expect(fetch(`http://127.0.0.1:${server.httpPort}/healthz`)).rejects.toThrow();
  });
});
