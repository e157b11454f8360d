// `pnpm --filter @fanout/server bench`: fanout-server while 10,000 sessions play.
// For `--workers 1` and `--workers 2` (and, with BENCH_BASELINE_BIN, another build of the
// bin side by side): how long new connections wait for their first reply (a burst of 300
// at once, then an open loop of 20 new games a second), how fast /healthz answers
// meanwhile, then (with 10,000 sessions playing again) how fast /healthz and /readyz
// answer while hostile clients hold the
// operations port (250 silent connections, 20 dripping request heads, /metrics scraped
// back to back). Server, busy sessions, new clients and attackers are separate processes;
// all on 127.0.0.1; it stops by itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LatencySummary, LoadResult, OpenLoadResult } from '@fanout/guess-protocol';
import { startProber as startInProcessProber } from './probe-in-process.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const BURST = Number(process.env.BENCH_BURST ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const OPEN_MS = Number(process.env.BENCH_OPEN_MS ?? 8_000);
const ATTACK_MS = 8_000;
/** Silent connections the attacker holds (and reopens when cut): with 20 drippers, past the 256 the port holds. */
const ATTACK_SILENT = Number(process.env.BENCH_ATTACK_SILENT ?? 250);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN;
const EXTRA_SERVER_ARGS = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const WARMUP_MS = 2_000;
const PROBE_EVERY_MS = 25;
const PROBE_BUDGET_MS = 100;
const FIRST_REPLY_GOAL_MS = 500;

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));
const attackScript = fileURLToPath(new URL('./attack.ts', import.meta.url));
const probeScript = fileURLToPath(new URL('./probe.ts', import.meta.url));
/** With BENCH_TRACE=DIR, the server (FANOUT_OPS_TRACE) and the probes write stamps there. */
const TRACE_DIR = process.env.BENCH_TRACE;
/** Niceness of the attacker process (on a deployment the attackers are other machines). */
const ATTACK_NICE = Number(process.env.BENCH_ATTACK_NICE ?? 0);
/**
 * An experiment (BENCH_SERVER_MAIN_NICE=N, --workers 1 only): renice the server's main
 * (serving) thread once it listens; its operations thread, already started, keeps nice 0.
 */
const SERVER_MAIN_NICE = Number(process.env.BENCH_SERVER_MAIN_NICE ?? 0);
/** Also probe /healthz the earlier way (fetch() in this process), for comparison. */
const COMPARE = process.env.BENCH_PROBE_COMPARE === '1';
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const benchStart = performance.now();
const note = (text: string): void => {
  if (VERBOSE) {
    process.stderr.write(`[${((performance.now() - benchStart) / 1000).toFixed(1)}s] ${text}\n`);
  }
};

interface Server {
  readonly child: ChildProcess;
  readonly guessPort: number;
  readonly httpPort: number;
  /** The server's processes: the bin, and its cluster workers once they log that they listen. */
  readonly pids: number[];
}

/** CPU seconds (user + system) the processes have used so far, from /proc (Linux). */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone, or not Linux
    }
  }
  return ticks / 100; // USER_HZ
}

async function startServer(path: string, workers: number, label: string): Promise<Server> {
  const env =
    TRACE_DIR === undefined
      ? process.env
      : { ...process.env, FANOUT_OPS_TRACE: `${TRACE_DIR}/server-${slug(label)}.jsonl` };
  const child = spawn(
    process.execPath,
    [
      path,
      ...['--workers', String(workers), '--guess-port', '0', '--http-port', '0'],
      ...['--idle-timeout', '120s', '--strategy', 'bisect'],
      ...EXTRA_SERVER_ARGS,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  let buffered = '';
  const pids = child.pid === undefined ? [] : [child.pid];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg: string; level: string; [k: string]: unknown };
        if (entry.level === 'error' || entry.level === 'fatal') process.stderr.write(`${line}\n`);
        if (entry.msg === 'worker listening' && typeof entry.pid === 'number') pids.push(entry.pid);
        if (entry.msg === 'listening') {
          resolve({
            child,
            guessPort: entry.guessPort as number,
            httpPort: entry.httpPort as number,
            pids,
          });
        }
      }
    });
  });
}

/** A helper process; `next(event)` resolves with its JSON line of that event. */
function startLoad(args: string[], niceness: number, script = loadScript) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The busy sessions are the harness: on a machine with as few cores as this one they
  // yield the CPU to the server and to the clients whose waiting we measure.
  if (niceness > 0 && child.pid !== undefined) setPriority(child.pid, niceness);
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) events.push(JSON.parse(line) as Record<string, unknown>);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const exited = once(child, 'exit');
  const next = async (event: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = events.find((e) => e.event === event);
      if (found !== undefined) return found;
      if (child.exitCode !== null) throw new Error(`load ${args[0]} exited without "${event}"`);
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
    }
  };
  return { child, next };
}

const slug = (text: string): string => text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

interface ProbeResult {
  readonly latency: LatencySummary;
  readonly failures: number;
  readonly overBudget: number;
}

