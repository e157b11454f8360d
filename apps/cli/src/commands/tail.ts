/**
 * `fanout tail`: merges (and with --follow keeps following) log files and quoted glob
 * patterns through the tail package, into a file or stdout, with checkpoints; stops cleanly
 * on SIGINT/SIGTERM. Losses the package reports (a file gone before it was read, lines a
 * copytruncate destroyed, long lines split or skipped, inputs that failed) go to stderr.
 */
import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type MergeResult, mergeFiles, type TailEvent } from '@fanout/tail';
import { UsageError } from '../errors.js';
import { formatCount, roundRate, roundSeconds, writeJson, writeOut } from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';

/** Flags of `fanout tail`. */
export interface TailOptions {
  output?: string;
  follow?: boolean;
  from: 'start' | 'end';
  checkpoint?: string;
  startOver?: boolean;
  prefix?: boolean;
  interval: number;
  json?: boolean;
  format: 'text' | 'json';
  exclude?: string[];
  ignoreOlder?: number;
  multiline?: RegExp;
  multilineMaxBytes?: number;
  multilineTimeout?: number;
  compressed?: 'skip' | 'read';
}

const GLOB = /[*?[]/;

/** One stderr line for the events a user must hear about (never silent loss). */
export function describeEvent(event: TailEvent): string | undefined {
  switch (event.type) {
    case 'vanished':
      return `${event.path} vanished before it was read to its end: ${event.unreadBytes} bytes unread`;
    case 'truncated':
      if (event.lostBytes === 0 && event.copy !== undefined) return undefined;
      return `${event.path} was truncated at offset ${event.offset}${event.copy ? ` (rest read from ${event.copy})` : ''}: ${event.lostBytes} bytes lost`;
    case 'long-line':
      return `${event.path}: line at offset ${event.offset} is longer than the limit (${event.bytes} bytes): ${event.action === 'skip' ? 'skipped' : 'split'}`;
    case 'error':
      return event.error.message;
    case 'start-over':
      return `starting over: ${event.reason}`;
    case 'corrupt':
      return `${event.path} is a damaged compressed file (${event.reason}): only its first ${event.readableBytes} bytes can be read`;
    default:
      return undefined;
  }
}

/** "1 file", "2 files". */
function files(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'file' : 'files'}`;
}

/** Runs `fanout tail FILE...`. */
export async function runTail(
  inputs: string[],
  options: TailOptions,
  context: CommandContext,
): Promise<void> {
  const follow = options.follow === true;
  const json = options.json === true;
  if (json && follow) throw new UsageError('--json cannot be used with --follow');
  if (json && options.output === undefined) {
    throw new UsageError('--json needs -o/--output (stdout would carry the merged lines)');
  }
  if (options.startOver && options.checkpoint === undefined) {
    throw new UsageError('--start-over needs --checkpoint');
  }
  const output = options.output;
  if (output !== undefined && inputs.some((file) => resolve(file) === resolve(output))) {
    throw new UsageError(`-o ${options.output} is also an input`);
  }
  if (!follow) {
    // Without --follow a missing input is bad input: fail before writing anything.
    for (const file of inputs) if (!GLOB.test(file)) await access(file, constants.R_OK);
  }
  const progress = startProgress('tail', progressEnabled(json) && options.output !== undefined);
  const report = (event: TailEvent) => {
    const line = describeEvent(event);
    if (line !== undefined) process.stderr.write(`fanout tail: ${line}\n`);
  };
  let result: MergeResult;
  try {
    result = await mergeFiles(inputs, options.output ?? process.stdout, {
      follow,
      from: options.from,
      prefix: options.prefix === true,
      format: options.format,
      intervalMs: options.interval,
      signal: context.signal,
      ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
      startOver: options.startOver === true,
      compressed: options.compressed ?? 'skip',
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.ignoreOlder !== undefined ? { ignoreOlderMs: options.ignoreOlder } : {}),
      ...(options.multiline
        ? {
            multiline: {
              start: options.multiline,
              ...(options.multilineMaxBytes ? { maxBytes: options.multilineMaxBytes } : {}),
              ...(options.multilineTimeout ? { timeoutMs: options.multilineTimeout } : {}),
            },
          }
        : {}),
      // Without --follow the first failed input is the error itself (exit 2), not a report.
      onEvent: (event) => {
        if (event.type !== 'error' || follow) report(event);
      },
      onProgress: (p: { lines: number }) => progress.update(`${formatCount(p.lines)} lines`),
    });
  } finally {
    progress.stop();
  }
  const failure = result.errors[0];
  if (failure && !follow) throw failure.error;
  if (json) {
    await writeJson({
      files: result.files,
      lines: result.lines,
      bytes: result.bytes,
      seconds: roundSeconds(result.seconds),
      linesPerSecond: roundRate(result.linesPerSecond),
    });
  } else if (options.output !== undefined) {
    await writeOut(
      `merged ${files(result.files)} into ${options.output}: ${formatCount(result.lines)} lines, ${formatCount(result.bytes)} bytes in ${result.seconds.toFixed(3)} seconds\n`,
    );
  }
}
