import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../src/static-files.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path exactly as given (node:http does not normalise `..` away, unlike fetch). */
function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('createStaticHandler', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanout-static-'));
    const web = join(dir, 'web');
    await mkdir(join(web, 'assets'), { recursive: true });
    await mkdir(join(web, 'docs'), { recursive: true });
    await writeFile(join(web, 'index.html'), '<!doctype html><title>viewer</title>');
    await writeFile(join(web, 'assets', 'index-AbC123.js'), 'console.log(1);');
    await writeFile(join(web, 'assets', 'index-AbC123.css'), 'body{}');
    await writeFile(join(web, 'docs', 'index.html'), '<p>docs</p>');
    await writeFile(join(web, 'blob.bin'), 'xyz');
    await writeFile(join(dir, 'secret.txt'), 'top secret');
    await symlink(join(dir, 'secret.txt'), join(web, 'link.txt'));
    // A fixed mtime makes the ETag predictable across the requests below.
    await utimes(join(web, 'index.html'), 1_700_000_000, 1_700_000_000);

    const handler = createStaticHandler(web);
    server = createServer((req, res) => {
      handler(req, res).then(
        (served) => {
          if (!served) res.writeHead(404).end('fallthrough');
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache, an ETag and a content security policy', async () => {
    const reply = await send(port, '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('<!doctype html><title>viewer</title>');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
  });

  it('serves hashed assets as immutable with the right content types', async () => {
    const js = await send(port, '/assets/index-AbC123.js?v=1');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log(1);');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await send(port, '/assets/index-AbC123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const bin = await send(port, '/blob.bin');
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect(bin.headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 to a matching If-None-Match (weak or strong, in a list, or *)', async () => {
    const first = await send(port, '/index.html');
    const etag = String(first.headers.etag);
    for (const header of [etag, etag.slice(2), `"nope", ${etag}`, '*']) {
      const again = await send(port, '/', { headers: { 'If-None-Match': header } });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    }
    const stale = await send(port, '/', { headers: { 'If-None-Match': 'W/"0-0"' } });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const reply = await send(port, '/assets/index-AbC123.js', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    expect(reply.headers['content-length']).toBe('15');
  });

  it('serves index.html of a sub-folder for a path ending in /', async () => {
    const reply = await send(port, '/docs/');
    expect(reply.body).toBe('<p>docs</p>');
  });

  it.each([
    ['a missing file', '/nope.js'],
    ['a folder without slash', '/docs'],
    ['a plain ../ escape', '/../secret.txt'],
    ['an encoded ../ escape', '/%2e%2e/secret.txt'],
    ['an encoded slash escape', '/assets%2f..%2f..%2fsecret.txt'],
    ['a backslash escape', '/..%5csecret.txt'],
    ['a NUL byte', '/index.html%00.js'],
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['a symlink out of the folder', '/link.txt'],
  ])('falls through on %s', async (_name, path) => {
    const reply = await send(port, path);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('fallthrough');
  });

  it('falls through for methods other than GET and HEAD', async () => {
    const reply = await send(port, '/', { method: 'POST' });
    expect(reply.status).toBe(404);
  });

  it('falls through while the folder does not exist, and serves it once it does', async () => {
    const later = join(dir, 'later');
    const handler = createStaticHandler(later);
    const local = createServer((req, res) => {
      void handler(req, res).then((served) => {
        if (!served) res.writeHead(404).end('fallthrough');
      });
    });
    await new Promise<void>((done) => local.listen(0, '127.0.0.1', done));
    try {
      const localPort = (local.address() as AddressInfo).port;
      expect((await send(localPort, '/')).status).toBe(404);
      await mkdir(later);
      await writeFile(join(later, 'index.html'), 'built');
      expect((await send(localPort, '/')).body).toBe('built');
    } finally {
      await new Promise<void>((done) => local.close(() => done()));
    }
  });
});
