import { LineSocket } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { httpGet, killAll, spawnServer } from './helpers.js';

afterEach(killAll);

/** Polls /healthz until it answers `status` (the signal is handled asynchronously). */
async function waitForHealth(port: number, status: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await httpGet(port, '/healthz');
    if (res.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`/healthz never answered ${status}`);
}

describe('graceful shutdown', () => {
  it('on SIGTERM: /healthz 503, no new connections, a game in progress finishes, exit 0', async () => {
    const server = await spawnServer(['--drain-timeout', '20s']);
    const player = await LineSocket.open(server.guessPort);
    player.send('PARAMS 1 5\nNUMBER\n');
    let guess = Number(await player.nextLine());

    server.child.kill('SIGTERM');
    const body = await waitForHealth(server.httpPort, 503);
    expect(JSON.parse(body)).toMatchObject({ status: 'draining' });

    // New players are turned away while the old one plays on.
    const late = await LineSocket.open(server.guessPort).catch(() => undefined);
    if (late !== undefined) await late.closed;

    while (guess !== 3) {
      player.send('REPORT Unsure\nNUMBER\n');
      guess = Number(await player.nextLine());
    }
    player.send('REPORT Correct\n');
    // The game is over: the server may now close the connection and exit.
    await player.closed;
    expect(await server.exited).toBe(0);
    const messages = server.logs.map((l) => l.msg);
    expect(messages).toContain('shutting down: draining');
    expect(messages.at(-1)).toBe('stopped');
  });

  it('closes games still running at the drain timeout, then exits 0', async () => {
    const server = await spawnServer(['--drain-timeout', '300ms']);
    const stuck = await LineSocket.open(server.guessPort);
    stuck.send('PARAMS 1 100\nNUMBER\n');
    await stuck.nextLine();
    server.child.kill('SIGINT');
    await stuck.closed; // cut at the drain timeout
    expect(await server.exited).toBe(0);
    expect(server.logs.at(-1)?.msg).toBe('stopped');
  });
});
