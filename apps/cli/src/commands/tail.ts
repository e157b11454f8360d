/**
 * `fanout tail`: merges (and with --follow keeps following) log files through the tail
 * package, into a file or stdout, with checkpoints; stops cleanly on SIGINT/SIGTERM.
 */
import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type MergeResult, mergeFiles } from '@fanout/tail';
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
  prefix?: boolean;
  interval: number;
  json?: boolean;
}

/** Runs `fanout tail FILE...`. */
export async function runTail(
  files: string[],
  options: TailOptions,
  context: CommandContext,
): Promise<void> {
  const follow = options.follow === true;
  const json = options.json === true;
  if (json && follow) throw new UsageError('--json cannot be used with --follow');
  if (json && options.output === undefined) {
    throw new UsageError('--json needs -o/--output (stdout would carry the merged lines)');
  }
  const output = options.output;
  if (output !== undefined && files.some((file) => resolve(file) === resolve(output))) {
    throw new UsageError(`-o ${options.output} is also an input`);
  }
  if (!follow) {
    // Without --follow a missing input is bad input: fail before writing anything.
    for (const file of files) await access(file, constants.R_OK);
  }
  const progress = startProgress('tail', progressEnabled(json) && options.output !== undefined);
  let result: MergeResult;
  try {
    result = await mergeFiles(files, options.output ?? process.stdout, {
      follow,
      from: options.from,
      prefix: options.prefix === true,
      intervalMs: options.interval,
      signal: context.signal,
      ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
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
      `merged ${result.files} files into ${options.output}: ${formatCount(result.lines)} lines, ${formatCount(result.bytes)} bytes in ${result.seconds.toFixed(3)} seconds\n`,
    );
  }
}
