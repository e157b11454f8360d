/**
 * A real `redis-server` for the tests (never a mock) (Debian's, /usr/bin/redis-server; see
 * scripts/ensure-redis.sh): its own free port on 127.0.0.1, its own temporary folder,
 * no persistence unless asked (`appendOnly`). `stop()` ends it politely, `kill()` with
 * SIGKILL, `restart()` brings it back on the same port and folder (with its data when it
 * was started with `appendOnly`).
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
  /**
   * Ends the server with `signal` (default SIGKILL), waits `downMs` (default 0) and starts
   * it again on the same port and folder. `process` is then the new one.
   */
  restart(options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
}

/** Options of `startRedis`. */
export interface RedisServerOptions {
  /**
   * Persist every write to an append-only file before answering (`appendfsync always`),
   * so that a restart, even after SIGKILL, loses nothing. Default false.
   */
  readonly appendOnly?: boolean;
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

async function startOnce(
  port: number,
  dir: string,
  appendOnly: boolean,
): Promise<ChildProcess | undefined> {
  const persistence = appendOnly
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child = spawn(
    REDIS,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence],
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
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const appendOnly = options.appendOnly ?? false;
  const temp = await tempDir('redis');
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const first = await startOnce(port, temp.dir, appendOnly);
    if (first === undefined) continue;
    let child = first;
    const exitOf = (proc: ChildProcess): Promise<void> =>
      proc.exitCode !== null || proc.signalCode !== null
        ? Promise.resolve()
        : once(proc, 'exit').then(() => {});
    const halt = async (signal: NodeJS.Signals) => {
      const exited = exitOf(child);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    };
    let ended = false;
    const end = async (signal: NodeJS.Signals) => {
      ended = true;
      await halt(signal);
      await temp.cleanup();
    };
    const server: RedisServer = {
      port,
      url: `redis://127.0.0.1:${port}`,
      get process() {
        return child;
      },
      stop: () => end('SIGTERM'),
      kill: () => end('SIGKILL'),
      async restart({ signal = 'SIGKILL', downMs = 0 } = {}) {
        if (ended) throw new Error('redis-server: restart after stop() or kill()');
        await halt(signal);
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        // The port was ours a moment ago; another process rarely takes it in between.
        const next = await startOnce(port, temp.dir, appendOnly);
        if (next === undefined) throw new Error(`redis-server: port ${port} taken during restart`);
        child = next;
      },
    };
    return server;
  }
  await temp.cleanup();
  throw new Error('redis-server: no free port after 5 attempts');
}
