import { LineSocket } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { httpGet, killAll, spawnServer } from './helpers.js';

afterEach(killAll);

/** Polls a probe until it answers `status` (the signal is handled asynchronously). */
async function waitForStatus(port: number, path: string, status: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await httpGet(port, path);
    if (res.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never answered ${status}`);
}

function waitForHealth(port: number, status: number): Promise<string> {
  return waitForStatus(port, '/healthz', status);
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

  it('with --shutdown-delay: /readyz turns 503 at once, new games are still served, then it drains', async () => {
    const server = await spawnServer(['--shutdown-delay', '4s', '--drain-timeout', '5s']);
    expect((await httpGet(server.httpPort, '/readyz')).status).toBe(200);
    server.child.kill('SIGTERM');
    const body = await waitForStatus(server.httpPort, '/readyz', 503);
    expect(JSON.parse(body)).toMatchObject({ status: 'stopping' });
    // Still alive, and /healthz says draining as it always did.
    expect((await httpGet(server.httpPort, '/livez')).status).toBe(200);
    expect((await httpGet(server.httpPort, '/healthz')).status).toBe(503);
    // A client the load balancer sent before it noticed is served as usual.
    const late = await LineSocket.open(server.guessPort);
    late.send('PARAMS 4 4\nNUMBER\nREPORT Correct\nNUMBER\n');
    expect(await late.nextLine()).toBe('4');
    expect(await late.nextLine()).toBe('4');
    void late.close();
    expect(await server.exited).toBe(0);
    const messages = server.logs.map((l) => l.msg);
    expect(messages).toContain('shutting down: /readyz answers 503, still serving');
    expect(messages.at(-1)).toBe('stopped');
  }, 30_000);
});
