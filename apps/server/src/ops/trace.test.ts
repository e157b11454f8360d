import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '@fanout/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { OPS_TRACE_ENV, traceOpsServer } from './trace.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))),
  );
});

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('ok\n'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('traceOpsServer', () => {
  it('attaches nothing without FANOUT_OPS_TRACE', async () => {
    const { server } = await listening();
    const before = [server.listenerCount('connection'), server.listenerCount('request')];
    expect(traceOpsServer(server, {})).toBeUndefined();
    expect(traceOpsServer(server, { [OPS_TRACE_ENV]: '' })).toBeUndefined();
    expect([server.listenerCount('connection'), server.listenerCount('request')]).toEqual(before);
  });

  it("writes each request's accept, parse and finish stamps, in order, under its probe id", async () => {
    const dir = await tempDir('ops-trace');
    const file = join(dir.dir, 'trace.jsonl');
    try {
      const { server, port } = await listening();
      const stop = traceOpsServer(server, { [OPS_TRACE_ENV]: file });
      expect(stop).toBeTypeOf('function');
      for (const id of ['a-1', 'a-2']) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
          headers: { 'x-probe-id': id, connection: 'close' },
        });
        expect(await res.text()).toBe('ok\n');
      }
      stop?.();
      const requests = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.kind === 'request');
      expect(requests.map((r) => [r.probe, r.path])).toEqual([
        ['a-1', '/healthz'],
        ['a-2', '/healthz'],
      ]);
      for (const r of requests) {
        const [accept, request, finish] = [r.acceptAt, r.requestAt, r.finishAt] as number[];
        expect(accept).toBeLessThanOrEqual(request!);
        expect(request).toBeLessThanOrEqual(finish!);
      }
    } finally {
      await dir.cleanup();
    }
  });

  it('ends quietly when its file cannot be written', async () => {
    const { server, port } = await listening();
    const stop = traceOpsServer(server, { [OPS_TRACE_ENV]: '/nonexistent-fanout-dir/trace.jsonl' });
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      headers: { connection: 'close' },
    });
    expect(await res.text()).toBe('ok\n');
    expect(() => stop?.()).not.toThrow();
    expect(() => stop?.()).not.toThrow();
  });
});
