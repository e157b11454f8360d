/**
 * Black-box harness: spawns the built bin (`node dist/bin.js`) directly, never through
 * pnpm (which does not forward signals), with bounded waits and cleanup of everything it
 * starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built bin. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/** Outcome of a finished run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of one run. */
export interface RunOptions {
  /** Text written to stdin (stdin is closed after it). */
  input?: string;
  /** Working directory. */
  cwd?: string;
  /** Kills the process (SIGKILL) and fails after this long. Default 30 s. */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** Runs `fanout ...args` to completion and collects its output. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fanout ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running `fanout` process whose output can be awaited line by line. */
export interface LiveCli {
  child: ChildProcess;
  /** Everything printed to stdout so far. */
  stdout(): string;
  /** Everything printed to stderr so far. */
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout or stderr (bounded wait). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process exits (bounded wait), with its code and how long it took. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `fanout ...args` without waiting for it to finish. */
export function startCli(args: readonly string[], options: { cwd?: string } = {}): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      notify();
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern) ?? err.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`exited before ${pattern}: ${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}: ${out}\n${err}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    exited(timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`did not exit within ${timeoutMs} ms`)),
          timeoutMs,
        );
        exit.then((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
}

/** Kills every process this harness started that is still running (afterEach/afterAll). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Parses stdout as exactly one JSON object (fails if anything else is there). */
export function parseOneJson(stdout: string): Record<string, unknown> {
  const trimmed = stdout.trim();
  if (!trimmed.startsWith('{') || trimmed.split('\n').length !== 1) {
    throw new Error(`expected exactly one JSON object on one line, got: ${stdout}`);
  }
  return JSON.parse(trimmed) as Record<string, unknown>;
}

/**
 * Resolves once process `pid` has used `cpuMs` of CPU time (user + system, from
 * /proc/PID/stat on Linux): a way to know a process is past its startup and busy in its
 * main work that does not depend on how loaded the machine is. Elsewhere it waits 2 s.
 */
export async function waitForCpuTime(
  pid: number,
  cpuMs: number,
  timeoutMs = 20_000,
): Promise<void> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let stat: string;
    try {
      stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return;
    }
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    if ((ticks * 1000) / ticksPerSecond >= cpuMs) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} did not use ${cpuMs} ms of CPU within ${timeoutMs} ms`);
}

/** The seed's ColumnPrinter output for its 5x9 example, generations 0..4 (byte for byte). */
export const SEED_COLUMNS = [
  '    0     |     1     |     2     |     3     |     4    ',
  '---*----- | --------- | --------- | --------- | ---------',
  '----*---- | --*-*---- | ----*---- | ---*----- | ----*----',
  '--***---- | ---**---- | --*-*---- | ----**--- | -----*---',
  '--------- | ---*----- | ---**---- | ---**---- | ---***---',
  '--------- | --------- | --------- | --------- | ---------',
].join('\n');
