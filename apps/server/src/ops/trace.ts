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
export const clockMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * This thread's CPU time and run-queue wait so far, ms (`/proc/thread-self/schedstat`: time
 * on a CPU, time runnable but waiting for one). Undefined where there is no such file.
 */
export function schedstat(): { runMs: number; waitMs: number } | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return { runMs: Number(run) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return undefined;
  }
}

/** CPU time of the whole machine so far, ms by kind (`/proc/stat`, all CPUs; 10 ms steps). */
function machineCpu(): Record<'user' | 'nice' | 'system' | 'idle' | 'steal', number> | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    const ms = (i: number): number => Number(fields[i]) * 10; // USER_HZ = 100
    return { user: ms(1), nice: ms(2), system: ms(3) + ms(6) + ms(7), idle: ms(4), steal: ms(8) };
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
 * - `{"kind":"gap","at","lateMs","waitMs","runMs","machine"}` when the loop turned `lateMs`
 *   late, with the same split over that gap (waiting for a CPU = the OS did not schedule
 *   the thread; running = something on this loop took the time) and what the machine's
 *   CPUs did meanwhile (ms of user, nice, system, idle and steal time, summed over CPUs:
 *   steal is time the hypervisor gave the virtual CPUs to someone else);
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
    try {
      appendFileSync(file, text);
    } catch {
      // A diagnostic must never take the endpoint down: an unwritable file ends the trace.
      stop();
    }
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
  let lastMachine = machineCpu();
  const tick = setInterval(() => {
    const now = performance.now();
    const sched = schedstat();
    const machine = machineCpu();
    const lateMs = now - due;
    if (lateMs > GAP_MS) {
      const before = lastMachine;
      write({
        kind: 'gap',
        at: clockMs(),
        lateMs,
        waitMs: sched && lastSched ? sched.waitMs - lastSched.waitMs : null,
        runMs: sched && lastSched ? sched.runMs - lastSched.runMs : null,
        machine:
          machine && before
            ? Object.fromEntries(
                Object.entries(machine).map(([k, v]) => [k, v - before[k as keyof typeof before]]),
              )
            : null,
      });
    }
    lastSched = sched;
    lastMachine = machine;
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

  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(tick);
    clearInterval(flusher);
    gc.disconnect();
    flush();
  }
  return stop;
}
