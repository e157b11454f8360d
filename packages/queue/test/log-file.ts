/** Reads the execution log the `tracked` task writes: who started and ended which item. */
import { readFile } from 'node:fs/promises';

export interface LogLine {
  readonly event: 'start' | 'end';
  readonly item: number;
  readonly pid: number;
}

export async function readLog(dir: string): Promise<LogLine[]> {
  let text: string;
  try {
    text = await readFile(`${dir}/log`, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [event, item, pid] = line.split(' ');
      return { event: event as 'start' | 'end', item: Number(item), pid: Number(pid) };
    });
}

/** Items `pid` started and has not ended. */
export function inProgress(log: readonly LogLine[], pid: number): number[] {
  const open = new Set<number>();
  for (const line of log) {
    if (line.pid !== pid) continue;
    if (line.event === 'start') open.add(line.item);
    else open.delete(line.item);
  }
  return [...open];
}

/** Size of the heartbeat file (grows while any tracked task runs). */
export async function beats(dir: string): Promise<number> {
  try {
    return (await readFile(`${dir}/beat`)).length;
  } catch {
    return 0;
  }
}
