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
  cpuPercent: number;
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
 * Runs `command` (which follows `paths` into `output`), lets it settle, then for `seconds`
 * appends `rate` stamped lines/s to each of the first `active` files, and measures.
 */
export async function measureIdle(
  command: { file: string; args: string[]; cwd: string },
  paths: string[],
  output: string,
  active: number,
  rate: number,
  seconds: number,
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
    const ticks0 = cpuTicks(child.pid as number);
    const t0 = performance.now();
    let sent = 0;
    const total = Math.round(rate * seconds) * active;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate * active));
      for (; sent < due; sent++) {
        const stamp = (performance.timeOrigin + performance.now()).toFixed(3);
        writeSync(fds[sent % active] as number, `f${sent % active} n${sent} at ${stamp} payload\n`);
      }
      read();
      await sleep(1);
    }
    const waitEnd = Date.now() + 5000;
    while (latencies.length < total && Date.now() < waitEnd) {
      read();
      await sleep(1);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const ticks = cpuTicks(child.pid as number) - ticks0;
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
      cpuPercent: (ticks / CLK_TCK / elapsed) * 100,
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
