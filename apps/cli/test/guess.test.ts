import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type LiveCli, killAll, parseOneJson, runCli, startCli } from './helpers.js';

afterAll(killAll);

/** Starts `fanout guess serve --port 0 ...` and returns it with the port it listens on. */
async function serve(...flags: string[]): Promise<{ server: LiveCli; port: string }> {
  const server = startCli(['guess', 'serve', '--port', '0', ...flags]);
  const match = await server.waitFor(/listening on 127\.0\.0\.1:(\d+)\n/);
  return { server, port: match[1]! };
}

/** A port nothing listens on (bound, read, released). */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return String(port);
}

const CLIENT_LINE = /^Client: \d+ is (Warmer|Colder|Unsure|Correct)$/;

describe('fanout guess', () => {
  it('serve and play talk to each other and print the seed transcript', async () => {
    const { server, port } = await serve();
    const result = await runCli(['guess', 'play', '--port', port]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      "Guess a number between 1 and 5! Shhhhh, it's 3.",
      "Guess a number between 10 and 15! Shhhhh, it's 12.",
    ]);
    const clientLines = lines.slice(2);
    for (const line of clientLines) expect(line).toMatch(CLIENT_LINE);
    expect(clientLines).toContain('Client: 3 is Correct');
    // Every client line has its server twin, in the same order.
    const expectedServer = clientLines.map((line) => line.replace('Client:', 'Server:'));
    await server.waitFor(new RegExp(`${expectedServer.at(-1)}\\n`));
    expect(server.stdout().trimEnd().split('\n')).toEqual(expectedServer);
    server.child.kill('SIGTERM');
    expect((await server.exited()).code).toBe(143);
  });

  it('plays one custom session with --json against a bisecting server', async () => {
    const { server, port } = await serve('--strategy', 'bisect', '--quiet');
    const result = await runCli([
      'guess',
      'play',
      '--port',
      port,
      '--lower',
      '1',
      '--upper',
      '100',
      '--secret',
      '37',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json.sessions).toEqual([{ lower: 1, upper: 100, secret: 37 }]);
    const results = json.results as { number: number; decision: string }[];
    expect(results.at(-1)).toEqual({ number: 37, decision: 'Correct' });
    for (const { number } of results) expect(number >= 1 && number <= 100).toBe(true);
    expect(new Set(results.map((r) => r.number)).size).toBe(results.length);
    expect(server.stdout()).toBe('');
    server.child.kill('SIGTERM');
    await server.exited();
  });

  it('load prints the CLI.md fields with --json', async () => {
    const { server, port } = await serve('--quiet', '--strategy', 'bisect');
    const result = await runCli([
      'guess',
      'load',
      '--port',
      port,
      '--sessions',
      '4',
      '--games',
      '5',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({ sessions: 4, failedSessions: 0, games: 20 });
    for (const field of [
      'seconds',
      'gamesPerSecond',
      'roundTripsPerSecond',
      'meanGuesses',
      'p99RoundTripMs',
    ]) {
      expect(typeof json[field]).toBe('number');
    }
    server.child.kill('SIGINT');
    expect((await server.exited()).code).toBe(130);
  });

  it('load --rate --duration runs an open loop and prints its latencies with --json', async () => {
    const { server, port } = await serve('--quiet', '--strategy', 'bisect');
    const result = await runCli([
      'guess',
      'load',
      '--port',
      port,
      '--rate',
      '40',
      '--duration',
      '500ms',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = parseOneJson(result.stdout);
    expect(json).toMatchObject({
      mode: 'open',
      rate: 40,
      durationSeconds: 0.5,
      scheduledGames: 20,
      games: 20,
      failedGames: 0,
      errors: {},
    });
    for (const field of [
      'seconds',
      'gamesPerSecond',
      'meanGuesses',
      'p50FirstReplyMs',
      'p99FirstReplyMs',
      'maxFirstReplyMs',
      'p99GameMs',
      'p99RoundTripMs',
      'maxStartLagMs',
    ]) {
      expect(typeof json[field], field).toBe('number');
    }
    expect(json.p99FirstReplyMs as number).toBeGreaterThanOrEqual(json.p50FirstReplyMs as number);
    const table = await runCli([
      'guess',
      'load',
      '--port',
      port,
      '--rate',
      '20',
      '--duration',
      '0.25',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^rate\s+20 games\/s for 0.25 s \(open loop\)$/m);
    expect(table.stdout).toMatch(/^games\s+5 of 5 \(0 failed\)$/m);
    server.child.kill('SIGTERM');
    await server.exited();
  });

  it('load prints a table without --json', async () => {
    const { server, port } = await serve('--quiet');
    const result = await runCli([
      'guess',
      'load',
      '--port',
      port,
      '--sessions',
      '2',
      '--games',
      '2',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sessions\s+2 \(0 failed\)$/m);
    expect(result.stdout).toMatch(/^games\s+4$/m);
    server.child.kill('SIGTERM');
    await server.exited();
  });

  it('serve stops within a second of SIGTERM and exits 143', async () => {
    const { server, port } = await serve();
    // An idle client stays connected: shutdown must not wait for it.
    const { connect } = await import('node:net');
    const idle = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const sent = performance.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited();
    const elapsed = performance.now() - sent;
    idle.destroy();
    expect(exit.code).toBe(143);
    expect(elapsed).toBeLessThan(1000);
  });

  it('play stops on SIGINT while a silent server never answers, exit 130', async () => {
    const silent = createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const connected = new Promise((resolve) => silent.once('connection', resolve));
    const play = startCli(['guess', 'play', '--port', String(port)]);
    await connected;
    await play.waitFor(/Guess a number between 1 and 5/);
    play.child.kill('SIGINT');
    const exit = await play.exited(5000);
    silent.close();
    silent.unref();
    expect(exit.code).toBe(130);
  });

  it('exits 2 when the port is in use', async () => {
    const { server, port } = await serve();
    const result = await runCli(['guess', 'serve', '--port', port]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: cannot listen on 127.0.0.1:${port}: address already in use\n`,
    );
    server.child.kill('SIGTERM');
    await server.exited();
  });

  it('play exits 1 with one line when no server listens', async () => {
    const port = await closedPort();
    const result = await runCli(['guess', 'play', '--port', port]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe(
      `error: cannot connect to 127.0.0.1:${port}: connection refused (is a server running?)\n`,
    );
  });

  it.concurrent.each([
    [['serve', '--port', '70000'], /option '--port <port>' argument '70000' is invalid/],
    [
      ['serve', '--strategy', 'psychic'],
      /argument 'psychic' is invalid. Allowed choices are random, bisect/,
    ],
    [
      ['play', '--lower', '1', '--upper', '5'],
      /a custom session needs all of --lower, --upper and --secret/,
    ],
    [
      ['play', '--lower', '5', '--upper', '1', '--secret', '3'],
      /--lower 5 is greater than --upper 1/,
    ],
    [['play', '--lower', '1', '--upper', '5', '--secret', '9'], /--secret 9 is outside 1..5/],
    [['load', '--sessions', '2', '--games', '2'], /required option '--port <port>' not specified/],
    [
      ['load', '--port', '1234', '--sessions', '0', '--games', '2'],
      /option '--sessions <n>' argument '0' is invalid/,
    ],
    [
      ['load', '--port', '1234', '--sessions', '1', '--games', '1', '--lower', '9', '--upper', '2'],
      /--lower 9 is greater than --upper 2/,
    ],
    [['load', '--port', '1234', '--games', '2'], /required option '--sessions <n>' not specified/],
    [['load', '--port', '1234', '--rate', '10'], /--rate needs --duration/],
    [['load', '--port', '1234', '--duration', '5s'], /--duration needs --rate/],
    [['load', '--port', '1234', '--rate', '0', '--duration', '5s'], /argument '0' is invalid/],
    [['load', '--port', '1234', '--rate', '5', '--duration', 'soon'], /argument 'soon' is invalid/],
    [
      ['load', '--port', '1234', '--rate', '5', '--duration', '1s', '--sessions', '3'],
      /option '--rate <n>' cannot be used with option '--sessions <n>'/,
    ],
    [
      ['load', '--port', '1234', '--sessions', '1', '--games', '1', '--max-in-flight', '3'],
      /--max-in-flight only applies with --rate/,
    ],
    [['shout'], /unknown command 'shout'/],
  ])('exits 2 for guess %j', async (args, message) => {
    const result = await runCli(['guess', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
