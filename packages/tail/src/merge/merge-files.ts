import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { allowManyListeners } from '@fanout/internal/listeners';
import { CheckpointError, InputError, OutputWriteError } from '../errors.js';
import { isGlob } from '../read/glob.js';
import type { FollowState, StartPosition } from '../types.js';
import { CopyGate } from '../write/copy-gate.js';
import type { LineWriter } from '../write/line-writer.js';
import { openSink, type Sink, type StreamLike } from '../write/sink.js';
import { type CheckpointState, loadCheckpoint } from './checkpoint.js';
import { Checkpointer } from './checkpointer.js';
import { GlobInput } from './glob-input.js';
import { type InputRun, type MergeContext, runInput } from './input-loop.js';
import type { MergeOptions, MergeResult } from './options.js';

/**
 * Merges whole lines of many inputs into one output, one follower per input: lines never mix,
 * each input's order is kept, a slow output pauses reading. Without `follow` it resolves once
 * every input is read to its end; with `follow`, once `signal` aborts. With `checkpoint`, a
 * restart (even after `kill -9`, and whatever rotations happened meanwhile) cuts the output
 * back to the last checkpoint and resumes every generation of every input there, so every
 * line appears exactly once.
 *
 * An input with glob characters (`logs/*.log`) is expanded by the merge, and with `follow`
 * files that match later are followed from their start.
 *
 * A missing or unreadable input is reported (`onEvent({ type: 'error' })` and `errors`) and the
 * others continue; with `follow` a missing input is waited for. An input given twice or that
 * is the output is an `InputError`; an output failure rejects with `OutputWriteError`; a bad
 * checkpoint, or one that does not match the files, with `CheckpointError` (unless
 * `startOver`), before anything is written.
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
  checkInputs(inputs, output);
  const ckPath = options.checkpoint;
  if (ckPath === undefined) return runMerge(inputs, output, options, undefined, started);
  if (typeof output !== 'string') {
    throw new CheckpointError(ckPath, 'needs an output file path (a stream cannot be cut back)');
  }
  let state: CheckpointState | undefined;
  try {
    state = await loadCheckpoint(ckPath);
    if (state) await checkOutput(ckPath, state, resolve(output));
    return await runMerge(inputs, output, options, state, started);
  } catch (e) {
    if (!(e instanceof CheckpointError) || !options.startOver) throw e;
    options.onEvent?.({ type: 'start-over', path: ckPath, reason: e.message });
    return runMerge(inputs, output, options, undefined, started);
  }
}

/** Inputs given twice, or an input that is the output (it would copy itself forever). */
function checkInputs(inputs: readonly string[], output: string | LineWriter | StreamLike): void {
  const seen = new Set<string>();
  for (const p of inputs) {
    if (seen.has(p)) throw new InputError(p, 'use', new Error('it is given twice'));
    seen.add(p);
  }
  if (typeof output === 'string') {
    const out = resolve(output);
    const same = inputs.find((p) => resolve(p) === out);
    if (same !== undefined) throw new InputError(same, 'use', new Error('it is also the output'));
  }
}

/** The checkpoint must belong to this output, and the output hold at least what it records. */
async function checkOutput(ckPath: string, state: CheckpointState, output: string): Promise<void> {
  if (state.output !== output) {
    throw new CheckpointError(ckPath, `it belongs to output ${state.output}, not ${output}`);
  }
  const size = await stat(output).then(
    (st) => st.size,
    () => 0,
  );
  if (size < state.outputLength) {
    throw new CheckpointError(
      ckPath,
      `output ${output} is ${size} bytes, shorter than the recorded ${state.outputLength}`,
    );
  }
}

