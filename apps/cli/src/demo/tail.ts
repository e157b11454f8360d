/**
 * Demo items 4 and 5: the seed's log merge. Writers append to four logs (one is rotated half way)
 * while the tail package follows them and its writer thread owns the merged output; then
 * the seed's `confirm_merge` check: nothing lost, nothing written twice, each log in order.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { mergeFiles } from '@fanout/tail';

const LOGS = 4;
const LINES_PER_LOG = 250;
const BATCH = 10;

function logLine(log: number, n: number): string {
  return `app-${log} line ${String(n).padStart(4, '0')} ${'x'.repeat((n * 7 + log) % 40)}`;
}

/** Appends LINES_PER_LOG lines in batches; log 0 is rotated (renamed, re-created) midway. */
async function writeLog(dir: string, log: number, signal: AbortSignal): Promise<void> {
  const path = join(dir, `app-${log}.log`);
  for (let n = 0; n < LINES_PER_LOG; n += BATCH) {
    if (log === 0 && n === LINES_PER_LOG / 2) {
      // Rotation by rename, as logrotate does; the follower reads the rest of the old file.
      await delay(100, undefined, { signal });
      await rename(path, `${path}.1`);
      await writeFile(path, '');
    }
    const lines = [];
    for (let k = n; k < Math.min(n + BATCH, LINES_PER_LOG); k++) lines.push(`${logLine(log, k)}\n`);
    await appendFile(path, lines.join(''));
    await delay(5 + log, undefined, { signal });
  }
}

/** The seed's confirm_merge: returns a description of the first problem, or undefined. */
function confirmMerge(merged: string[]): string | undefined {
  if (merged.length !== LOGS * LINES_PER_LOG) {
    return `expected ${LOGS * LINES_PER_LOG} lines, found ${merged.length}`;
  }
  const next = new Array<number>(LOGS).fill(0);
  for (const line of merged) {
    const match = /^app-(\d+) line (\d+) /.exec(line);
    const log = match ? Number(match[1]) : -1;
    if (!match || log < 0 || log >= LOGS || line !== logLine(log, next[log]!)) {
      return `unexpected line ${JSON.stringify(line.slice(0, 40))}`;
    }
    next[log]!++;
  }
  return undefined;
}

/** Runs item 4 in `dir` (a fresh temporary folder the caller removes). */
export async function demoTail(
  print: (text: string) => void,
  dir: string,
  signal: AbortSignal,
): Promise<void> {
  print(
    '4. Merging logs that are still being written, one follower per log (the seed: threads and coroutines mixed)\n',
  );
  const inputs = Array.from({ length: LOGS }, (_, log) => join(dir, `app-${log}.log`));
  await Promise.all(inputs.map((input) => writeFile(input, '')));
  const output = join(dir, 'merged.log');
  const stopFollowing = new AbortController();
  const expected = LOGS * LINES_PER_LOG;
  let seen = 0;
  let allSeen: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const merging = mergeFiles(inputs, output, {
    follow: true,
    intervalMs: 20,
    signal: AbortSignal.any([signal, stopFollowing.signal]),
    onProgress: (progress: { lines: number }) => {
      seen = progress.lines;
      if (seen >= expected) allSeen();
    },
  });
  try {
    await Promise.all(inputs.map((_, log) => writeLog(dir, log, signal)));
    // Give the followers a bounded time to catch up with the last lines written.
    await Promise.race([caughtUp, delay(10_000, undefined, { signal })]);
  } finally {
    stopFollowing.abort();
  }
  const result = await merging;
  signal.throwIfAborted();
  const merged = (await readFile(output, 'utf8')).split('\n').slice(0, -1);
  print(
    `wrote ${LOGS} logs x ${LINES_PER_LOG} lines (${basename(inputs[0]!)} rotated half way); merged ${result.lines} lines, ${result.bytes} bytes into ${basename(output)}\n`,
  );
  const problem = confirmMerge(merged);
  if (problem) throw new Error(`merge check failed: ${problem}`);
  print('confirm_merge: nothing lost, nothing written twice, each log in order: OK\n\n');
}
