import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import {
  type HealthSnapshot,
  type OpsHttpOptions,
  type OpsHttpServer,
  startOpsHttp,
} from './http.js';

const logger = createLogger({ level: 'silent' });
const servers: OpsHttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(overrides: Partial<OpsHttpOptions> = {}): Promise<string> {
  const server = await startOpsHttp({
    host: '127.0.0.1',
    port: 0,
    logger,
    health: () => snapshot(),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }),
    ...overrides,
  });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

function snapshot(overrides: Partial<HealthSnapshot> = {}): HealthSnapshot {
  return { stopping: false, stalledMs: undefined, uptimeSeconds: 1.5, details: {}, ...overrides };
}

async function probe(base: string, path: string): Promise<[number, unknown]> {
  const res = await fetch(`${base}${path}`);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return [res.status, await res.json()];
}

describe('startOpsHttp', () => {
  it('answers /healthz 200 while ok and 503 while draining', async () => {
    let report = snapshot({ uptimeSeconds: 2 });
    const base = await start({ health: () => report });
    expect(await probe(base, '/healthz')).toEqual([200, { status: 'ok', uptimeSeconds: 2 }]);
    report = snapshot({ stopping: true, uptimeSeconds: 3 });
    expect(await probe(base, '/healthz?probe=1')).toEqual([
      503,
      { status: 'draining', uptimeSeconds: 3 },
    ]);
  });

  it('tells readiness from liveness: stopping is alive but not ready, stalled is neither', async () => {
    let report = snapshot({ details: { connections: 4 } });
    const base = await start({ health: () => report });
    expect(await probe(base, '/readyz')).toEqual([
      200,
      { status: 'ready', uptimeSeconds: 1.5, connections: 4 },
    ]);
    expect(await probe(base, '/livez')).toEqual([
      200,
      { status: 'alive', uptimeSeconds: 1.5, connections: 4 },
    ]);
    report = snapshot({ stopping: true });
    expect((await probe(base, '/readyz'))[0]).toBe(503);
    expect(await probe(base, '/readyz')).toEqual([503, { status: 'stopping', uptimeSeconds: 1.5 }]);
    expect((await probe(base, '/livez'))[0]).toBe(200);
    report = snapshot({ stalledMs: 6_000 });
    for (const path of ['/readyz', '/livez', '/healthz']) {
      expect(await probe(base, path)).toEqual([
        503,
        { status: 'stalled', uptimeSeconds: 1.5, stalledMs: 6_000 },
      ]);
    }
    // A cluster primary with no worker listening takes no traffic, but is alive.
    report = snapshot({ workers: 0, details: { workers: 0 } });
    expect(await probe(base, '/readyz')).toEqual([
      503,
      { status: 'no-workers', uptimeSeconds: 1.5, workers: 0 },
    ]);
    expect((await probe(base, '/livez'))[0]).toBe(200);
    expect((await probe(base, '/healthz'))[0]).toBe(200);
  });

  it('serves /metrics with the registry content type, and HEAD without a body', async () => {
    const base = await start();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await res.text()).toBe('up 1\n');
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('5');
    expect(await head.text()).toBe('');
  });

  it('hands other GETs to the static handler and answers 404 when it declines', async () => {
    const seen: string[] = [];
    const base = await start({
      staticFiles: async (req, res) => {
        seen.push(req.url ?? '');
        if (req.url !== '/') return false;
        res.end('viewer');
        return true;
      },
    });
    expect(await (await fetch(`${base}/`)).text()).toBe('viewer');
    const missing = await fetch(`${base}/nope.js`);
    expect(missing.status).toBe(404);
    expect(seen).toEqual(['/', '/nope.js']);
  });

  it('answers 404 without a static handler, 405 for other methods', async () => {
    const base = await start();
    expect((await fetch(`${base}/`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 500 when the metrics cannot be produced', async () => {
    const base = await start({
      metrics: async () => {
        throw new Error('registry broke');
      },
    });
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
  });

  it('close is idempotent and frees the port', async () => {
    const server = await startOpsHttp({
      host: '127.0.0.1',
      port: 0,
      logger,
      health: () => snapshot(),
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
    });
    await fetch(`http://127.0.0.1:${server.port}/healthz`); // leaves a keep-alive connection
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });
});