/** The health checker in a process of its own (`probe.ts`); `stop()` resolves with what it saw. */
/** The earlier in-process prober (BENCH_PROBE_COMPARE=1), or undefined. */
function startComparison(port: number, trace: string) {
  if (!COMPARE) return undefined;
  const file = TRACE_DIR === undefined ? undefined : `${TRACE_DIR}/probe-${slug(trace)}.jsonl`;
  return startInProcessProber(port, '/healthz', PROBE_EVERY_MS, PROBE_BUDGET_MS, file);
}

function startProber(port: number, path: string, trace: string) {
  const args = ['--port', String(port), '--path', path, '--every-ms', String(PROBE_EVERY_MS)];
  args.push('--budget-ms', String(PROBE_BUDGET_MS));
  if (TRACE_DIR !== undefined) args.push('--trace', `${TRACE_DIR}/probe-${slug(trace)}.jsonl`);
  const prober = startLoad(args, 0, probeScript);
  return {
    async stop(): Promise<ProbeResult> {
      prober.child.kill('SIGINT');
      return (await prober.next('done')) as unknown as ProbeResult;
    },
  };
}

interface Row {
  readonly label: string;
  readonly busy: LoadResult;
  /** Server CPU (all its processes) per busy round trip during phase A, µs. */
  readonly cpuMicrosPerRoundTrip: number;
  readonly burst: OpenLoadResult;
  readonly open: OpenLoadResult;
  readonly health: ProbeResult;
  readonly attackHealth: ProbeResult;
  readonly attackReady: ProbeResult;
  /** BENCH_PROBE_COMPARE: the in-process fetch() prober beside the other, phase A and B. */
  readonly compare?: { readonly load: ProbeResult; readonly attack: ProbeResult };
  readonly attack: {
    silentConnected: number;
    silentCut: number;
    silentHeld: number;
    cutWithinMs: number;
    scrapes: number;
  };
}

/** Starts the busy sessions and resolves once every one is connected and playing a while. */
async function busySessions(server: Server, durationMs: number) {
  const busy = startLoad(
    ['busy', '--port', String(server.guessPort), '--sessions', String(SESSIONS)].concat([
      '--duration-ms',
      String(durationMs),
    ]),
    10,
  );
  await busy.next('connected');
  await sleep(WARMUP_MS);
  return busy;
}

/**
 * Two phases on one server, each with its own 10,000 busy sessions: (A) new clients and
 * health probes, nothing else, so the busy throughput is the server's own; (B) hostile
 * clients on the operations port, with probes.
 */
async function measure(label: string, path: string, workers: number): Promise<Row> {
  note(`${label}: starting`);
  const server = await startServer(path, workers, label);
  if (SERVER_MAIN_NICE !== 0 && workers === 1 && server.child.pid !== undefined) {
    setPriority(server.child.pid, SERVER_MAIN_NICE); // Linux: the thread whose id is the pid
  }
  try {
    const health = startProber(server.httpPort, '/healthz', `${label} load healthz`);
    const compareLoad = startComparison(server.httpPort, `${label} load fetch`);
    const cpuBefore = cpuSeconds(server.pids);
    const busy = await busySessions(server, WARMUP_MS + OPEN_MS + 3_000);
    note(`${label}: ${SESSIONS} sessions playing; new clients arrive`);
    const fresh = startLoad(
      ['new', '--port', String(server.guessPort), '--burst', String(BURST)].concat([
        '--rate',
        String(RATE),
        '--duration-ms',
        String(OPEN_MS),
      ]),
      0,
    );
    const freshDone = await fresh.next('done');
    const healthResult = await health.stop();
    const compareLoadResult = await compareLoad?.stop();
    const busyDone = await busy.next('done');
    const busyResult = busyDone.result as LoadResult;
    const cpuMicrosPerRoundTrip =
      ((cpuSeconds(server.pids) - cpuBefore) * 1e6) / Math.max(1, busyResult.roundTrips);
    const phaseA = {
      label,
      busy: busyResult,
      cpuMicrosPerRoundTrip,
      burst: freshDone.burst as OpenLoadResult,
      open: freshDone.open as OpenLoadResult,
      health: healthResult,
    };
    if (process.env.BENCH_SKIP_ATTACK === '1') {
      const none = { latency: emptySummary(), failures: 0, overBudget: 0 };
      return {
        ...phaseA,
        attackHealth: none,
        attackReady: none,
        attack: { silentConnected: 0, silentCut: 0, silentHeld: 0, cutWithinMs: 0, scrapes: 0 },
      };
    }
    note(`${label}: ${SESSIONS} sessions playing again; attacking the operations port`);
    const again = await busySessions(server, WARMUP_MS + ATTACK_MS + 3_000);
    const attackHealth = startProber(server.httpPort, '/healthz', `${label} attack healthz`);
    const attackReady = startProber(server.httpPort, '/readyz', `${label} attack readyz`);
    const compareAttack = startComparison(server.httpPort, `${label} attack fetch`);
    const attack = startLoad(
      [
        '--port',
        String(server.httpPort),
        '--silent',
        String(ATTACK_SILENT),
        '--drippers',
        '20',
      ].concat(['--duration-ms', String(ATTACK_MS)]),
      ATTACK_NICE,
      attackScript,
    );
    const attackResult = (await attack.next('done')) as unknown as Row['attack'];
    const attackHealthResult = await attackHealth.stop();
    const attackReadyResult = await attackReady.stop();
    const compareAttackResult = await compareAttack?.stop();
    await again.next('done');
    note(`${label}: done`);
    return {
      ...phaseA,
      attackHealth: attackHealthResult,
      attackReady: attackReadyResult,
      ...(compareLoadResult && compareAttackResult
        ? { compare: { load: compareLoadResult, attack: compareAttackResult } }
        : {}),
      attack: attackResult,
    };
  } finally {
    server.child.removeAllListeners('exit');
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
  }
}

