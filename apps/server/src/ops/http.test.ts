import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import {
  type HealthReport,
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
    health: () => ({ status: 'ok', uptimeSeconds: 1.5 }),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }),
    ...overrides,
  });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

describe('startOpsHttp', () => {
  it('answers /healthz 200 while ok and 503 while draining', async () => {
    let report: HealthReport = { status: 'ok', uptimeSeconds: 2 };
    const base = await start({ health: () => report });
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', uptimeSeconds: 2 });
    report = { status: 'draining', uptimeSeconds: 3 };
    const draining = await fetch(`${base}/healthz?probe=1`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'draining', uptimeSeconds: 3 });
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
      health: () => ({ status: 'ok', uptimeSeconds: 0 }),
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
    });
    await fetch(`http://127.0.0.1:${server.port}/healthz`); // leaves a keep-alive connection
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });
});
