/**
 * A real `redis-server` for the tests (never a mock) (Debian's, /usr/bin/redis-server; see
 * scripts/ensure-redis.sh): its own free port on 127.0.0.1, its own temporary folder,
 * no persistence. `stop()` ends it politely, `kill()` with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tempDir } from './temp-dir.js';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** SIGTERM and wait for the exit. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
}

const REDIS = process.env.FANOUT_REDIS_SERVER ?? 'redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startOnce(port: number, dir: string): Promise<ChildProcess | undefined> {
  const child = spawn(
    REDIS,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(true);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const ok = await ready;
  clearTimeout(timer);
  if (ok) return child;
  if (output.includes('Address already in use')) return undefined;
  throw new Error(`redis-server did not start: ${output.trim() || 'no output'}`);
}

/** Starts a fresh Redis (a few attempts, should another process take the free port first). */
export async function startRedis(): Promise<RedisServer> {
  const temp = await tempDir('redis');
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = await startOnce(port, temp.dir);
    if (child === undefined) continue;
    const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit').then(() => {});
    const end = async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      await temp.cleanup();
    };
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      process: child,
      stop: () => end('SIGTERM'),
      kill: () => end('SIGKILL'),
    };
  }
  await temp.cleanup();
  throw new Error('redis-server: no free port after 5 attempts');
}
