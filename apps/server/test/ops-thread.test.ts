import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import type { OpsHttpServer } from '../src/ops/http.js';
import { SharedOpsState } from '../src/ops/state.js';
import { OpsListenError } from '../src/errors.js';
import { type OpsThreadOptions, startOpsThread } from '../src/ops/thread.js';

// The thread entry exists only in the build, as in production.
const workerUrl = new URL('../dist/ops-worker.cjs', import.meta.url);
const running: OpsHttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(state: SharedOpsState, overrides: Partial<OpsThreadOptions> = {}) {
  const server = await startOpsThread({
    host: '127.0.0.1',
    port: 0,
    webRoot: '/nonexistent-web-root',
    logLevel: 'silent',
    logger: createLogger({ level: 'silent' }),
    state,
    stallAfterMs: 5_000,
    startedAt: Date.now() - 2_000,
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'x_total 7\n' }),
    workerUrl,
    ...overrides,
  });
  running.push(server);
  return `http://127.0.0.1:${server.port}`;
}

describe('startOpsThread', () => {
  it('answers /healthz from shared state: ok, draining, stalled', async () => {
    const state = new SharedOpsState();
    const now = Date.now();
    state.beat(42, now);
    const base = await start(state);
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    const report = (await ok.json()) as {
      status: string;
      connections: number;
      uptimeSeconds: number;
    };
    expect(report).toMatchObject({ status: 'ok', connections: 42 });
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(2);

    state.beat(42, now - 60_000); // the serving loop has not turned for a minute
    const stalled = await fetch(`${base}/healthz`);
    expect(stalled.status).toBe(503);
    expect(await stalled.json()).toMatchObject({ status: 'stalled' });
    // A stalled loop is not alive (a supervisor should restart it) and not ready.
    expect((await fetch(`${base}/livez`)).status).toBe(503);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'stalled' });

    state.beat(3);
    state.stopping = true;
    const draining = await fetch(`${base}/healthz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toMatchObject({ status: 'draining', connections: 3 });
    // Shutting down: alive, but no longer ready for traffic.
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'stopping' });
  });

  it('fetches /metrics from the serving thread, and answers 500 when that fails', async () => {
    const state = new SharedOpsState();
    state.beat(0);
    let fail = false;
    const base = await start(state, {
      metrics: async () => {
        if (fail) throw new Error('registry broke');
        return { contentType: 'text/plain; version=0.0.4', body: 'x_total 7\n' };
      },
    });
    const page = await fetch(`${base}/metrics`);
    expect(page.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await page.text()).toBe('x_total 7\n');
    fail = true;
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  it('rejects with OpsListenError when the port is taken, and close is idempotent', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await start(new SharedOpsState(), { port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpsListenError);
      expect((error as OpsListenError).systemCode).toBe('EADDRINUSE');
    } finally {
      blocker.close();
    }
    const state = new SharedOpsState();
    const server = await startOpsThread({
      host: '127.0.0.1',
      port: 0,
      webRoot: '/nonexistent-web-root',
      logLevel: 'silent',
      logger: createLogger({ level: 'silent' }),
      state,
      stallAfterMs: 5_000,
      startedAt: Date.now(),
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
      workerUrl,
    });
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });
});
