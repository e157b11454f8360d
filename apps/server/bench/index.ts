// `pnpm --filter @fanout/server bench`: 10,000 concurrent guess sessions against
// `fanout-server --workers 1` and then `--workers 2`, in the same run, with /healthz probed
// throughout. Server and load generator are separate processes; all on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const GAMES = Number(process.env.BENCH_GAMES ?? 2);
const UPPER = Number(process.env.BENCH_UPPER ?? 100);
/** More flags for both servers, e.g. `--slow-callback 0` to measure the watch's cost. */
const EXTRA_SERVER_ARGS = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const PROBE_EVERY_MS = 25;
const HEALTH_BUDGET_MS = 100;

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

interface LoadResult {
  sessions: number;
  failedSessions: number;
  games: number;
  seconds: number;
  gamesPerSecond: number;
  roundTripsPerSecond: number;
  p99RoundTripMs: number;
  connectSeconds: number;
  errors: Record<string, number>;
}

interface Probe {
  samples: number[];
  failures: number;
  /** [ms since the probe started, latency ms] of every probe over budget. */
  slow: Array<[number, number]>;
}

const VERBOSE = process.env.BENCH_VERBOSE === '1';
const benchStart = performance.now();
const note = (text: string): void => {
  if (VERBOSE)
    process.stderr.write(`[${((performance.now() - benchStart) / 1000).toFixed(1)}s] ${text}\n`);
};

interface Row {
  workers: number;
  load: LoadResult;
  probe: Probe;
}

async function startServer(
  workers: number,
): Promise<{ child: ChildProcess; guessPort: number; httpPort: number }> {
  const child = spawn(
    process.execPath,
    [
      bin,
      ...['--workers', String(workers), '--guess-port', '0', '--http-port', '0'],
      ...['--max-connections', '20000', '--idle-timeout', '60s', '--strategy', 'bisect'],
      ...EXTRA_SERVER_ARGS,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as {
          msg: string;
          guessPort?: number;
          httpPort?: number;
          level: string;
        };
        if (entry.level === 'error' || entry.level === 'fatal') process.stderr.write(`${line}\n`);
        if (entry.msg === 'listening') {
          resolve({
            child,
            guessPort: entry.guessPort as number,
            httpPort: entry.httpPort as number,
          });
        }
      }
    });
  });
}

/** Probes /healthz on a fresh connection each time, like a load balancer's health check. */
function probeHealth(port: number, signal: AbortSignal): Promise<Probe> {
  const probe: Probe = { samples: [], failures: 0, slow: [] };
  const probeStart = performance.now();
  return new Promise((resolve) => {
    const tick = async (): Promise<void> => {
      if (signal.aborted) {
        resolve(probe);
        return;
      }
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
          headers: { connection: 'close' },
          signal: AbortSignal.timeout(2_000),
        });
        await res.text();
        const ms = performance.now() - started;
        if (res.status === 200) probe.samples.push(ms);
        else probe.failures++;
        if (ms > HEALTH_BUDGET_MS)
          probe.slow.push([Math.round(started - probeStart), Math.round(ms)]);
      } catch {
        probe.failures++;
      }
      setTimeout(tick, PROBE_EVERY_MS);
    };
    void tick();
  });
}

async function runLoadProcess(port: number): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      loadScript,
      ...['--port', String(port), '--sessions', String(SESSIONS), '--games', String(GAMES)],
      ...['--upper', String(UPPER)],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // The load generator is the harness, not the system under test: on a machine with as
  // few cores as this one it yields the CPU to the server and to the health probes.
  if (child.pid !== undefined) setPriority(child.pid, 10);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as LoadResult;
}

async function measure(workers: number): Promise<Row> {
  note(`starting server --workers ${workers}`);
  const server = await startServer(workers);
  const stopProbe = new AbortController();
  const probing = probeHealth(server.httpPort, stopProbe.signal);
  try {
    note('load starts');
    const load = await runLoadProcess(server.guessPort);
    note('load done');
    stopProbe.abort();
    const probe = await probing;
    if (VERBOSE) note(`slow probes [ms after start, latency ms]: ${JSON.stringify(probe.slow)}`);
    return { workers, load, probe };
  } finally {
    stopProbe.abort();
    server.child.removeAllListeners('exit');
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
    note('server stopped');
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

const rows: Row[] = [];
for (const workers of [1, 2]) rows.push(await measure(workers));

const stats = rows.map((r) => {
  const sorted = [...r.probe.samples].sort((a, b) => a - b);
  return {
    ...r,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    slow: sorted.filter((ms) => ms > HEALTH_BUDGET_MS).length,
  };
});
const [one, two] = stats as [(typeof stats)[0], (typeof stats)[0]];
const table: Array<[string, string, string, string]> = [
  ['', '--workers 1', '--workers 2', '2 / 1'],
  ['sessions (concurrent)', String(one.load.sessions), String(two.load.sessions), ''],
  ['failed sessions', String(one.load.failedSessions), String(two.load.failedSessions), ''],
  ['games', String(one.load.games), String(two.load.games), ''],
  [
    'seconds',
    fmt(one.load.seconds, 2),
    fmt(two.load.seconds, 2),
    fmt(two.load.seconds / one.load.seconds, 2),
  ],
  ['connect seconds', fmt(one.load.connectSeconds, 2), fmt(two.load.connectSeconds, 2), ''],
  [
    'games/s',
    fmt(one.load.gamesPerSecond, 0),
    fmt(two.load.gamesPerSecond, 0),
    fmt(two.load.gamesPerSecond / one.load.gamesPerSecond, 2),
  ],
  [
    'round trips/s',
    fmt(one.load.roundTripsPerSecond, 0),
    fmt(two.load.roundTripsPerSecond, 0),
    fmt(two.load.roundTripsPerSecond / one.load.roundTripsPerSecond, 2),
  ],
  [
    'p99 round trip ms',
    fmt(one.load.p99RoundTripMs),
    fmt(two.load.p99RoundTripMs),
    fmt(two.load.p99RoundTripMs / one.load.p99RoundTripMs, 2),
  ],
  ['/healthz probes', String(one.probe.samples.length), String(two.probe.samples.length), ''],
  ['/healthz p50 ms', fmt(one.p50), fmt(two.p50), ''],
  ['/healthz p99 ms', fmt(one.p99), fmt(two.p99), ''],
  ['/healthz max ms', fmt(one.max), fmt(two.max), ''],
  [
    `/healthz > ${HEALTH_BUDGET_MS} ms or failed`,
    String(one.slow + one.probe.failures),
    String(two.slow + two.probe.failures),
    '',
  ],
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i]?.length ?? 0)));
console.log(
  `fanout-server under load: ${SESSIONS} concurrent sessions x ${GAMES} games (1..${UPPER}), ` +
    `${cpus().length} cores, server and load generator in separate processes`,
);
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
const failed = stats.some((s) => s.load.failedSessions > 0);
const withinBudget = stats.every((s) => s.slow === 0 && s.probe.failures === 0);
console.log(failed ? 'FAIL: some sessions failed' : 'zero failed sessions');
console.log(
  withinBudget
    ? `/healthz always answered within ${HEALTH_BUDGET_MS} ms`
    : `/healthz missed the ${HEALTH_BUDGET_MS} ms budget (see above; on a shared machine, rerun)`,
);
// Failed sessions are a correctness failure; a missed latency budget is reported, not fatal.
process.exitCode = failed ? 1 : 0;
