/**
 * `fanout demo`: the seed's examples end to end in one run — Life through a pool and through
 * coroutines, the guessing game over TCP, a live log merge with its check, an event-loop
 * watch, and gcd serial vs async vs workers. Everything it starts is closed and its temporary folder removed, also
 * on SIGINT/SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoEventLoop, watchWhile } from '../demo/event-loop.js';
import { demoGcd } from '../demo/gcd.js';
import { demoGuess } from '../demo/guess.js';
import { demoLife } from '../demo/life.js';
import { demoTail } from '../demo/tail.js';
import type { CommandContext } from '../program.js';

/** Runs the whole demo. */
export async function runDemo(context: CommandContext): Promise<void> {
  const { signal } = context;
  const print = (text: string) => {
    process.stdout.write(text);
  };
  const started = performance.now();
  print("fanout demo: the seed's examples, end to end\n\n");
  await demoLife(print, signal);
  await demoGuess(print, signal);
  const dir = await mkdtemp(join(tmpdir(), 'fanout-demo-'));
  let merge: Awaited<ReturnType<typeof watchWhile>>;
  try {
    merge = await watchWhile(() => demoTail(print, dir, signal));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await demoEventLoop(print, merge);
  await demoGcd(print, signal);
  print(`demo finished in ${((performance.now() - started) / 1000).toFixed(1)} seconds\n`);
}
