import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Following many files, few of them busy: CPU of the whole follower process (all threads,
 * from /proc) over a measured window, and the latency from an append to the line appearing
 * in the output, for `fanout tail 'dir/*.log' --follow -o out` against GNU `tail -F` on the
 * same files. Writers stamp each line with the wall-clock time of its write; a 1 ms polling
 * reader of the output (in this process, not measured) takes the difference.
 */
export interface IdleResult {
  /** CPU over the first `seconds` of appends, right after the follower settled. */
  cpuPercent: number;
  /** CPU over the steady window (see `SteadyWindow`), when one was asked for. */
  steadyCpuPercent?: number;
  p50: number;
  p99: number;
  max: number;
  lines: number;
}

const CLK_TCK = 100; // Linux USER_HZ

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (all threads)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CLI's built bin, if the app was built. */
export const CLI_BIN = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));

export async function makeIdleFiles(dir: string, files: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const p = join(dir, `f${String(i).padStart(4, '0')}.log`);
    await writeFile(p, `f${i} start\n`);
    paths.push(p);
  }
  return paths;
}

/**
 * A second CPU window of a longer run: from `after` seconds of appends on, for `seconds`.
 * A follower runs for days; what it costs then is what the first seconds after its start
 * leave out (one-time work: compiling the hot paths, the collection of the start-up's
 * garbage, which V8 does some seconds after it) — the first window shows that cost.
 */
export interface SteadyWindow {
  after: number;
  seconds: number;
}

/**
 * Runs `command` (which follows `paths` into `output`), lets it settle, then for `seconds`
 * appends `rate` stamped lines/s to each of the first `active` files, and measures; with
 * `steady`, goes on appending at the same rate and measures that window too.
 */
export async function measureIdle(
  command: { file: string; args: string[]; cwd: string },
  paths: string[],
  output: string,
  active: number,
  rate: number,
  seconds: number,
  steady?: SteadyWindow,
): Promise<IdleResult> {
  const child: ChildProcess = spawn(command.file, command.args, {
    cwd: command.cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    // Settled: the start lines of every file are in the output (tail -F prints headers too).
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (
        existsSync(output) &&
        readFileSync(output, 'utf8').split('start\n').length > paths.length
      ) {
        break;
      }
      await sleep(50);
    }
    await sleep(1000);
    let pos = readFileSync(output).length;
    const fd = openSync(output, 'r');
    const buf = Buffer.alloc(1 << 20);
    const latencies: number[] = [];
    let carry = '';
    const read = () => {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) return;
        pos += n;
        const now = performance.timeOrigin + performance.now();
        const lines = (carry + buf.toString('latin1', 0, n)).split('\n');
        carry = lines.pop() ?? '';
        for (const l of lines) {
          const m = / at (\d+\.\d+) /.exec(l);
          if (m) latencies.push(now - Number(m[1]));
        }
      }
    };
    const fds = paths.slice(0, active).map((p) => openSync(p, 'a'));
    // FANOUT_BENCH_STRACE=FILE: system calls of the measured window only (`strace -c -f`).
    const traceFile = process.env.FANOUT_BENCH_STRACE;
    const tracer = traceFile
      ? spawn(
          'strace',
          [
            '-c',
            '-f',
            '-p',
            String(child.pid),
            '-o',
            `${traceFile}.${command.file.split('/').pop()}`,
          ],
          {
            stdio: 'ignore',
          },
        )
      : undefined;
    if (tracer) await sleep(500);
    const pid = child.pid as number;
    const ticks0 = cpuTicks(pid);
    const t0 = performance.now();
    let sent = 0;
    const runFor = steady ? Math.max(seconds, steady.after + steady.seconds) : seconds;
    const total = Math.round(rate * runFor) * active;
    // CPU at the marks: end of the first window, start and end of the steady one.
    const marks = steady ? [seconds, steady.after, steady.after + steady.seconds] : [];
    const atMark: { ticks: number; t: number }[] = [];
    while (sent < total) {
      const elapsed = (performance.now() - t0) / 1000;
      while (atMark.length < marks.length && elapsed >= (marks[atMark.length] as number)) {
        atMark.push({ ticks: cpuTicks(pid), t: performance.now() });
      }
      const due = Math.min(total, Math.floor(elapsed * rate * active));
      for (; sent < due; sent++) {
        const stamp = (performance.timeOrigin + performance.now()).toFixed(3);
        writeSync(fds[sent % active] as number, `f${sent % active} n${sent} at ${stamp} payload\n`);
      }
      read();
      await sleep(1);
    }
    while (atMark.length < marks.length)
      atMark.push({ ticks: cpuTicks(pid), t: performance.now() });
    const waitEnd = Date.now() + 5000;
    while (latencies.length < total && Date.now() < waitEnd) {
      read();
      await sleep(1);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const ticksEnd = cpuTicks(pid);
    // Without a steady window the first window runs to the last line read back, as before.
    const first = steady ? (atMark[0] as { ticks: number; t: number }) : undefined;
    const ticks = (first?.ticks ?? ticksEnd) - ticks0;
    const firstSeconds = first ? (first.t - t0) / 1000 : elapsed;
    const percent = (t: number, s: number) => (t / CLK_TCK / s) * 100;
    const steadyCpuPercent =
      steady && atMark[1] && atMark[2]
        ? percent(atMark[2].ticks - atMark[1].ticks, (atMark[2].t - atMark[1].t) / 1000)
        : undefined;
    if (tracer) {
      tracer.kill('SIGINT');
      await new Promise((r) => tracer.once('exit', r));
    }
    for (const f of fds) closeSync(f);
    closeSync(fd);
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      cpuPercent: percent(ticks, firstSeconds),
      ...(steadyCpuPercent === undefined ? {} : { steadyCpuPercent }),
      p50: at(0.5),
      p99: at(0.99),
      max: latencies.at(-1) ?? 0,
      lines: latencies.length,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
