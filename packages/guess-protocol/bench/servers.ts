// Spawns a benchmark server in a child process and reports the CPU time it spent serving.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Which server: ours, the naive readline baseline, the minimal reference (one preformatted
 * reply per chunk read, no parsing: Node's floor), or the seed's asyncio server (Python).
 */
export type ServerKind = 'ours' | 'naive' | 'minimal' | 'asyncio';

export interface BenchServer {
  readonly port: number;
  /** Stops the server; resolves with the CPU µs it spent after listening (unknown for seed). */
  stop(): Promise<number | undefined>;
}

export async function startServer(kind: ServerKind, strategy = 'random'): Promise<BenchServer> {
  const child: ChildProcess =
    kind === 'asyncio'
      ? spawn('python3', [here('../test/fixtures/chapter_guess.py'), 'server'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        })
      : spawn(process.execPath, [here('./server-child.mjs'), kind, strategy], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let text = '';
  let startupCpu = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /PORT (\d+)(?: CPU (\d+))?/.exec(text);
      if (match) {
        startupCpu = Number(match[2] ?? 0);
        text = '';
        child.stdout?.off('data', onData);
        // The seed's server prints a line per report: keep draining, keep only the tail.
        child.stdout?.on('data', (more: Buffer) => {
          text = (text + more.toString()).slice(-200);
        });
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return {
    port,
    async stop() {
      child.stdin?.end();
      if (kind === 'asyncio') child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      const match = /CPU (\d+)/.exec(text);
      return match ? Number(match[1]) - startupCpu : undefined;
    },
  };
}
