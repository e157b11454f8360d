import type { FollowState } from '../types.js';
import type { CopyGate } from '../write/copy-gate.js';
import type { Sink } from '../write/sink.js';
import { type CheckpointState, saveCheckpoint } from './checkpoint.js';

/**
 * Keeps a merge's checkpoint: a consistent snapshot (the output length and every input's
 * state, taken in one step while no writer-thread copy is between landing and being
 * recorded), the output made durable up to that length, and only then the checkpoint
 * written atomically. Writes nothing when nothing changed since the last one.
 */
export class Checkpointer {
  readonly #path: string;
  readonly #output: string;
  readonly #gate: CopyGate;
  readonly #states: () => Record<string, FollowState>;
  #last = '';
  #running: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    path: string,
    output: string,
    gate: CopyGate,
    states: () => Record<string, FollowState>,
  ) {
    this.#path = path;
    this.#output = output;
    this.#gate = gate;
    this.#states = states;
  }

  /** Writes a checkpoint now (after the one under way, if any). */
  async save(sink: Sink): Promise<void> {
    await this.#running?.catch(() => {});
    const run = this.#save(sink);
    this.#running = run;
    try {
      await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  async #save(sink: Sink): Promise<void> {
    const snapshot = await this.#gate.quiet(
      (): CheckpointState => ({
        version: 2,
        output: this.#output,
        outputLength: sink.length,
        inputs: this.#states(),
      }),
    );
    const text = JSON.stringify(snapshot);
    if (text === this.#last) return;
    await sink.sync(); // the output up to outputLength is durable before we point at it
    await saveCheckpoint(this.#path, snapshot);
    this.#last = text;
  }

  /** Saves every `ms` until `stop()`; a failure goes to `fail`. */
  start(sink: Sink, ms: number, fail: (e: unknown) => void): void {
    this.#timer = setInterval(() => {
      if (!this.#running) this.save(sink).catch(fail);
    }, ms);
  }

  /** Stops the timer and waits for a save under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => {});
  }
}
