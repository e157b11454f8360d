import { InputError } from '../errors.js';
import { FileFollower, type FollowerOptions } from '../read/follower.js';
import type { StartPosition } from '../types.js';
import type { CopyGate } from '../write/copy-gate.js';
import type { CopyLines, Sink } from '../write/sink.js';
import type { CopyResult } from '../write/writer-protocol.js';
import { jsonRecords, prefixLines } from './format.js';
import type { MergeOptions } from './options.js';

/** What every input's loop shares with the merge. */
export interface MergeContext {
  readonly options: MergeOptions;
  readonly signal: AbortSignal;
  readonly gate: CopyGate;
  /** The sink once open (the loops start before it is). */
  sink(): Promise<Sink>;
  /** Paths no follower may take for a rotated generation. */
  excluded(absolutePath: string): boolean;
  /** Strict validation of a resumed state (a checkpoint): the error to throw. */
  onMismatch: ((problem: string) => Error) | undefined;
  counts: { lines: number; bytes: number };
  errors: { path: string; error: Error }[];
  /** Fatal failure (the output): stops the merge. */
  fail(e: unknown): void;
}

/** One input being merged: its follower and the promise of its loop. */
export interface InputRun {
  readonly label: string;
  readonly follower: FileFollower;
  readonly done: Promise<void>;
}

/**
 * Follows one input and hands its records to the sink: as they are, with a prefix, or as
 * JSON. Without any of those (and without multi-line records) the writer thread copies the
 * lines itself. A batch's position is committed in the same tick as its lines are accepted,
 * so a checkpoint never sees one without the other.
 */
export function runInput(
  label: string,
  path: string,
  from: StartPosition | undefined,
  ctx: MergeContext,
  extra: Partial<FollowerOptions> = {},
): InputRun {
  const o = ctx.options;
  const json = o.format === 'json';
  const prefix = o.prefix && !json ? Buffer.from(`${label}: `) : undefined;
  let held = false; // a copy landed whose position is not committed yet
  const plain = !prefix && !json && !o.multiline;
  const copy: CopyLines | undefined = plain
    ? async (fd, position, maxBytes, maxLineBytes, tail) => {
        const out = await ctx.sink();
        sink ??= out;
        if (!out.copy) {
          return { bytes: 0, lines: 0, readFailed: false, mismatch: false, tail, atEnd: false };
        }
        await ctx.gate.enter();
        let done: CopyResult;
        try {
          done = await out.copy(fd, position, maxBytes, maxLineBytes, tail);
        } catch (e) {
          ctx.gate.leave();
          throw e;
        }
        if (done.bytes > 0) held = true;
        else ctx.gate.leave();
        return done;
      }
    : undefined;
  let sink: Sink | undefined;
  const follower = new FileFollower(path, {
    ...o,
    ...extra,
    label,
    from: from ?? o.from ?? 'start',
    allocate: (size) => sink?.spare(size),
    copy,
    // Plain lines to a file of ours: a small append is written as soon as it is read.
    writeNow: plain
      ? (data, lines) => {
          if (!sink?.writeNow?.(data)) return false;
          ctx.counts.lines += lines;
          ctx.counts.bytes += data.length;
          return true;
        }
      : undefined,
    signal: ctx.signal,
    exclude: (p) => ctx.excluded(p),
    onMismatch: ctx.onMismatch,
  });
  const loop = async (): Promise<void> => {
    try {
      for (;;) {
        const batch = await follower.next();
        if (!batch) break;
        if (batch.written) {
          if (!batch.counted) {
            ctx.counts.lines += batch.lines;
            ctx.counts.bytes += batch.bytes;
          }
          batch.commit();
          // A copy holds the gate until its position is committed; a direct write does not.
          if (held) {
            held = false;
            ctx.gate.leave();
          }
          continue;
        }
        const chunks = json
          ? batch.parts.map((p) => jsonRecords(p, label))
          : prefix
            ? batch.parts.map((p) => prefixLines(p, prefix))
            : batch.parts.map((p) => p.data);
        sink ??= await ctx.sink();
        // Sizes first: a file sink transfers the buffers' memory to its worker.
        for (const c of chunks) ctx.counts.bytes += c.length;
        ctx.counts.lines += batch.lines;
        const accepted = sink.write(chunks);
        batch.commit();
        await accepted;
      }
    } catch (e) {
      if (e instanceof InputError) {
        ctx.errors.push({ path: label, error: e });
        o.onEvent?.({ type: 'error', path: label, error: e });
      } else ctx.fail(e);
    } finally {
      if (held) ctx.gate.leave();
      await follower.close();
    }
  };
  return { label, follower, done: loop() };
}
