import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin, spawned directly with node (pnpm would not forward signals). */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** One parsed JSON log line. */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A spawned `fanout-server` with its parsed stdout logs. */
export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  readonly stderr: () => string;
  readonly guessPort: number;
  readonly httpPort: number;
  /** Resolves with the first log line (past or future) matching `test`. */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends SIGKILL if still running, and waits for the exit. */
  kill(): Promise<void>;
}

const running = new Set<SpawnedServer>();

/** Kills every server a test left running; call from `afterEach`. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.kill()));
}

/**
 * Spawns `node dist/bin.js` with the given flags (ports default to 0) and waits for its
 * `listening` log line; `openFileLimit` runs it under `ulimit -n`.
 */
export async function spawnServer(
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
  options: { readonly openFileLimit?: number } = {},
): Promise<SpawnedServer> {
  const argv = [BIN, '--guess-port', '0', '--http-port', '0', ...args];
  // With a lower open-file limit: a shell sets it, then becomes node (same pid, signals reach it).
  const child =
    options.openFileLimit === undefined
      ? spawn(process.execPath, argv, {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(
          'sh',
          ['-c', `ulimit -n ${options.openFileLimit} && exec "$0" "$@"`, process.execPath, ...argv],
          { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
  const logs: LogLine[] = [];
  const waiters = new Set<{ test: (line: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  let stderr = '';
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      for (const waiter of waiters) {
        if (waiter.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  const waitForLog = (test: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> => {
    const found = logs.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(waiter);
      exited.then((code) => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before the log line; stderr: ${stderr}`));
      });
    });
  };

  const server: SpawnedServer = {
    child,
    logs,
    stderr: () => stderr,
    guessPort: 0,
    httpPort: 0,
    waitForLog,
    exited,
    async kill() {
      running.delete(server);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  running.add(server);
  const listening = await waitForLog((line) => line.msg === 'listening', 20_000);
  return Object.assign(server, {
    guessPort: listening.guessPort as number,
    httpPort: listening.httpPort as number,
  });
}

/** Reads one sample of a Prometheus text page, e.g. `fanout_guess_games_completed_total`. */
export function sample(page: string, name: string, labels = ''): number | undefined {
  for (const line of page.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const key = line.slice(0, space);
    const bare = key.replace(/\{.*\}$/, '');
    if (bare !== name) continue;
    if (labels !== '' && !key.includes(labels)) continue;
    return Number(line.slice(space + 1));
  }
  return undefined;
}

/** GETs a path on the ops port and returns status and body text. */
export async function httpGet(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/**
 * Every sample of the counter and histogram families of a Prometheus text page, by series
 * (`name{labels}`): the values that must never go down.
 */
export function monotonicSamples(page: string): Map<string, number> {
  const kinds = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of page.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) {
      kinds.set(type[1] as string, type[2] as string);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const key = line.slice(0, space);
    const bare = key.replace(/\{.*\}$/, '');
    const family = kinds.has(bare) ? bare : bare.replace(/_(bucket|sum|count)$/, '');
    const kind = kinds.get(family);
    if (kind === 'counter' || kind === 'histogram') samples.set(key, Number(line.slice(space + 1)));
  }
  return samples;
}
