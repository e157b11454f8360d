/** Queue workers in child processes (test/fixtures/worker-process.mjs), for the fault tests. */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { QueueWorkerStats } from '../src/index.js';

const ENTRY = new URL('./fixtures/worker-process.mjs', import.meta.url);

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stats(): Promise<QueueWorkerStats>;
  /** SIGTERM, then the worker's final stats once it closed. */
  terminate(): Promise<QueueWorkerStats>;
  /** SIGKILL: the worker dies with whatever it was running. */
  kill(): Promise<void>;
}

interface Message {
  readonly type: string;
  readonly stats?: QueueWorkerStats;
}

function nextMessage(child: ChildProcess, type: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`worker process exited (${code}) before '${type}'`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Forks a worker process and resolves once it serves the queue. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = fork(ENTRY, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextMessage(child, 'ready');
  const exited = once(child, 'exit');
  return {
    child,
    pid: child.pid!,
    async stats() {
      const reply = nextMessage(child, 'stats');
      child.send('stats');
      return (await reply).stats!;
    },
    async terminate() {
      const closed = nextMessage(child, 'closed');
      child.kill('SIGTERM');
      const { stats } = await closed;
      await exited;
      return stats!;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
