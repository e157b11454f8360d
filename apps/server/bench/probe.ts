// A load balancer's health checker, for the bench, run as its own process (on a real
// deployment it runs on another machine; here it must at least not share an event loop
// with the load it watches):
//   probe.ts --port P --path /healthz --every-ms 25 --budget-ms 100 [--trace FILE]
// Probes on a fresh connection every `every-ms` (a plain HTTP/1.1 request over a socket,
// as HAProxy or a kubelet sends it); a probe fails without a 200 within 2 s. On SIGINT it
// prints {"event":"done","latency":…,"failures","overBudget"} and exits. With --trace, one
// JSON line per probe: its id (also sent as X-Probe-Id, so the server's FANOUT_OPS_TRACE
// lines match it), monotonic-clock ms stamps (start, connected, first byte, end), how late its timer
// fired, and how long this process's thread waited for / ran on a CPU during the probe.
import { appendFileSync } from 'node:fs';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { LatencyHistogram } from '@fanout/guess-protocol';
import { clockMs, schedstat } from '../src/ops/trace.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    path: { type: 'string', default: '/healthz' },
    'every-ms': { type: 'string', default: '25' },
    'budget-ms': { type: 'string', default: '100' },
    trace: { type: 'string' },
  },
});
const port = Number(values.port);
const path = values.path;
const everyMs = Number(values['every-ms']);
const budgetMs = Number(values['budget-ms']);
const traceFile = values.trace;
const TIMEOUT_MS = 2_000;

interface Stamps {
  status: number;
  connectAt: number;
  firstByteAt: number;
  endAt: number;
}

/** One probe on a fresh connection: resolves with its stamps (status 0 = failed). */
function probeOnce(id: string): Promise<Stamps> {
  return new Promise((resolve) => {
    const stamps: Stamps = { status: 0, connectAt: 0, firstByteAt: 0, endAt: 0 };
    let head = '';
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(), TIMEOUT_MS);
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      stamps.connectAt = clockMs();
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Probe-Id: ${id}\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: string) => {
      if (stamps.firstByteAt === 0) stamps.firstByteAt = clockMs();
      head += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      stamps.endAt = clockMs();
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      // A complete answer: the status line and a body after the head (Connection: close).
      if (match !== null && head.includes('\r\n\r\n')) stamps.status = Number(match[1]);
      resolve(stamps);
    });
  });
}

const latency = new LatencyHistogram();
let failures = 0;
let overBudget = 0;
let stopped = false;
const traceLines: string[] = [];
process.once('SIGINT', () => {
  stopped = true;
});

let n = 0;
let due = performance.now();
while (!stopped) {
  const timerLateMs = performance.now() - due;
  const id = `${process.pid}-${n++}`;
  const startAt = clockMs();
  const started = performance.now();
  const before = traceFile === undefined ? undefined : schedstat();
  const stamps = await probeOnce(id);
  const ms = performance.now() - started;
  if (stamps.status === 200) latency.record(ms);
  else failures++;
  if (ms > budgetMs) overBudget++;
  if (traceFile !== undefined) {
    const after = schedstat();
    traceLines.push(
      JSON.stringify({
        probe: id,
        ms,
        startAt,
        ...stamps,
        timerLateMs,
        waitMs: before && after ? after.waitMs - before.waitMs : null,
        runMs: before && after ? after.runMs - before.runMs : null,
      }),
    );
  }
  due = performance.now() + everyMs;
  await new Promise((resolve) => setTimeout(resolve, everyMs));
}
if (traceFile !== undefined && traceLines.length > 0) {
  appendFileSync(traceFile, `${traceLines.join('\n')}\n`);
}
process.stdout.write(
  `${JSON.stringify({ event: 'done', latency: latency.summary(), failures, overBudget })}\n`,
);
process.exit(0);
