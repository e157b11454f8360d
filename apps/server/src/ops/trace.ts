// A diagnostic of the operations port, off unless FANOUT_OPS_TRACE names a file: where a
// late health probe spent its time on the server's side. Nothing here runs (no listener,
// no timer) without the variable; the bench sets it to find out whether a late probe waited
// in the server or in the client that measured it.
import { appendFileSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';

/** The variable that turns the trace on: a file path the trace lines are appended to. */
export const OPS_TRACE_ENV = 'FANOUT_OPS_TRACE';

/** How often the trace checks that the operations loop is turning. */
const TICK_MS = 10;
/** A tick this much later than due is written down as a gap in the loop. */
const GAP_MS = 20;

/** The machine's monotonic clock in ms (CLOCK_MONOTONIC), the same in every process. */
const clockMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * This thread's CPU time and run-queue wait so far, ms (`/proc/thread-self/schedstat`: time
 * on a CPU, time runnable but waiting for one). Undefined where there is no such file.
 */
function schedstat(): { runMs: number; waitMs: number } | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return { runMs: Number(run) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return undefined;
  }
}

/**
 * Traces `server` into the file named by FANOUT_OPS_TRACE, one JSON object a line:
 * - `{"kind":"request","probe":id,"path","acceptAt","requestAt","finishAt","waitMs","runMs"}`
 *   for every request, with `probe` from an `X-Probe-Id` header, monotonic-clock ms stamps of the
 *   connection's accept, its parsed head and its response written, and how long this
 *   thread waited for / ran on a CPU from accept to finish;
 * - `{"kind":"gap","at","lateMs","waitMs","runMs"}` when the loop turned `lateMs` late,
 *   with the same split over that gap (waiting for a CPU = the OS did not schedule the
 *   thread; running = something on this loop took the time);
 * - `{"kind":"gc","at","ms","gcKind"}` for every garbage collection of this thread's heap
 *   over 2 ms.
 * Returns a stop function, or undefined (and does nothing) when the variable is not set.
 */
export function traceOpsServer(
  server: Server,
  env: NodeJS.ProcessEnv = process.env,
): (() => void) | undefined {
  const file = env[OPS_TRACE_ENV];
  if (file === undefined || file === '') return undefined;
  let lines: string[] = [];
  const write = (entry: object): void => {
    lines.push(JSON.stringify(entry));
  };
  const flush = (): void => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    appendFileSync(file, text);
  };

  const accepted = new WeakMap<Socket, { at: number; sched: ReturnType<typeof schedstat> }>();
  // Prepended, so the stamps come before the server's own handlers run.
  server.prependListener('connection', (socket: Socket) => {
    accepted.set(socket, { at: clockMs(), sched: schedstat() });
  });
  server.prependListener('request', (req, res) => {
    const requestAt = clockMs();
    const accept = accepted.get(req.socket);
    res.once('finish', () => {
      const finishAt = clockMs();
      const now = schedstat();
      const before = accept?.sched;
      write({
        kind: 'request',
        probe: req.headers['x-probe-id'] ?? null,
        path: req.url,
        acceptAt: accept?.at ?? null,
        requestAt,
        finishAt,
        waitMs: now && before ? now.waitMs - before.waitMs : null,
        runMs: now && before ? now.runMs - before.runMs : null,
      });
    });
  });

  let due = performance.now() + TICK_MS;
  let lastSched = schedstat();
  const tick = setInterval(() => {
    const now = performance.now();
    const sched = schedstat();
    const lateMs = now - due;
    if (lateMs > GAP_MS) {
      write({
        kind: 'gap',
        at: clockMs(),
        lateMs,
        waitMs: sched && lastSched ? sched.waitMs - lastSched.waitMs : null,
        runMs: sched && lastSched ? sched.runMs - lastSched.runMs : null,
      });
    }
    lastSched = sched;
    due = now + TICK_MS;
  }, TICK_MS);
  tick.unref();
  const flusher = setInterval(flush, 1_000);
  flusher.unref();
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceEntry[]) {
      if (entry.duration > 2) {
        const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
        write({
          kind: 'gc',
          at: clockMs() - (performance.now() - entry.startTime),
          ms: entry.duration,
          gcKind: detail?.kind ?? null,
        });
      }
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  return () => {
    clearInterval(tick);
    clearInterval(flusher);
    gc.disconnect();
    flush();
  };
}
