// `pnpm --filter @fanout/guess-protocol bench` — one run, side-by-side tables:
//  1. games as the seed plays them, 100 connections x 20 games: round trips/s and CPU per
//     round trip of the server and of the load generator, ours vs a naive readline server,
//     same load generator; plus a minimal reference server (no parsing, one preformatted
//     reply per read: the ceiling of Node on this machine) and the seed's asyncio server
//     through the compatibility fixture, on a smaller load;
//  2. pipelined bursts of NUMBER lines: lines/s, ours vs naive;
//  3. 10,000 concurrent connections, one game each: failed sessions, ours vs the seed's;
//  4. guesses per game, random vs bisect, ranges 1..5 up to 1..10^6;
//  5. an open loop at fixed rates (new games a second, each on a new connection, latencies
//     from each game's due time), ours vs the seed's asyncio server at the same rate.
// Every server runs in its own child process; the load generator runs here. Loopback only.
import { cpus } from 'node:os';
import {
  createRandom,
  decide,
  GuessSession,
  type LoadResult,
  type OpenLoadResult,
  runLoad,
  runOpenLoad,
} from '../src/index.js';
import { runPipelined } from './pipelined.js';
import { type ServerKind, startServer } from './servers.js';

interface Measured {
  readonly result: LoadResult;
  readonly serverCpuMicros: number | undefined;
  /** CPU µs this process (the load generator) spent in runLoad. */
  readonly loadCpuMicros: number;
}

