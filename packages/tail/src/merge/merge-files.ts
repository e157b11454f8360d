import { resolve } from 'node:path';
import {
  type CheckpointState,
  type InputPosition,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
import { CopyGate } from '../write/copy-gate.js';
import { CheckpointError, InputError, OutputWriteError } from '../errors.js';
import { FileFollower } from '../read/follower.js';
import type { LineWriter } from '../write/line-writer.js';
import { prefixLines } from '../write/prefix.js';
import { type CopyLines, openSink, type Sink, type StreamLike } from '../write/sink.js';
import type { LongLinePolicy, TailEvent } from '../types.js';
import type { CopyResult } from '../write/writer-protocol.js';

/** Options of `mergeFiles`. */
export interface MergeOptions {
  /** Keep following every input until `signal` aborts (default false: stop at the ends). */
  follow?: boolean;
  /** Where inputs without a checkpoint entry start (default `'start'`). */
  from?: 'start' | 'end';
  /** Put `NAME: ` (the input path as given) before each line. */
  prefix?: boolean;
  /** Stat-polling interval per input in ms (default 100; `fs.watch` wakes earlier). */
  intervalMs?: number;
  /** Longest line kept whole (default 1 MiB); see `longLines`. */
  maxLineBytes?: number;
  /** Split (default) or skip longer lines. */
  longLines?: LongLinePolicy;
  /** Bytes read per system call and input (default 1 MiB). */
  chunkBytes?: number;
  /** Checkpoint file: resume from it, and keep it up to date. Needs an output path. */
  checkpoint?: string;
  /** How often the checkpoint is written while running, in ms (default 1000). */
  checkpointIntervalMs?: number;
  /** Stops the merge: it then flushes, writes a final checkpoint and resolves. */
  signal?: AbortSignal;
  /** Rotation, truncation, missing and failed inputs, long lines. */
  onEvent?: (event: TailEvent) => void;
  /** Called every `progressIntervalMs` (default 500) while running. */
  onProgress?: (progress: MergeProgress) => void;
  progressIntervalMs?: number;
}

/** Running totals of a merge. */
export interface MergeProgress {
  lines: number;
  bytes: number;
  seconds: number;
}

/** What a merge did. `files`, `lines`, `bytes`, `seconds`, `linesPerSecond` are the CLI's `--json`. */
export interface MergeResult {
  /** Number of inputs. */
  files: number;
  /** Lines written by this run. */
  lines: number;
  /** Bytes written by this run (with prefixes). */
  bytes: number;
  seconds: number;
  linesPerSecond: number;
  /** Inputs that could not be read, with why. */
  errors: { path: string; error: Error }[];
  /** True when stopped by `signal`. */
  aborted: boolean;
}

/**
 * Merges whole lines of many inputs into one output, one follower per input: lines never mix,
 * each input's order is kept, a slow output pauses reading. Without `follow` it resolves once
 * every input is read to its end; with `follow`, once `signal` aborts. With `checkpoint`, a
 * restart (even after `kill -9`) cuts the output back to the last checkpoint and resumes each
 * input there, so every line appears exactly once.
 *
 * A missing or unreadable input is reported (`onEvent({ type: 'error' })` and `errors`) and the
 * others continue; with `follow` a missing input is waited for. An output failure rejects with
 * `OutputWriteError`; a bad checkpoint with `CheckpointError`.
 *
 * @example
 * const ac = new AbortController();
 * process.once('SIGINT', () => ac.abort());
 * const result = await mergeFiles(['a.log', 'b.log'], 'all.log', {
 *   follow: true, prefix: true, checkpoint: 'all.ckpt', signal: ac.signal,
 * });
 * console.log(result.lines, 'lines');
 */
export async function mergeFiles(
  inputs: readonly string[],
  output: string | LineWriter | StreamLike,
  options: MergeOptions = {},
): Promise<MergeResult> {
  const started = performance.now();
  const seen = new Set<string>();
  for (const p of inputs) {
    if (seen.has(p)) throw new RangeError(`input ${p} is given twice`);
    seen.add(p);
  }
  if (typeof output === 'string') {
    const out = resolve(output);
    const same = inputs.find((p) => resolve(p) === out);
    // Reading our own output while following would copy it into itself forever.
    if (same !== undefined) throw new RangeError(`input ${same} is also the output`);
  }
  const ckPath = options.checkpoint;
  let state: CheckpointState | undefined;
  let outputPath = '';
  if (ckPath !== undefined) {
    if (typeof output !== 'string') {
      throw new CheckpointError(ckPath, 'needs an output file path (a stream cannot be cut back)');
    }
    outputPath = resolve(output);
    state = await loadCheckpoint(ckPath);
    if (state && state.output !== outputPath) {
      throw new CheckpointError(ckPath, `it belongs to output ${state.output}, not ${outputPath}`);
    }
  }

  // The writer thread starts (tens of ms) while the inputs are opened and first read.
  const opening = openSink(
    output,
    ckPath === undefined ? undefined : (state?.outputLength ?? 0),
  ).catch((e: unknown) => {
    if (e instanceof OutputWriteError && e.systemCode === 'ESHORT' && ckPath !== undefined) {
      throw new CheckpointError(ckPath, 'the output is shorter than recorded', e);
    }
    throw e;
  });
  opening.catch(() => {}); // handled below, once the readers have started
  let sink: Sink | undefined;

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // Entries carry over from the loaded checkpoint until replaced, so a checkpoint taken while
  // an input is still being reopened does not forget where that input was.
  const positions = new Map<string, InputPosition>(
    Object.entries(state?.inputs ?? {}).filter(([path]) => seen.has(path)),
  );
  const errors: { path: string; error: Error }[] = [];
  let lines = 0;
  let bytes = 0;
  let fatal: unknown;
  let changes = 0;
  const failRun = (e: unknown) => {
    fatal ??= e;
    stop.abort();
  };
  // Lines copied by the writer thread land before their input's position is recorded here:
  // a checkpoint waits until no copy is between the two, so it never sees one without the other.
  const gate = new CopyGate();

  const follow = async (path: string): Promise<void> => {
    const prefix = options.prefix ? Buffer.from(`${path}: `) : undefined;
    let held = false; // a copy landed whose position is not recorded yet
    // Without a prefix the lines need no change: the writer thread copies them itself.
    const copy: CopyLines | undefined = prefix
      ? undefined
      : async (fd, position, maxBytes, maxLineBytes) => {
          const out = sink ?? (await opening);
          if (!out.copy) return { bytes: 0, lines: 0, readFailed: false };
          await gate.enter();
          let done: CopyResult;
          try {
            done = await out.copy(fd, position, maxBytes, maxLineBytes);
          } catch (e) {
            gate.leave();
            throw e;
          }
          if (done.bytes > 0) held = true;
          else gate.leave();
          return done;
        };
    const follower = new FileFollower(path, {
      from: state?.inputs[path] ?? options.from ?? 'start',
      follow: options.follow ?? false,
      intervalMs: options.intervalMs,
      maxLineBytes: options.maxLineBytes,
      longLines: options.longLines,
      chunkBytes: options.chunkBytes,
      allocate: (size) => sink?.spare(size),
      copy,
      signal: stop.signal,
      onEvent: options.onEvent,
      onStart: (identity, offset) => {
        positions.set(path, { identity, offset });
        changes++;
      },
    });
    try {
      for (;;) {
        const batch = await follower.next();
        if (!batch) break;
        if (batch.written) {
          lines += batch.lines;
          bytes += batch.bytes;
          positions.set(path, { identity: batch.identity, offset: batch.endOffset });
          changes++;
          held = false;
          gate.leave();
          continue;
        }
        const chunks = prefix
          ? batch.parts.map((p) => prefixLines(p, prefix))
          : batch.parts.map((p) => p.data);
        // Accepted in call order; the position is recorded in the same tick, so a checkpoint
        // snapshot (output length + positions) is always consistent.
        // (Sizes first: a file sink transfers the buffers' memory to its worker.)
        const out = sink ?? (await opening);
        for (const c of chunks) bytes += c.length;
        lines += batch.lines;
        const accepted = out.write(chunks);
        positions.set(path, { identity: batch.identity, offset: batch.endOffset });
        changes++;
        await accepted;
      }
    } catch (e) {
      if (e instanceof InputError) {
        errors.push({ path, error: e });
        options.onEvent?.({ type: 'error', path, error: e });
      } else failRun(e);
    } finally {
      if (held) gate.leave();
      await follower.close();
    }
  };

  let savedChanges = -1;
  let checkpointing: Promise<void> | undefined;
  const checkpoint = async (): Promise<void> => {
    if (ckPath === undefined || changes === savedChanges || !sink) return;
    const out = sink;
    const [mark, snapshot] = await gate.quiet((): [number, CheckpointState] => [
      changes,
      {
        version: 1,
        output: outputPath,
        outputLength: out.length,
        inputs: Object.fromEntries(positions),
      },
    ]);
    await sink.sync(); // the output up to snapshot.outputLength is durable before we point at it
    await saveCheckpoint(ckPath, snapshot);
    savedChanges = mark;
  };
  const ckTimer =
    ckPath === undefined
      ? undefined
      : setInterval(() => {
          checkpointing ??= checkpoint()
            .catch(failRun)
            .finally(() => {
              checkpointing = undefined;
            });
        }, options.checkpointIntervalMs ?? 1000);
  const seconds = () => (performance.now() - started) / 1000;
  const progressTimer = options.onProgress
    ? setInterval(
        () => options.onProgress?.({ lines, bytes, seconds: seconds() }),
        options.progressIntervalMs ?? 500,
      )
    : undefined;

  const running = Promise.all(inputs.map(follow));
  try {
    sink = await opening; // on failure the readers stop (they wait for it too)
    await running;
    clearInterval(ckTimer);
    await checkpointing;
    if (fatal === undefined) {
      await sink.flush();
      await checkpoint();
    }
  } catch (e) {
    failRun(e);
  } finally {
    clearInterval(ckTimer);
    clearInterval(progressTimer);
    await running.catch(failRun); // every input file is closed before we return
    options.signal?.removeEventListener('abort', onAbort);
    try {
      await sink?.close();
    } catch (e) {
      fatal ??= e;
    }
  }
  if (fatal !== undefined) throw fatal;
  const secs = seconds();
  return {
    files: inputs.length,
    lines,
    bytes,
    seconds: secs,
    linesPerSecond: secs > 0 ? lines / secs : 0,
    errors,
    aborted: options.signal?.aborted ?? false,
  };
}
