import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Content types of the files a Vite build emits (anything else is served as bytes). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.rle': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Vite puts content-hashed files here, so they never change under the same name. */
const IMMUTABLE_PREFIX = '/assets/';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) must be revalidated so a deploy shows at once. */
const REVALIDATE_CACHE = 'no-cache';
/** The page makes no outside requests; the policy makes the browser enforce that. */
const HTML_CSP =
  "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'";

/**
 * A request handler for a folder of built static files (the Life viewer in `dist/web`).
 * Resolves `true` once it has answered the request, `false` when it has no file for it
 * (other method than GET/HEAD, unknown path, a path escaping the folder, or no folder),
 * so the caller can go on to its other routes or answer 404.
 */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Serves the built Life viewer (or any Vite output folder) over node:http.
 *
 * - `/` (and any path ending in `/`) serves that folder's `index.html`.
 * - Files under `/assets/` (content-hashed by Vite) are cached for a year as `immutable`;
 *   every other file is sent with `Cache-Control: no-cache`, so `index.html` is always
 *   revalidated.
 * - Weak ETags from size and modification time; `If-None-Match` answers `304`.
 * - `HEAD` answers the same headers without a body.
 * - Paths are decoded once and must stay inside `rootDir` after resolving `..` and
 *   symbolic links; anything else resolves `false` (never a file outside the folder).
 *
 * @param rootDir the folder to serve, e.g. `new URL('./web', import.meta.url)` as a path.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createStaticHandler } from './static-files.js';
 *
 * const serveViewer = createStaticHandler(fileURLToPath(new URL('./web', import.meta.url)));
 * createServer(async (req, res) => {
 *   if (await serveViewer(req, res)) return;
 *   res.writeHead(404).end('not found\n');
 * }).listen(8080);
 * ```
 */
export function createStaticHandler(rootDir: string): StaticHandler {
  const root = resolve(rootDir);
  // Resolved once: the real path of the folder, for the symlink check below.
  let realRoot: Promise<string | undefined> | undefined;
  const getRealRoot = (): Promise<string | undefined> => {
    realRoot ??= realpath(root).catch(() => {
      realRoot = undefined; // the viewer may be built later: try again next time
      return undefined;
    });
    return realRoot;
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const urlPath = requestPath(req.url);
    if (urlPath === undefined) return false;

    const base = await getRealRoot();
    if (base === undefined) return false;
    const file = await findFile(root, base, urlPath);
    if (file === undefined) return false;

    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', new Date(file.mtimeMs).toUTCString());
    res.setHeader(
      'Cache-Control',
      urlPath.startsWith(IMMUTABLE_PREFIX) ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (type.startsWith('text/html')) res.setHeader('Content-Security-Policy', HTML_CSP);

    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', file.size);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    try {
      await pipeline(createReadStream(file.path), res);
    } catch {
      // The client went away or the file vanished mid-send: the response is already
      // committed, so the only honest thing left is to cut the connection.
      res.destroy();
    }
    return true;
  };
}

/** The decoded URL path, or undefined when it is malformed or could smuggle a byte. */
function requestPath(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith('/')) return undefined;
  const end = url.search(/[?#]/);
  const raw = end === -1 ? url : url.slice(0, end);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  return decoded.endsWith('/') ? `${decoded}index.html` : decoded;
}

interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The regular file for `urlPath` inside the folder, following no path out of it. */
async function findFile(
  root: string,
  realRoot: string,
  urlPath: string,
): Promise<FoundFile | undefined> {
  const candidate = resolve(join(root, urlPath));
  if (!isInside(root, candidate)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!isInside(realRoot, real)) return undefined;
    const info = await stat(real);
    if (!info.isFile()) return undefined;
    return { path: real, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return undefined; // missing or unreadable: not ours to answer
  }
}

function isInside(dir: string, path: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  // If-None-Match uses weak comparison: W/ prefixes do not matter.
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}