async function runMerge(
  inputs: readonly string[],
  output: string | LineWriter | StreamLike,
  options: MergeOptions,
  state: CheckpointState | undefined,
  started: number,
): Promise<MergeResult> {
  const ckPath = options.checkpoint;
  const follow = options.follow ?? false;
  const stop = new AbortController();
  allowManyListeners(stop.signal); // one listener per input
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const outputAbs = typeof output === 'string' ? resolve(output) : undefined;
  const ckAbs = ckPath === undefined ? undefined : resolve(ckPath);
  const followed = new Set<string>(); // absolute paths of running inputs
  const runs = new Map<string, InputRun>();
  const ended = new Map<string, FollowState>();
  const gate = new CopyGate();
  let fatal: unknown;
  let resolveValid: () => void = () => {};
  const valid = new Promise<void>((r) => {
    resolveValid = r;
  });
  let opening: Promise<Sink> | undefined;
  const openOutput = (): Promise<Sink> => {
    opening ??= openSink(
      output,
      ckPath === undefined ? undefined : (state?.outputLength ?? 0),
    ).catch((e: unknown) => {
      if (e instanceof OutputWriteError && e.systemCode === 'ESHORT' && ckPath !== undefined) {
        throw new CheckpointError(ckPath, 'the output is shorter than recorded', e);
      }
      throw e;
    });
    return opening;
  };
  const ctx: MergeContext = {
    options,
    signal: stop.signal,
    gate,
    // Nothing touches the output before a resumed checkpoint is found to match the files.
    sink: async () => {
      await valid;
      return openOutput();
    },
    excluded: (p) =>
      p === outputAbs || (ckAbs !== undefined && p.startsWith(ckAbs)) || followed.has(p),
    onMismatch:
      ckPath === undefined || state === undefined
        ? undefined
        : (problem) => new CheckpointError(ckPath, `does not match the files: ${problem}`),
    counts: { lines: 0, bytes: 0 },
    errors: [],
    fail: (e) => {
      fatal ??= e;
      stop.abort();
      resolveValid();
    },
  };

  const start = (label: string, from: StartPosition | undefined, endWhenGone: boolean) => {
    const abs = resolve(label);
    followed.add(abs);
    const run = runInput(label, label, from, ctx, { endWhenGone });
    runs.set(label, run);
    void run.done.finally(() => {
      ended.set(label, run.follower.state());
      if (runs.get(label) === run) {
        runs.delete(label);
        followed.delete(abs);
      }
    });
    return run;
  };
  const saved = (label: string) => state?.inputs[label] as StartPosition | undefined;

  const globs: GlobInput[] = [];
  const initial: InputRun[] = [];
  try {
    for (const input of inputs) {
      if (!isGlob(input)) {
        initial.push(start(input, saved(input), false));
        continue;
      }
      const glob = new GlobInput(input, options);
      globs.push(glob);
      const recorded = Object.keys(state?.inputs ?? {}).filter((k) => glob.matches(k));
      for (const path of new Set([...(await glob.expand()), ...recorded])) {
        if (!runs.has(path)) initial.push(start(path, saved(path), true));
      }
    }
  } catch (e) {
    ctx.fail(e);
  }
  if (ckPath === undefined) {
    resolveValid();
    openOutput().catch(() => {}); // the writer thread starts while the inputs are opened
  } else {
    await Promise.all(initial.map((r) => r.follower.ready));
    resolveValid();
  }
  // Files that match a glob later are followed from their start.
  const rescan = async (glob: GlobInput) => {
    for (const path of await glob.expand().catch(() => [])) {
      if (!runs.has(path) && !stop.signal.aborted) start(path, saved(path) ?? 'start', true);
    }
  };
  const timers: ReturnType<typeof setInterval>[] = [];
  if (follow) {
    for (const glob of globs) {
      let scanning: Promise<void> | undefined;
      let again = false;
      const trigger = () => {
        if (scanning) {
          again = true;
          return;
        }
        scanning = rescan(glob).finally(() => {
          scanning = undefined;
          if (again) {
            again = false;
            trigger();
          }
        });
      };
      // `dir/` as the matches' paths spell it (normalised by `join`), so that an event's
      // path is one concatenation, not a `join` per event.
      const prefix = join(glob.dir, 'x').slice(0, -1);
      let poll: ReturnType<typeof setInterval> | undefined;
      const sub = glob.watch((name) => {
        if (name === null) {
          trigger();
          // The watch failed (or the kernel did not say which file): poll from now on.
          if (!sub.active && !poll) {
            poll = setInterval(trigger, options.intervalMs ?? 100);
            timers.push(poll);
          }
          return;
        }
        // Most events are appends to files already followed: one map lookup.
        const path = prefix + name;
        if (!runs.has(path) && glob.matches(path)) trigger();
      });
      // Without a working watch, look again every interval.
      if (!sub.active) {
        poll = setInterval(trigger, options.intervalMs ?? 100);
        timers.push(poll);
      }
    }
  }

  const states = (): Record<string, FollowState> => {
    const out: Record<string, FollowState> = {};
    for (const [label, s] of ended) out[label] = s;
    for (const [label, run] of runs) out[label] = run.follower.state();
    return out;
  };
  const checkpointer =
    ckPath === undefined || outputAbs === undefined
      ? undefined
      : new Checkpointer(ckPath, outputAbs, gate, states);
  const seconds = () => (performance.now() - started) / 1000;
  const progressTimer = options.onProgress
    ? setInterval(
        () =>
          options.onProgress?.({
            lines: ctx.counts.lines,
            bytes: ctx.counts.bytes,
            seconds: seconds(),
          }),
        options.progressIntervalMs ?? 500,
      )
    : undefined;

  let sink: Sink | undefined;
  const allDone = async () => {
    for (;;) {
      const pending = [...runs.values()].map((r) => r.done);
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  };
  try {
    if (fatal !== undefined) throw fatal;
    sink = await openOutput(); // on failure the readers stop (they wait for it too)
    if (checkpointer) {
      // The first checkpoint as soon as the inputs are open: a crash from here on resumes.
      await checkpointer.save(sink);
      checkpointer.start(sink, options.checkpointIntervalMs ?? 1000, ctx.fail);
    }
    await allDone();
    for (const t of timers) clearInterval(t);
    await checkpointer?.stop();
    if (fatal === undefined) {
      await sink.flush();
      await checkpointer?.save(sink);
    }
  } catch (e) {
    ctx.fail(e);
  } finally {
    for (const t of timers) clearInterval(t);
    for (const glob of globs) glob.close();
    clearInterval(progressTimer);
    stop.abort();
    await allDone().catch(ctx.fail); // every input file is closed before we return
    await checkpointer?.stop();
    options.signal?.removeEventListener('abort', onAbort);
    try {
      await (sink ?? (opening ? await opening.catch(() => undefined) : undefined))?.close();
    } catch (e) {
      fatal ??= e;
    }
  }
  if (fatal !== undefined) throw fatal;
  const secs = seconds();
  return {
    files: new Set([...ended.keys(), ...runs.keys()]).size,
    lines: ctx.counts.lines,
    bytes: ctx.counts.bytes,
    seconds: secs,
    linesPerSecond: secs > 0 ? ctx.counts.lines / secs : 0,
    errors: ctx.errors,
    aborted: options.signal?.aborted ?? false,
  };
}
