// Where the late probes spent their time: joins a BENCH_TRACE directory's probe lines
// (probe.ts --trace) with the server's (FANOUT_OPS_TRACE) by probe id.
//   tsx bench/trace-report.ts DIR [--budget-ms 100]
// For every probe over the budget: the client's connect, how long the connection waited to
// be accepted by the server, head parsed → response written on the server, response
// written → first byte seen by the client, and the CPU run-queue waits of the operations
// thread and of the probe's process meanwhile (from /proc/thread-self/schedstat); then a
// count of which segment was the largest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'budget-ms': { type: 'string', default: '100' } },
});
const dir = positionals[0];
if (dir === undefined) throw new Error('usage: trace-report.ts DIR');
const budget = Number(values['budget-ms']);

type Line = Record<string, number | string | null>;
const read = (file: string): Line[] =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

const files = readdirSync(dir);
const serverLines = files.filter((f) => f.startsWith('server-')).flatMap(read);
const byProbe = new Map<string, Line>();
for (const line of serverLines) {
  if (line.kind === 'request' && typeof line.probe === 'string') byProbe.set(line.probe, line);
}
const gaps = serverLines.filter((l) => l.kind === 'gap');
const gcs = serverLines.filter((l) => l.kind === 'gc');
const n = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(0).padStart(5) : '    -');

for (const file of files.filter((name) => name.startsWith('probe-')).sort()) {
  const probes = read(file);
  const late = probes.filter((p) => n(p.ms) > budget);
  console.log(`\n${file}: ${probes.length} probes, ${late.length} over ${budget} ms`);
  if (late.length === 0) continue;
  console.log(
    '   ms  timer connect acceptQ  parse  answer  toClient  end | opsWait opsRun | cliWait cliRun | server gaps (late/wait/run), gc',
  );
  const blame = new Map<string, number>();
  for (const p of late) {
    const s = byProbe.get(String(p.probe));
    const start = n(p.startAt);
    const end = n(p.endAt);
    const segments: Record<string, number> = {
      connect: n(p.connectAt) - start,
      acceptQueue: s ? n(s.acceptAt) - n(p.connectAt) : Number.NaN,
      parse: s ? n(s.requestAt) - n(s.acceptAt) : Number.NaN,
      answer: s ? n(s.finishAt) - n(s.requestAt) : Number.NaN,
      toClient: s ? n(p.firstByteAt) - n(s.finishAt) : Number.NaN,
      end: n(p.endAt) - n(p.firstByteAt),
    };
    const worst = Object.entries(segments)
      .filter(([, v]) => Number.isFinite(v))
      .sort((a, b) => b[1] - a[1])[0];
    if (worst !== undefined) blame.set(worst[0], (blame.get(worst[0]) ?? 0) + 1);
    const near = gaps
      .filter((g) => n(g.at) >= start && n(g.at) - n(g.lateMs) <= end + 10)
      .map((g) => `${f(n(g.lateMs))}/${f(n(g.waitMs))}/${f(n(g.runMs))}`)
      .join(' ');
    const gcNear = gcs
      .filter((g) => n(g.at) <= end && n(g.at) + n(g.ms) >= start)
      .map((g) => `${n(g.ms).toFixed(0)}ms`)
      .join(' ');
    console.log(
      [
        f(n(p.ms)),
        f(n(p.timerLateMs)),
        f(segments.connect!),
        ` ${f(segments.acceptQueue!)}`,
        f(segments.parse!),
        ` ${f(segments.answer!)}`,
        `   ${f(segments.toClient!)}`,
        f(segments.end!),
        `| ${f(s ? n(s.waitMs) : Number.NaN)}  ${f(s ? n(s.runMs) : Number.NaN)}`,
        `| ${f(n(p.waitMs))}  ${f(n(p.runMs))}`,
        `| ${near || '-'}${gcNear ? `, gc ${gcNear}` : ''}`,
      ].join(' '),
    );
  }
  console.log(`largest segment: ${[...blame].map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
const longGaps = gaps.filter((g) => n(g.lateMs) > budget);
if (longGaps.length > 0) {
  console.log(
    `\noperations-loop gaps over ${budget} ms: late, waited for a CPU, ran; machine CPU ms meanwhile`,
  );
  for (const g of longGaps) {
    const m = (g.machine ?? {}) as unknown as Record<string, number>;
    const machine = Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(`${f(n(g.lateMs))} ${f(n(g.waitMs))} ${f(n(g.runMs))}  ${machine || '-'}`);
  }
}
const gapTotal = gaps.length;
const waitGaps = gaps.filter((g) => n(g.waitMs) > n(g.runMs)).length;
console.log(
  `\nserver operations-loop gaps over 20 ms: ${gapTotal} (${waitGaps} mostly waiting for a CPU, ${gapTotal - waitGaps} mostly running); gc pauses over 2 ms: ${gcs.length}`,
);
