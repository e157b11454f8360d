import { LineSocket } from '@fanout/test-kit';
import { spawnSync } from 'node:child_process';
import { connectGuessClient, formatClientResult, playChapterGames } from '@fanout/guess-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, httpGet, killAll, sample, spawnServer } from './helpers.js';

afterEach(killAll);

describe('fanout-server (one process)', () => {
  it('answers /healthz and serves every metric family on /metrics', async () => {
    const server = await spawnServer();
    const health = await httpGet(server.httpPort, '/healthz');
    expect(health.status).toBe(200);
    const report = JSON.parse(health.body) as Record<string, unknown>;
    expect(report.status).toBe('ok');
    expect(report.uptimeSeconds).toEqual(expect.any(Number));

    const metrics = await httpGet(server.httpPort, '/metrics');
    expect(metrics.status).toBe(200);
    for (const family of [
      'fanout_guess_connections_open',
      'fanout_guess_sessions_total',
      'fanout_guess_games_completed_total',
      'fanout_guess_guesses_per_game',
      'fanout_guess_errors_total',
      'fanout_guess_round_trip_seconds',
      'fanout_event_loop_delay_seconds',
      'fanout_event_loop_slow_callbacks_total',
      'nodejs_eventloop_lag_p99_seconds',
      'fanout_draining',
    ]) {
      expect(metrics.body).toContain(`# TYPE ${family} `);
    }
    expect(sample(metrics.body, 'fanout_draining')).toBe(0);
  });

  it('logs the ports it chose, both on 127.0.0.1', async () => {
    const server = await spawnServer();
    const listening = server.logs.find((l) => l.msg === 'listening');
    expect(listening).toMatchObject({ level: 'info', host: '127.0.0.1', role: 'single' });
    expect(server.guessPort).toBeGreaterThan(0);
    expect(server.httpPort).toBeGreaterThan(0);
    expect(server.guessPort).not.toBe(server.httpPort);
  });

  it("plays the seed's two sessions, logging the seed's Server lines at debug", async () => {
    const server = await spawnServer(['--log-level', 'debug']);
    const client = await connectGuessClient({ port: server.guessPort });
    const intro: string[] = [];
    const results = await playChapterGames(client, { onLine: (line) => intro.push(line) });
    await client.close();

    expect(intro).toEqual([
      "Guess a number between 1 and 5! Shhhhh, it's 3.",
      "Guess a number between 10 and 15! Shhhhh, it's 12.",
    ]);
    // (1..5, secret 3) always ends Correct within 5 guesses; each result is a real guess.
    expect(results.map((r) => r.decision)).toContain('Correct');
    const clientLines = results.map((r) => formatClientResult(r.number, r.decision));
    // Each client line has its twin on the server, in the same order.
    const serverLines = await server
      .waitForLog(() => server.logs.filter((l) => /^Server: /.test(l.msg)).length >= results.length)
      .then(() => server.logs.filter((l) => /^Server: /.test(l.msg)));
    expect(serverLines.map((l) => l.msg.replace('Server', 'Client'))).toEqual(clientLines);
    expect(serverLines.every((l) => l.level === 'debug')).toBe(true);

    const correct = results.filter((r) => r.decision === 'Correct').length;
    const page = (await httpGet(server.httpPort, '/metrics')).body;
    expect(sample(page, 'fanout_guess_games_completed_total')).toBe(correct);
    expect(sample(page, 'fanout_guess_sessions_total')).toBe(1);
    expect(sample(page, 'fanout_guess_guesses_per_game_count')).toBe(correct);
    expect(sample(page, 'fanout_guess_round_trip_seconds_count')).toBe(results.length);
  });

  it('refuses connections past --max-connections and counts them', async () => {
    const server = await spawnServer(['--max-connections', '2']);
    const first = await LineSocket.open(server.guessPort);
    const second = await LineSocket.open(server.guessPort);
    // Both accepted ones work.
    for (const socket of [first, second]) {
      socket.send('PARAMS 1 5\nNUMBER\n');
      expect(Number(await socket.nextLine())).toBeGreaterThanOrEqual(1);
    }
    const third = await LineSocket.open(server.guessPort);
    expect(await third.nextLine()).toMatch(/^ERROR server-busy/);
    await third.closed;
    const page = (await httpGet(server.httpPort, '/metrics')).body;
    expect(sample(page, 'fanout_guess_errors_total', 'code="server-busy"')).toBe(1);
    expect(sample(page, 'fanout_guess_connections_open')).toBe(2);
    void first.close();
    void second.close();
  });

  it('closes idle connections and over-long lines, while a fair client keeps playing', async () => {
    const server = await spawnServer(['--idle-timeout', '1s', '--max-line-bytes', '32']);
    const idle = await LineSocket.open(server.guessPort);
    const flooder = await LineSocket.open(server.guessPort);
    flooder.send('x'.repeat(200));
    expect(await flooder.nextLine()).toMatch(/^ERROR line-too-long/);
    await flooder.closed;

    // A fair client that talks is served meanwhile (one exchange, so no idle gap of its own).
    const fair = await LineSocket.open(server.guessPort);
    fair.send('PARAMS 4 4\nNUMBER\nREPORT Correct\nNUMBER\n');
    expect(await fair.nextLine()).toBe('4');
    expect(await fair.nextLine()).toBe('4');
    await idle.closed; // the silent one is closed after a second
    void fair.close();

    const page = (await httpGet(server.httpPort, '/metrics')).body;
    expect(sample(page, 'fanout_guess_errors_total', 'code="line-too-long"')).toBe(1);
    expect(sample(page, 'fanout_guess_errors_total', 'code="idle-timeout"')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(page, 'fanout_guess_games_completed_total')).toBe(1);
    for (const code of ['line-too-long', 'idle-timeout']) {
      const line = await server.waitForLog((l) => l.msg === 'connection error' && l.code === code);
      expect(line.level).toBe('warn');
    }
  });

  it('cuts a client flooding garbage and one that never reads, while others keep playing', async () => {
    const server = await spawnServer(['--strategy', 'bisect']);
    const garbage = await LineSocket.open(server.guessPort);
    garbage.send('HELLO\n'.repeat(5_000)); // bad commands, far past the error budget
    // Floods NUMBER without ever reading a reply: backpressure, then the idle limit or an
    // error, but never unbounded memory or a stalled loop.
    const hog = await LineSocket.open(server.guessPort);
    hog.send('PARAMS 1 1000000\n');
    hog.send('NUMBER\n'.repeat(20_000));

    for (let game = 0; game < 20; game++) {
      const fair = await LineSocket.open(server.guessPort);
      fair.send('PARAMS 5 5\nNUMBER\n');
      expect(await fair.nextLine()).toBe('5');
      fair.send('REPORT Correct\nNUMBER\n');
      expect(await fair.nextLine()).toBe('5'); // the report was handled: the game is won
      void fair.close();
    }
    await garbage.closed;
    void hog.close();

    const page = (await httpGet(server.httpPort, '/metrics')).body;
    expect(sample(page, 'fanout_guess_errors_total', 'code="too-many-errors"')).toBe(1);
    expect(sample(page, 'fanout_guess_games_completed_total')).toBe(20);
    expect((await httpGet(server.httpPort, '/healthz')).status).toBe(200);
  });

  it('prints --help and --version and exits 0 without binding anything', () => {
    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fanout-server \[options\]/);
    for (const flag of [
      '--guess-port',
      '--http-port',
      '--workers',
      '--idle-timeout',
      'LOG_LEVEL',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const version = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with a one-line message for a bad setting', () => {
    const bad = spawnSync(process.execPath, [BIN, '--workers', 'many'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('fanout-server: --workers must be a whole number >= 1, got "many"\n');
    const env = spawnSync(process.execPath, [BIN], {
      encoding: 'utf8',
      env: { ...process.env, FANOUT_GUESS_PORT: '99999' },
    });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/^fanout-server: FANOUT_GUESS_PORT must be a port number/);
    expect(bad.stdout + env.stdout).toBe('');
  });

  it('exits 1 with a fatal log line when the port is taken', async () => {
    const first = await spawnServer();
    const second = spawnSync(
      process.execPath,
      [BIN, '--guess-port', String(first.guessPort), '--http-port', '0'],
      { encoding: 'utf8' },
    );
    expect(second.status).toBe(1);
    const fatal = second.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .find((l) => l.level === 'fatal');
    expect(fatal?.msg).toBe('could not start');
  });
});