function emptySummary(): LatencySummary {
  return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '-');
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const triple = (s: LatencySummary): string => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
const probeCell = (p: Row['health']): string =>
  `${triple(p.latency)} (${p.failures} failed, ${p.overBudget} > ${PROBE_BUDGET_MS} ms)`;

const runs: Array<[string, string, number]> = [];
for (const workers of WORKERS) runs.push([`--workers ${workers}`, bin, workers]);
if (BASELINE_BIN !== undefined) {
  for (const workers of WORKERS)
    runs.push([`baseline --workers ${workers}`, BASELINE_BIN, workers]);
}
const rows: Row[] = [];
for (const [label, path, workers] of runs) rows.push(await measure(label, path, workers));

const table: string[][] = [
  ['', ...rows.map((r) => r.label)],
  [
    'busy sessions (closed loop) / failed',
    ...rows.map((r) => `${count(r.busy.sessions)} / ${r.busy.failedSessions}`),
  ],
  ['busy round trips/s', ...rows.map((r) => count(r.busy.roundTripsPerSecond))],
  ['server CPU µs per busy round trip', ...rows.map((r) => ms(r.cpuMicrosPerRoundTrip))],
  [
    'busy round trip p50 / p99 ms',
    ...rows.map((r) => `${ms(r.busy.p50RoundTripMs)} / ${ms(r.busy.p99RoundTripMs)}`),
  ],
  [
    `${BURST} new at once: first reply p50 / p99 / max ms`,
    ...rows.map((r) => triple(r.burst.firstReply)),
  ],
  [
    `${RATE} new/s open loop: first reply p50 / p99 / max ms`,
    ...rows.map((r) => triple(r.open.firstReply)),
  ],
  ['new games failed', ...rows.map((r) => String(r.burst.failedGames + r.open.failedGames))],
  ['/healthz during load p50 / p99 / max ms', ...rows.map((r) => probeCell(r.health))],
  ['/healthz under attack p50 / p99 / max ms', ...rows.map((r) => probeCell(r.attackHealth))],
  ['/readyz under attack p50 / p99 / max ms', ...rows.map((r) => probeCell(r.attackReady))],
  ...(COMPARE
    ? [
        [
          '/healthz, fetch() in the bench process, during load',
          ...rows.map((r) => (r.compare ? probeCell(r.compare.load) : '-')),
        ],
        [
          '/healthz, fetch() in the bench process, under attack',
          ...rows.map((r) => (r.compare ? probeCell(r.compare.attack) : '-')),
        ],
      ]
    : []),
  [
    'silent attack connections: connected / cut, longest held before its cut s',
    ...rows.map(
      (r) =>
        `${r.attack.silentConnected} / ${r.attack.silentCut}, ${(r.attack.cutWithinMs / 1000).toFixed(1)}`,
    ),
  ],
  ['/metrics scrapes during attack', ...rows.map((r) => String(r.attack.scrapes))],
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]?.length ?? 0)));
console.log(
  `fanout-server bench — node ${process.version}, ${cpus().length} cores; ${SESSIONS} busy sessions (bisect, 1..100) in a niced process, new clients in another`,
);
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
const ours = rows.filter((r) => !r.label.startsWith('baseline'));
const failed = ours.some(
  (r) => r.busy.failedSessions > 0 || r.burst.failedGames + r.open.failedGames > 0,
);
const firstReplyMet = ours.every(
  (r) =>
    r.burst.firstReply.p99 < FIRST_REPLY_GOAL_MS && r.open.firstReply.p99 < FIRST_REPLY_GOAL_MS,
);
const probesMet = ours.every((r) =>
  [r.health, r.attackHealth].every((p) => p.failures === 0 && p.latency.max < PROBE_BUDGET_MS),
);
console.log(
  failed ? 'FAIL: some sessions or new games failed' : 'no session and no new game failed',
);
console.log(
  `first reply p99 < ${FIRST_REPLY_GOAL_MS} ms: ${firstReplyMet ? 'met' : 'NOT met'}; /healthz always 200 within ${PROBE_BUDGET_MS} ms: ${probesMet ? 'met' : 'NOT met'} (a shared machine: rerun before concluding)`,
);
process.exitCode = failed ? 1 : 0;