async function load(
  kind: ServerKind,
  options: {
    sessions: number;
    games: number;
    upper: number;
    connectConcurrency?: number;
    timeoutMs?: number;
  },
): Promise<Measured> {
  const server = await startServer(kind);
  let result: LoadResult;
  let serverCpuMicros: number | undefined;
  const cpuBefore = process.cpuUsage();
  let loadCpuMicros: number;
  try {
    result = await runLoad({
      port: server.port,
      sessions: options.sessions,
      games: options.games,
      lower: 1,
      upper: options.upper,
      timeoutMs: options.timeoutMs ?? 60_000,
      connectConcurrency: options.connectConcurrency ?? 256,
      random: createRandom(1234),
    });
  } finally {
    const used = process.cpuUsage(cpuBefore);
    loadCpuMicros = used.user + used.system;
    serverCpuMicros = await server.stop();
  }
  return { result, serverCpuMicros, loadCpuMicros };
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const cpuPerRoundTrip = (m: Measured): string =>
  m.serverCpuMicros === undefined ? 'n/a' : fmt(m.serverCpuMicros / m.result.roundTrips, 1);
const loadCpuPerRoundTrip = (m: Measured): string => fmt(m.loadCpuMicros / m.result.roundTrips, 1);

/** Pools runs of the same load: totals summed, percentiles the worse of the runs. */
function pool(measured: Measured[]): Measured {
  const sum = (f: (m: Measured) => number): number => measured.reduce((t, m) => t + f(m), 0);
  const max = (f: (m: Measured) => number): number => Math.max(...measured.map(f));
  const seconds = sum((m) => m.result.seconds);
  const roundTrips = sum((m) => m.result.roundTrips);
  const games = sum((m) => m.result.games);
  const cpu = measured.every((m) => m.serverCpuMicros !== undefined)
    ? sum((m) => m.serverCpuMicros ?? 0)
    : undefined;
  const first = measured[0]!.result;
  return {
    serverCpuMicros: cpu,
    loadCpuMicros: sum((m) => m.loadCpuMicros),
    result: {
      ...first,
      sessions: max((m) => m.result.sessions),
      failedSessions: sum((m) => m.result.failedSessions),
      games,
      seconds,
      roundTrips,
      gamesPerSecond: games / seconds,
      roundTripsPerSecond: roundTrips / seconds,
      meanGuesses: sum((m) => m.result.meanGuesses * m.result.games) / games,
      p50RoundTripMs: max((m) => m.result.p50RoundTripMs),
      p99RoundTripMs: max((m) => m.result.p99RoundTripMs),
      maxRoundTripMs: max((m) => m.result.maxRoundTripMs),
    },
  };
}

async function games(): Promise<void> {
  // Two halves of 10 games, the order reversed in the second, so a busy moment on the
  // shared machine does not land on one server only; the halves are pooled.
  const config = { sessions: 100, games: 10, upper: 100 };
  const order = ['ours', 'naive', 'minimal'] as const;
  const runs: Record<(typeof order)[number], Measured[]> = { ours: [], naive: [], minimal: [] };
  for (let half = 0; half < 2; half++) {
    for (const kind of half === 0 ? order : [...order].reverse()) {
      runs[kind].push(await load(kind, config));
    }
  }
  const ours = pool(runs.ours);
  const naive = pool(runs.naive);
  const minimal = pool(runs.minimal);
  const asyncio = await load('asyncio', { ...config, games: 2 });
  const base = naive.result.roundTripsPerSecond;
  console.log('\n1) Seed-style games, 100 connections x 20 games, range 1..100, random strategy');
  console.log('   (p50/p99: the worse of the two halves; CPU: µs per round trip)');
  console.log(
    table(
      [
        'server',
        'round trips/s',
        'vs naive',
        'server CPU',
        'load gen CPU',
        'games/s',
        'p50 ms',
        'p99 ms',
        'failed',
      ],
      [
        ['ours (2 x 100 x 10 games)', ours],
        ['naive readline baseline (same)', naive],
        ['minimal reference: no parsing (same)', minimal],
        ["seed's asyncio (fixture, 100 x 2 games)", asyncio],
      ].map(([name, m]) => {
        const r = (m as Measured).result;
        return [
          name as string,
          fmt(r.roundTripsPerSecond),
          `${fmt(r.roundTripsPerSecond / base, 2)}x`,
          cpuPerRoundTrip(m as Measured),
          loadCpuPerRoundTrip(m as Measured),
          fmt(r.gamesPerSecond),
          fmt(r.p50RoundTripMs, 2),
          fmt(r.p99RoundTripMs, 2),
          r.failedSessions,
        ];
      }),
    ),
  );
  const half = (m: Measured[]): string =>
    m.map((x) => fmt(x.result.roundTripsPerSecond)).join(', ');
  console.log(
    `   halves, round trips/s: ours ${half(runs.ours)}; naive ${half(runs.naive)}; minimal ${half(runs.minimal)}`,
  );
  console.log(
    `   ours vs minimal reference: ${fmt(ours.result.roundTripsPerSecond / minimal.result.roundTripsPerSecond, 2)}x`,
  );
}

async function pipelined(): Promise<void> {
  const rows: (string | number)[][] = [];
  let base = 0;
  for (const kind of ['naive', 'ours'] as const) {
    const server = await startServer(kind);
    const result = await runPipelined(server.port, 100, 64, 40);
    const cpu = await server.stop();
    if (kind === 'naive') base = result.linesPerSecond;
    rows.push([
      kind === 'ours' ? 'ours' : 'naive readline baseline',
      fmt(result.linesPerSecond),
      `${fmt(result.linesPerSecond / base, 2)}x`,
      cpu === undefined ? 'n/a' : fmt(cpu / result.lines, 2),
    ]);
  }
  console.log('\n2) Pipelined NUMBER bursts, 100 connections x 40 bursts of 64 lines');
  console.log(table(['server', 'lines/s', 'ratio', 'server CPU µs/line'], rows.reverse()));
}

async function concurrent(): Promise<void> {
  // Every connection is opened at once, as 10,000 simultaneous seed clients would; a
  // session silent for 15 s counts as failed.
  const config = {
    sessions: 10_000,
    games: 1,
    upper: 5,
    connectConcurrency: 10_000,
    timeoutMs: 15_000,
  };
  const rows: [string, Measured][] = [
    ['ours', await load('ours', config)],
    ["seed's asyncio (fixture)", await load('asyncio', config)],
  ];
  console.log(
    '\n3) 10,000 concurrent connections opened at once, one game each to Correct, range 1..5',
  );
  console.log(
    table(
      ['server', 'failed sessions', 'games', 'connect s', 'total s', 'round trips/s', 'p99 ms'],
      rows.map(([name, { result: r }]) => [
        name,
        r.failedSessions,
        r.games,
        fmt(r.connectSeconds, 2),
        fmt(r.seconds, 2),
        fmt(r.roundTripsPerSecond),
        fmt(r.p99RoundTripMs, 1),
      ]),
    ),
  );
  for (const [name, { result }] of rows) {
    if (result.failedSessions > 0)
      console.log(`   ${name} failures: ${JSON.stringify(result.errors)}`);
  }
}

/** Plays honest games on the pure state machine; returns mean and worst guesses. */
function guessStats(
  strategy: 'random' | 'bisect',
  upper: number,
  count: number,
): { mean: number; worst: number } {
  const random = createRandom(upper * 7 + (strategy === 'bisect' ? 1 : 0));
  const session = new GuessSession({ strategy, random });
  const number = { type: 'number' } as const;
  let total = 0;
  let worst = 0;
  for (let game = 0; game < count; game++) {
    const secret = 1 + Math.floor(random() * upper);
    session.apply({ type: 'params', lower: 1, upper });
    let last: number | undefined;
    for (let guesses = 1; ; guesses++) {
      const guess = session.apply(number)!;
      const decision = decide(guess, secret, last);
      last = Math.abs(guess - secret);
      session.apply({ type: 'report', decision });
      if (decision === 'Correct') {
        total += guesses;
        worst = Math.max(worst, guesses);
        break;
      }
    }
  }
  return { mean: total / count, worst };
}

function strategies(): void {
  const rows: (string | number)[][] = [];
  for (const [upper, randomGames, bisectGames] of [
    [5, 10_000, 10_000],
    [100, 10_000, 10_000],
    [1000, 2_000, 10_000],
    [1_000_000, 20, 10_000],
  ] as const) {
    const random = guessStats('random', upper, randomGames);
    const bisect = guessStats('bisect', upper, bisectGames);
    rows.push([
      `1..${fmt(upper)}`,
      `${fmt(random.mean, 1)} / ${fmt(random.worst)}`,
      fmt(randomGames),
      `${fmt(bisect.mean, 2)} / ${fmt(bisect.worst)}`,
      fmt(bisectGames),
    ]);
  }
  console.log(
    '\n4) Guesses per game to Correct, mean / worst (random secrets, pure state machine)',
  );
  console.log(table(['range', 'random', 'games', 'bisect', 'games'], rows));
}

async function openLoop(): Promise<void> {
  const rates = (process.env.BENCH_RATES ?? '100,300').split(',').map(Number);
  const durationMs = Number(process.env.BENCH_OPEN_MS ?? 8_000);
  const rows: (string | number)[][] = [];
  for (const rate of rates) {
    for (const kind of ['ours', 'asyncio'] as const) {
      const server = await startServer(kind);
      let result: OpenLoadResult;
      try {
        result = await runOpenLoad({
          port: server.port,
          rate,
          durationMs,
          lower: 1,
          upper: 100,
          timeoutMs: 30_000,
          random: createRandom(rate),
        });
      } finally {
        await server.stop();
      }
      const { firstReply, game, roundTrip } = result;
      rows.push([
        kind === 'ours' ? 'ours' : "seed's asyncio (fixture)",
        fmt(rate),
        `${fmt(result.games)} / ${result.failedGames}`,
        fmt(result.gamesPerSecond, 1),
        `${fmt(firstReply.p50, 2)} / ${fmt(firstReply.p99, 2)} / ${fmt(firstReply.max, 1)}`,
        `${fmt(game.p50, 1)} / ${fmt(game.p99, 1)}`,
        `${fmt(roundTrip.p50, 2)} / ${fmt(roundTrip.p99, 2)}`,
        fmt(result.maxStartLagMs, 1),
      ]);
    }
  }
  console.log(
    `\n5) Open loop: new games a second for ${durationMs / 1000} s, each on a new connection, range 1..100, random strategy`,
  );
  console.log("   (latencies in ms from each game's due time: coordinated omission corrected)");
  console.log(
    table(
      [
        'server',
        'games/s asked',
        'games / failed',
        'games/s done',
        'first reply p50 / p99 / max',
        'game p50 / p99',
        'round trip p50 / p99',
        'generator lag',
      ],
      rows,
    ),
  );
}

const started = performance.now();
console.log(`@fanout/guess-protocol bench — node ${process.version}, ${cpus().length} cores`);
// BENCH_TABLES=5 (or 1,3,...) runs only those tables.
const only = new Set((process.env.BENCH_TABLES ?? '1,2,3,4,5').split(','));
if (only.has('1')) await games();
if (only.has('2')) await pipelined();
if (only.has('3')) await concurrent();
if (only.has('4')) strategies();
if (only.has('5')) await openLoop();
console.log(`\n(${fmt((performance.now() - started) / 1000, 1)} s)`);
